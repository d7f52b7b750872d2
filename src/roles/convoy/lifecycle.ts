// The convoy's lifecycle, owned here: `open` while it is put together, `launched` once its beads
// are dispatched, `landed` when every one of them is closed (which may happen before a launch).
// Landed is final. `moveConvoy` is the one way a convoy changes state: it checks the table, writes
// with a conditional UPDATE on the state it was read in and appends the move's ledger event in the
// same transaction. Membership (`convoy_beads`) is not state and stays with the convoy's commands.
import { prepared } from '../../beads/sqlite/statements.js';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { notFound } from '../../errors.js';
import type { LedgerEventInput } from '../../ledger/index.js';
import type { TownServices } from '../../town/services.js';
import type { TransitionTable } from '../transitions.js';
import { absent, checkMove, impossibleRow } from '../transitions.js';

export const convoyStates = ['open', 'launched', 'landed'] as const;
export type ConvoyState = (typeof convoyStates)[number];

export const convoyTransitions: TransitionTable<ConvoyState> = {
  [absent]: { open: ['convoy.created'] },
  open: { launched: ['convoy.launched'], landed: ['convoy.landed'] },
  launched: { landed: ['convoy.landed'] },
  landed: {},
};

interface ConvoyBase {
  id: string;
  name: string;
  created_at: string;
}

export type OpenConvoy = ConvoyBase & { state: 'open'; launched_at: null; landed_at: null };
export type LaunchedConvoy = ConvoyBase & { state: 'launched'; launched_at: string; landed_at: null };
/** Landed without a launch when its beads were closed by hand. */
export type LandedConvoy = ConvoyBase & { state: 'landed'; launched_at: string | null; landed_at: string };
export type Convoy = OpenConvoy | LaunchedConvoy | LandedConvoy;

export interface RawConvoyRow extends ConvoyBase {
  state: string;
  launched_at: string | null;
  landed_at: string | null;
}

/** The typed row for its state; throws on an unknown state or timestamps the state cannot have. */
export function parseConvoy(raw: RawConvoyRow): Convoy {
  const base = { id: raw.id, name: raw.name, created_at: raw.created_at };
  switch (raw.state) {
    case 'open':
      if (raw.launched_at !== null || raw.landed_at !== null)
        throw impossibleRow('convoy', raw.id, 'open but launched or landed');
      return { ...base, state: 'open', launched_at: null, landed_at: null };
    case 'launched':
      if (raw.launched_at === null || raw.landed_at !== null)
        throw impossibleRow('convoy', raw.id, 'launched without a launch time, or with a landing time');
      return { ...base, state: 'launched', launched_at: raw.launched_at, landed_at: null };
    case 'landed':
      if (raw.landed_at === null) throw impossibleRow('convoy', raw.id, 'landed without a landing time');
      return { ...base, state: 'landed', launched_at: raw.launched_at, landed_at: raw.landed_at };
    default:
      throw impossibleRow('convoy', raw.id, `unknown state ${raw.state}`);
  }
}

export function findConvoy(db: Db, id: string): Convoy | undefined {
  const raw = prepared<[string], RawConvoyRow>(db, 'SELECT * FROM convoys WHERE id = ?').get(id);
  return raw === undefined ? undefined : parseConvoy(raw);
}

export function requireConvoy(db: Db, id: string): Convoy {
  const convoy = findConvoy(db, id);
  if (convoy === undefined) throw notFound('convoy', id);
  return convoy;
}

export function listConvoys(db: Db): Convoy[] {
  return prepared<[], RawConvoyRow>(db, 'SELECT * FROM convoys ORDER BY created_at, id')
    .all()
    .map(parseConvoy);
}

/** A new convoy, `open`, with its `convoy.created` event. */
export function insertConvoy(
  town: Pick<TownServices, 'db' | 'ledger'>,
  convoy: { id: string; name: string },
  event: LedgerEventInput,
  now = new Date(),
): void {
  writeTx(town.db, () => {
    checkMove(convoyTransitions, 'convoy', convoy.id, absent, 'open', event.kind);
    prepared(town.db, `INSERT INTO convoys (id, name, state, created_at) VALUES (?, ?, 'open', ?)`).run(
      convoy.id,
      convoy.name,
      now.toISOString(),
    );
    town.ledger.append(event);
  });
}

export interface ConvoyMove {
  to: Exclude<ConvoyState, 'open'>;
  /** Only from these states: false (nothing written) when the convoy is elsewhere. */
  from?: readonly ConvoyState[];
  /** The event that records the move, built from the convoy as read. */
  event: (convoy: Convoy) => LedgerEventInput;
  now?: Date;
}

/**
 * Moves the convoy and appends its event; false when the guard did not hold or a concurrent mover
 * came first. Throws `illegal_transition` for a move the table does not list.
 */
export function moveConvoy(town: Pick<TownServices, 'db' | 'ledger'>, id: string, move: ConvoyMove): boolean {
  return writeTx(town.db, () => {
    const convoy = requireConvoy(town.db, id);
    if (move.from !== undefined && !move.from.includes(convoy.state)) return false;
    const event = move.event(convoy);
    checkMove(convoyTransitions, 'convoy', id, convoy.state, move.to, event.kind);
    const column = move.to === 'launched' ? 'launched_at' : 'landed_at';
    const changed = prepared(
      town.db,
      `UPDATE convoys SET state = ?, ${column} = ? WHERE id = ? AND state = ?`,
    ).run(move.to, (move.now ?? new Date()).toISOString(), id, convoy.state).changes;
    if (changed !== 1) return false;
    town.ledger.append(event);
    return true;
  });
}
