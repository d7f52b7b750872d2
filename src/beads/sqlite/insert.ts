// Creating beads and edges: id allocation (hash ids, dotted children), the parent-child edge,
// and the checks that keep the graph sound (targets exist, no self-edge, no ordering cycle).
import type Database from 'better-sqlite3';
import { ErrorCode, GasTownError, invalidInput, notFound } from '../../errors.js';
import { newBeadId, parentOfDottedId } from '../ids.js';
import type { Bead, Dependency } from '../model.js';
import { defaultIssueType, defaultPriority, Status } from '../model.js';
import type { ChangeContext, NewBead } from '../store.js';
import { checkNewBead } from '../validate.js';
import { orderingTypes, reaches } from './graph.js';
import { loadBead } from './hydrate.js';
import { beadColumns, beadToRow } from './rows.js';
import { prepared } from './statements.js';

type Db = Database.Database;

const insertSql = `INSERT INTO beads (${beadColumns.join(', ')}) VALUES (${beadColumns.map((c) => `:${c}`).join(', ')})`;

export function insertBead(db: Db, input: NewBead, ctx: ChangeContext): Bead {
  checkNewBead(input);
  const now = ctx.now ?? new Date();
  const at = now.toISOString();
  const id =
    input.id !== undefined
      ? claimExplicitId(db, input.id, input.parent)
      : input.parent === undefined
        ? allocateId(db, input, now, ctx.actor)
        : allocateChildId(db, input.parent);
  const status = input.status ?? Status.open;
  const bead: Bead = {
    id,
    title: input.title,
    status,
    priority: input.priority ?? defaultPriority,
    issue_type: input.issue_type ?? defaultIssueType,
    created_at: at,
    created_by: ctx.actor,
    updated_at: at,
    labels: [],
    dependencies: [],
    comments: [],
    extra: input.extra ?? {},
  };
  for (const field of [
    'description',
    'design',
    'acceptance_criteria',
    'notes',
    'assignee',
    'owner',
    'external_ref',
    'defer_until',
    'due_at',
  ] as const) {
    const value = input[field];
    if (value !== undefined && value !== '') bead[field] = value;
  }
  if (input.estimated_minutes !== undefined) bead.estimated_minutes = input.estimated_minutes;
  if (status === Status.closed) bead.closed_at = at;
  prepared(db, insertSql).run(beadToRow(bead));
  const label = prepared(db, 'INSERT OR IGNORE INTO labels (issue_id, label) VALUES (?, ?)');
  for (const name of input.labels ?? []) label.run(id, name);
  if (input.parent !== undefined) {
    insertDependency(db, { issueId: id, dependsOnId: input.parent, type: 'parent-child' }, ctx);
  }
  for (const dep of input.dependencies ?? []) {
    insertDependency(db, { issueId: id, dependsOnId: dep.depends_on_id, type: dep.type }, ctx);
  }
  return loadBead(db, id)!;
}

function allocateId(db: Db, input: NewBead, now: Date, actor: string): string {
  const count =
    prepared<[string, string], { n: number }>(
      db,
      'SELECT count(*) AS n FROM beads WHERE id >= ? AND id < ?',
    ).get(`${input.prefix}-`, `${input.prefix}.`)?.n ?? 0;
  const exists = prepared<[string], { one: number }>(db, 'SELECT 1 AS one FROM beads WHERE id = ?');
  return newBeadId(
    {
      prefix: input.prefix,
      title: input.title,
      description: input.description,
      creator: actor,
      timestamp: now,
    },
    count,
    (candidate) => exists.get(candidate) !== undefined,
  );
}

/** An id the caller chose: free, and not mixed with `--parent` numbering. */
function claimExplicitId(db: Db, id: string, parent: string | undefined): string {
  if (parent !== undefined) throw invalidInput('give an explicit id or a parent, not both', { bead: id });
  if (prepared(db, 'SELECT 1 FROM beads WHERE id = ?').get(id)) {
    throw new GasTownError(ErrorCode.conflict, `bead ${id} already exists`, { ids: { bead: id } });
  }
  bumpChildCounter(db, id);
  return id;
}

/** Keeps `--parent` numbering past a dotted child that arrived with its own id (import, `--id`). */
export function bumpChildCounter(db: Db, id: string): void {
  const parent = parentOfDottedId(id);
  if (parent === undefined) return;
  const n = Number(id.slice(parent.length + 1));
  if (!Number.isSafeInteger(n)) return;
  prepared(
    db,
    `INSERT INTO child_counters (parent_id, last_child) VALUES (?, ?)
     ON CONFLICT (parent_id) DO UPDATE SET last_child = max(last_child, excluded.last_child)`,
  ).run(parent, n);
}

function allocateChildId(db: Db, parent: string): string {
  if (!prepared(db, 'SELECT 1 FROM beads WHERE id = ?').get(parent)) throw notFound('parent bead', parent);
  const exists = prepared<[string], { one: number }>(db, 'SELECT 1 AS one FROM beads WHERE id = ?');
  const bump = prepared<[string], { last_child: number }>(
    db,
    `INSERT INTO child_counters (parent_id, last_child) VALUES (?, 1)
     ON CONFLICT (parent_id) DO UPDATE SET last_child = last_child + 1 RETURNING last_child`,
  );
  // Imported children may already use numbers the counter has not seen; skip past them.
  for (;;) {
    const n = bump.get(parent)!.last_child;
    const id = `${parent}.${n}`;
    if (!exists.get(id)) return id;
  }
}

export interface EdgeInput {
  issueId: string;
  dependsOnId: string;
  type: string;
}

export function insertDependency(db: Db, edge: EdgeInput, ctx: ChangeContext): Dependency {
  const { issueId, dependsOnId, type } = edge;
  if (issueId === dependsOnId)
    throw invalidInput(`bead ${issueId} cannot depend on itself`, { bead: issueId });
  if (!prepared(db, 'SELECT 1 FROM beads WHERE id = ?').get(dependsOnId)) {
    throw notFound('dependency target', dependsOnId);
  }
  const existing = prepared<[string, string], { type: string }>(
    db,
    'SELECT type FROM dependencies WHERE issue_id = ? AND depends_on_id = ?',
  ).get(issueId, dependsOnId);
  if (existing) {
    throw new GasTownError(
      ErrorCode.conflict,
      `${issueId} already depends on ${dependsOnId} (${existing.type})`,
      {
        ids: { bead: issueId, depends_on: dependsOnId },
      },
    );
  }
  if ((orderingTypes as readonly string[]).includes(type) && reaches(db, dependsOnId, issueId)) {
    throw new GasTownError(
      ErrorCode.conflict,
      `adding ${issueId} -> ${dependsOnId} (${type}) would create a cycle: ${dependsOnId} already depends on ${issueId}`,
      { ids: { bead: issueId, depends_on: dependsOnId } },
    );
  }
  const dep: Dependency = {
    issue_id: issueId,
    depends_on_id: dependsOnId,
    type,
    created_at: (ctx.now ?? new Date()).toISOString(),
    created_by: ctx.actor,
  };
  prepared(
    db,
    'INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
  ).run(issueId, dependsOnId, type, dep.created_at, ctx.actor);
  return dep;
}
