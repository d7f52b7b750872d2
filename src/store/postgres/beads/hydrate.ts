// Loading beads with their labels, dependencies and comments, relations in the order they were
// added: a few beads in one statement (relations as arrays and JSON beside each row, which claims
// also use straight from their UPDATE … RETURNING), many in three flat statements.
import type { Bead, Comment, Dependency } from '../../../beads/model.js';
import type { BeadRow } from '../../../beads/sqlite/rows.js';
import { parseExtra, rowToBead } from '../../../beads/sqlite/rows.js';
import type { SqlRunner } from '../../sql.js';

interface RelationsRow {
  labels_: string[];
  deps_: RawDependency[] | null;
  comments_: RawComment[] | null;
}

interface RawDependency {
  issue_id: string;
  depends_on_id: string;
  type: string;
  created_at: string;
  created_by: string | null;
  extra: string | null;
}

interface RawComment {
  id: number;
  issue_id: string;
  author: string;
  text: string;
  created_at: string;
  extra: string | null;
}

const labelsArray = 'ARRAY(SELECT l.label FROM labels l WHERE l.issue_id = b.id ORDER BY l.seq)';
const relations = `
  ${labelsArray} AS labels_,
  (SELECT json_agg(json_build_object('issue_id', d.issue_id, 'depends_on_id', d.depends_on_id,
      'type', d.type, 'created_at', d.created_at, 'created_by', d.created_by, 'extra', d.extra)
      ORDER BY d.seq) FROM dependencies d WHERE d.issue_id = b.id) AS deps_,
  (SELECT json_agg(json_build_object('id', c.id, 'issue_id', c.issue_id, 'author', c.author,
      'text', c.text, 'created_at', c.created_at, 'extra', c.extra)
      ORDER BY c.id) FROM comments c WHERE c.issue_id = b.id) AS comments_`;

/** `SELECT` of whole beads from `from`, which must name its bead rows `b`. */
export function hydrateFrom(from: string): string {
  return `SELECT b.*, ${relations} FROM ${from}`;
}

// An index lookup per id (the planner would hash-join a whole table against a function's rows).
const byIds = `${hydrateFrom(
  'beads b WHERE b.id = ANY (ARRAY(SELECT json_array_elements_text(?::json)))',
)} ORDER BY array_position(ARRAY(SELECT json_array_elements_text(?::json)), b.id::text)`;

export function toDependency(raw: RawDependency): Dependency {
  const dep: Dependency = {
    issue_id: raw.issue_id,
    depends_on_id: raw.depends_on_id,
    type: raw.type,
    created_at: raw.created_at,
  };
  if (raw.created_by !== null) dep.created_by = raw.created_by;
  if (raw.extra !== null) dep.extra = parseExtra(raw.extra);
  return dep;
}

export function toComment(raw: RawComment): Comment {
  const comment: Comment = {
    id: raw.id,
    issue_id: raw.issue_id,
    author: raw.author,
    text: raw.text,
    created_at: raw.created_at,
  };
  if (raw.extra !== null) comment.extra = parseExtra(raw.extra);
  return comment;
}

/** A bead from a row of `hydrateFrom`. */
export function toBead(row: BeadRow & RelationsRow): Bead {
  const bead = rowToBead(row);
  bead.labels = row.labels_;
  bead.dependencies = (row.deps_ ?? []).map(toDependency);
  bead.comments = (row.comments_ ?? []).map(toComment);
  return bead;
}

export type HydratedRow = BeadRow & RelationsRow;

const beadsByIds = `SELECT b.*, ${labelsArray} AS labels_, NULL AS deps_, NULL AS comments_
  FROM json_array_elements_text(?::json) WITH ORDINALITY AS j(id, n) JOIN beads b ON b.id = j.id ORDER BY j.n`;
const idSet = 'SELECT json_array_elements_text(?::json)';
const depsByIds = `SELECT issue_id, depends_on_id, type, created_at, created_by, extra FROM dependencies
  WHERE issue_id IN (${idSet}) ORDER BY seq`;
const commentsByIds = `SELECT id, issue_id, author, text, created_at, extra FROM comments
  WHERE issue_id IN (${idSet}) ORDER BY id`;

/**
 * Beads by id, in the order given. One bead (or a few) come in one statement with their relations
 * as JSON; many come in three flat statements, since building JSON per row costs more than the two
 * extra round trips once there are dozens of beads.
 */
export async function loadBeads(sql: SqlRunner, ids: readonly string[]): Promise<Bead[]> {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  if (ids.length <= 20) return (await sql.all<HydratedRow>(byIds, [json, json])).map(toBead);
  const beads = (await sql.all<HydratedRow>(beadsByIds, [json])).map(toBead);
  const byId = new Map(beads.map((bead) => [bead.id, bead]));
  for (const raw of await sql.all<RawDependency>(depsByIds, [json])) {
    byId.get(raw.issue_id)?.dependencies.push(toDependency(raw));
  }
  for (const raw of await sql.all<RawComment>(commentsByIds, [json])) {
    byId.get(raw.issue_id)?.comments.push(toComment(raw));
  }
  return beads;
}

export async function loadBead(sql: SqlRunner, id: string): Promise<Bead | undefined> {
  return (await loadBeads(sql, [id]))[0];
}

/** Every bead, tombstones included, sorted by id: the export. */
export async function loadAllBeads(sql: SqlRunner): Promise<Bead[]> {
  const beads = (
    await sql.all<HydratedRow>(`SELECT b.*, ${labelsArray} AS labels_, NULL AS deps_, NULL AS comments_
      FROM beads b ORDER BY b.id`)
  ).map(toBead);
  const byId = new Map(beads.map((bead) => [bead.id, bead]));
  const deps = await sql.all<RawDependency>(
    'SELECT issue_id, depends_on_id, type, created_at, created_by, extra FROM dependencies ORDER BY seq',
  );
  for (const raw of deps) byId.get(raw.issue_id)?.dependencies.push(toDependency(raw));
  const comments = await sql.all<RawComment>(
    'SELECT id, issue_id, author, text, created_at, extra FROM comments ORDER BY id',
  );
  for (const raw of comments) byId.get(raw.issue_id)?.comments.push(toComment(raw));
  return beads;
}
