// Creating beads and edges: id allocation (hash ids, dotted children), the parent-child edge, and
// the checks that keep the graph sound (targets exist, no self-edge, no ordering cycle). Callers
// hold the graph lock, so an id found free stays free and a cycle check stays true until commit.
import { ErrorCode, GasTownError, invalidInput, notFound } from '../../../errors.js';
import { newBeadId, parentOfDottedId } from '../../../beads/ids.js';
import type { Bead, Dependency } from '../../../beads/model.js';
import { defaultIssueType, defaultPriority, Status } from '../../../beads/model.js';
import type { ChangeContext, NewBead } from '../../../beads/store.js';
import { checkNewBead } from '../../../beads/validate.js';
import { orderingTypes } from '../../../beads/sqlite/graph.js';
import { beadColumns, beadToRow } from '../../../beads/sqlite/rows.js';
import type { SqlRunner } from '../../sql.js';
import { reaches } from './graph.js';

export const insertBeadSql = `INSERT INTO beads (${beadColumns.join(', ')}) VALUES (${beadColumns.map(() => '?').join(', ')})`;

export function beadValues(bead: Bead): (string | number | null)[] {
  const row = beadToRow(bead);
  return beadColumns.map((column) => row[column]);
}

const optionalText = [
  'description',
  'design',
  'acceptance_criteria',
  'notes',
  'assignee',
  'owner',
  'external_ref',
  'defer_until',
  'due_at',
] as const;

/** Inserts the new bead with its labels and edges; returns it as built (the caller loads it back). */
export async function insertBead(sql: SqlRunner, input: NewBead, ctx: ChangeContext): Promise<string> {
  checkNewBead(input);
  const now = ctx.now ?? new Date();
  const at = now.toISOString();
  const id =
    input.id !== undefined
      ? await claimExplicitId(sql, input.id, input.parent)
      : input.parent === undefined
        ? await allocateId(sql, input, now, ctx.actor)
        : await allocateChildId(sql, input.parent);
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
  for (const field of optionalText) {
    const value = input[field];
    if (value !== undefined && value !== '') bead[field] = value;
  }
  if (input.estimated_minutes !== undefined) bead.estimated_minutes = input.estimated_minutes;
  if (status === Status.closed) bead.closed_at = at;
  await sql.run(insertBeadSql, beadValues(bead));
  for (const name of input.labels ?? []) {
    await sql.run('INSERT INTO labels (issue_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, name]);
  }
  if (input.parent !== undefined) {
    await insertDependency(sql, { issueId: id, dependsOnId: input.parent, type: 'parent-child' }, ctx);
  }
  for (const dep of input.dependencies ?? []) {
    await insertDependency(sql, { issueId: id, dependsOnId: dep.depends_on_id, type: dep.type }, ctx);
  }
  return id;
}

async function exists(sql: SqlRunner, id: string): Promise<boolean> {
  return (await sql.get('SELECT 1 AS one FROM beads WHERE id = ?', [id])) !== undefined;
}

async function allocateId(sql: SqlRunner, input: NewBead, now: Date, actor: string): Promise<string> {
  const count = await sql.get<{ n: number }>('SELECT count(*) AS n FROM beads WHERE id >= ? AND id < ?', [
    `${input.prefix}-`,
    `${input.prefix}.`,
  ]);
  // newBeadId asks synchronously; a handful of candidates at most, each checked here in turn.
  const taken = new Set<string>();
  for (;;) {
    const candidate = newBeadId(
      {
        prefix: input.prefix,
        title: input.title,
        description: input.description,
        creator: actor,
        timestamp: now,
      },
      count?.n ?? 0,
      (id) => taken.has(id),
    );
    if (!(await exists(sql, candidate))) return candidate;
    taken.add(candidate);
  }
}

/** An id the caller chose: free, and not mixed with `--parent` numbering. */
async function claimExplicitId(sql: SqlRunner, id: string, parent: string | undefined): Promise<string> {
  if (parent !== undefined) throw invalidInput('give an explicit id or a parent, not both', { bead: id });
  if (await exists(sql, id)) {
    throw new GasTownError(ErrorCode.conflict, `bead ${id} already exists`, { ids: { bead: id } });
  }
  await bumpChildCounter(sql, id);
  return id;
}

/** Keeps `--parent` numbering past a dotted child that arrived with its own id (import, `--id`). */
export async function bumpChildCounter(sql: SqlRunner, id: string): Promise<void> {
  const parent = parentOfDottedId(id);
  if (parent === undefined) return;
  const n = Number(id.slice(parent.length + 1));
  if (!Number.isSafeInteger(n)) return;
  await sql.run(
    `INSERT INTO child_counters (parent_id, last_child) VALUES (?, ?)
     ON CONFLICT (parent_id) DO UPDATE SET last_child = greatest(child_counters.last_child, excluded.last_child)`,
    [parent, n],
  );
}

async function allocateChildId(sql: SqlRunner, parent: string): Promise<string> {
  if (!(await exists(sql, parent))) throw notFound('parent bead', parent);
  // Imported children may already use numbers the counter has not seen; skip past them.
  for (;;) {
    const row = await sql.get<{ last_child: number }>(
      `INSERT INTO child_counters (parent_id, last_child) VALUES (?, 1)
       ON CONFLICT (parent_id) DO UPDATE SET last_child = child_counters.last_child + 1 RETURNING last_child`,
      [parent],
    );
    const id = `${parent}.${row!.last_child}`;
    if (!(await exists(sql, id))) return id;
  }
}

export interface EdgeInput {
  issueId: string;
  dependsOnId: string;
  type: string;
}

export async function insertDependency(
  sql: SqlRunner,
  edge: EdgeInput,
  ctx: ChangeContext,
): Promise<Dependency> {
  const { issueId, dependsOnId, type } = edge;
  if (issueId === dependsOnId)
    throw invalidInput(`bead ${issueId} cannot depend on itself`, { bead: issueId });
  if (!(await exists(sql, dependsOnId))) throw notFound('dependency target', dependsOnId);
  const existing = await sql.get<{ type: string }>(
    'SELECT type FROM dependencies WHERE issue_id = ? AND depends_on_id = ?',
    [issueId, dependsOnId],
  );
  if (existing) {
    throw new GasTownError(
      ErrorCode.conflict,
      `${issueId} already depends on ${dependsOnId} (${existing.type})`,
      {
        ids: { bead: issueId, depends_on: dependsOnId },
      },
    );
  }
  if ((orderingTypes as readonly string[]).includes(type) && (await reaches(sql, dependsOnId, issueId))) {
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
  await sql.run(
    'INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
    [issueId, dependsOnId, type, dep.created_at, ctx.actor],
  );
  return dep;
}
