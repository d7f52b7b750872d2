// The shape every owned lifecycle (polecat, session, merge request, convoy) shares: a table of the
// moves a state may make, each with the ledger event kinds that may record it, and the one error a
// forbidden move raises. The owner modules check the table before their conditional UPDATE, so a
// move the table does not list changes nothing and says which entity, from where and to where.
import { ErrorCode, GasTownError } from '../errors.js';

/** A row that is not there yet: the table's entry for inserts. */
export const absent = 'absent';
export type Absent = typeof absent;

/**
 * From each state (and from `absent`, for inserts), the states it may move to and the ledger event
 * kinds that record the move (in the same transaction, written by the owner or by its caller).
 */
export type TransitionTable<S extends string> = {
  readonly [F in S | Absent]: { readonly [T in S]?: readonly string[] };
};

export function illegalTransition(
  entity: string,
  id: string,
  from: string,
  to: string,
  why = 'the lifecycle does not allow it',
): GasTownError {
  return new GasTownError(
    ErrorCode.illegalTransition,
    `${entity} ${id}: cannot move from ${from} to ${to}: ${why}`,
    {
      ids: { [entity]: id, from, to },
    },
  );
}

/** Whether the table lists `from → to`. */
export function allowed<S extends string>(table: TransitionTable<S>, from: S | Absent, to: S): boolean {
  return table[from][to] !== undefined;
}

/**
 * Throws `illegal_transition` unless the table lists `from → to` and, when the move records an
 * event, its kind is one the table names for that move.
 */
export function checkMove<S extends string>(
  table: TransitionTable<S>,
  entity: string,
  id: string,
  from: S | Absent,
  to: S,
  eventKind?: string,
): void {
  const kinds = table[from][to];
  if (kinds === undefined) throw illegalTransition(entity, id, from, to);
  if (eventKind !== undefined && !kinds.includes(eventKind)) {
    throw illegalTransition(entity, id, from, to, `event ${eventKind} does not record this move`);
  }
}

/** Every (from, to) pair, inserts included, for tests that walk the whole table. */
export function allPairs<S extends string>(states: readonly S[]): [S | Absent, S][] {
  const froms: (S | Absent)[] = [absent, ...states];
  return froms.flatMap((from) => states.map((to): [S | Absent, S] => [from, to]));
}

/** A raw row whose state and fields contradict each other: the parse fails loudly, naming both. */
export function impossibleRow(entity: string, id: string, problem: string): GasTownError {
  return new GasTownError(ErrorCode.internal, `${entity} ${id}: impossible row: ${problem}`, {
    ids: { [entity]: id },
  });
}
