// `bd dep list`: what a bead depends on and what depends on it, each edge with the bead at its
// other end when that bead is in this store.
import type Database from 'better-sqlite3';
import type { Bead, Dependency } from '../model.js';
import type { DependencyView } from '../store.js';
import { loadBeads } from './hydrate.js';
import { prepared } from './statements.js';

export function dependencyViews(
  db: Database.Database,
  bead: Bead,
): { dependencies: DependencyView[]; dependents: DependencyView[] } {
  const dependents = prepared<[string], { issue_id: string }>(
    db,
    'SELECT issue_id FROM dependencies WHERE depends_on_id = ? ORDER BY rowid',
  )
    .all(bead.id)
    .map((row) => row.issue_id);
  const others = new Map(
    loadBeads(db, [...new Set([...bead.dependencies.map((d) => d.depends_on_id), ...dependents])]).map(
      (b) => [b.id, b],
    ),
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
