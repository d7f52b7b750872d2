// What the store's methods share: `bd dep list` views, and the translation of driver errors into
// the town's typed errors.
import { ErrorCode, GasTownError } from '../../../errors.js';
import type { Bead, Dependency } from '../../../beads/model.js';
import type { DependencyView } from '../../../beads/store.js';
import type { SqlRunner } from '../../sql.js';
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
