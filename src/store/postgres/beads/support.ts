// What the store's methods share: `bd dep list` views, the columns an update changes, and the
// translation of driver errors into the town's typed errors.
import { ErrorCode, GasTownError } from '../../../errors.js';
import type { Bead, Dependency } from '../../../beads/model.js';
import { Status } from '../../../beads/model.js';
import type { BeadPatch, DependencyView } from '../../../beads/store.js';
import type { BeadRow } from '../../../beads/sqlite/rows.js';
import { timeMs } from '../../../beads/sqlite/rows.js';
import type { SqlRunner, SqlValue } from '../../sql.js';
import { loadBeads } from './hydrate.js';

/** What a bead depends on and what depends on it, each edge with the bead at its other end if stored. */
export async function dependencyViews(
  sql: SqlRunner,
  bead: Bead,
): Promise<{ dependencies: DependencyView[]; dependents: DependencyView[] }> {
  const dependents = (
    await sql.all<{ issue_id: string }>(
      'SELECT issue_id FROM dependencies WHERE depends_on_id = ? ORDER BY seq',
      [bead.id],
    )
  ).map((row) => row.issue_id);
  const others = new Map(
    (
      await loadBeads(sql, [...new Set([...bead.dependencies.map((d) => d.depends_on_id), ...dependents])])
    ).map((b) => [b.id, b]),
  );
  const view = (dependency: Dependency, other: string): DependencyView => {
    const found = others.get(other);
    return found ? { dependency, bead: found } : { dependency };
  };
  return {
    dependencies: bead.dependencies.map((d) => view(d, d.depends_on_id)),
    dependents: dependents.flatMap((issue) =>
      (others.get(issue)?.dependencies ?? [])
        .filter((d) => d.depends_on_id === bead.id)
        .map((d) => view(d, issue)),
    ),
  };
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Our own errors pass through; a unique violation means a racing writer took the key first
 * (conflict, worth retrying), as do serialization failures the source gave up retrying; anything
 * else from the server is `store_failed`, retryable when the connection was lost (class 08).
 */
export function translate(error: unknown): Error {
  if (error instanceof GasTownError) return error;
  const state = sqlState(error);
  if (state === undefined) return error instanceof Error ? error : new Error(String(error));
  const message = (error as Error).message;
  const ids = { sqlstate: state };
  if (state === '23505' || state === '40001' || state === '40P01') {
    return new GasTownError(ErrorCode.conflict, `the bead store is busy; try again (${message})`, {
      retryable: true,
      ids,
      cause: error,
    });
  }
  return new GasTownError(ErrorCode.store, `PostgreSQL bead store: ${message}`, {
    retryable: state.startsWith('08'),
    ids,
    cause: error,
  });
}

const patchColumns = new Set<string>([
  'title',
  'description',
  'design',
  'acceptance_criteria',
  'notes',
  'status',
  'priority',
  'issue_type',
  'assignee',
  'owner',
  'estimated_minutes',
  'external_ref',
  'defer_until',
  'due_at',
]);

/**
 * The columns `patch` really changes on `before` (only the patchable ones: a key from outside the
 * type never reaches SQL), with what follows from them: defer_ms, and closed_at / close_reason when
 * the status enters or leaves `closed`.
 */
export function patchChanges(
  before: BeadRow,
  patch: BeadPatch,
  now: string,
): { set: Record<string, SqlValue>; changed: Record<string, { from: unknown; to: unknown }> } {
  const set: Record<string, SqlValue> = {};
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(patch) as [keyof BeadPatch, unknown][]) {
    if (value === undefined || !patchColumns.has(field)) continue;
    const next = value as string | number | null;
    if (before[field] === next) continue;
    set[field] = next;
    changed[field] = { from: before[field], to: next };
  }
  if ('defer_until' in set) set.defer_ms = timeMs(set.defer_until as string | null);
  if (set.status === Status.closed) set.closed_at = now;
  else if (set.status !== undefined && before.status === Status.closed) {
    set.closed_at = null;
    set.close_reason = null;
  }
  return { set, changed };
}
