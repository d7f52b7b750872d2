// `.beads/issues.jsonl`, the classic beads interchange format: one issue per line, sorted by id,
// labels, dependencies and comments embedded. Parsing validates every line and names the line of
// the first problem; fields we do not model are carried in `extra` and written back unchanged.
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import type { Bead, Comment, Dependency } from './model.js';
import { optionalFields } from './model.js';
import { fieldSchemas } from './validate.js';

const text = z.string();
const int = z.number().int();

/** Known scalar fields and their schemas; anything else on a line goes to `extra`. */
const optionalSchemas: Record<(typeof optionalFields)[number], z.ZodType> = {
  description: text,
  design: text,
  acceptance_criteria: text,
  notes: text,
  assignee: text,
  owner: text,
  estimated_minutes: int.min(0),
  created_by: text,
  closed_at: fieldSchemas.timestamp,
  close_reason: text,
  external_ref: text,
  defer_until: fieldSchemas.timestamp,
  due_at: fieldSchemas.timestamp,
  deleted_at: fieldSchemas.timestamp,
  deleted_by: text,
  delete_reason: text,
  original_type: text,
};

const dependencySchema = z.looseObject({
  issue_id: text.optional(),
  depends_on_id: text.min(1),
  type: fieldSchemas.dependencyType,
  created_at: fieldSchemas.timestamp,
  created_by: text.optional(),
});

const commentSchema = z.looseObject({
  id: int.positive(),
  issue_id: text.optional(),
  author: text,
  text,
  created_at: fieldSchemas.timestamp,
});

const lineSchema = z.looseObject({
  id: fieldSchemas.beadId,
  title: fieldSchemas.title,
  status: fieldSchemas.status.optional(),
  priority: fieldSchemas.priority.optional(),
  issue_type: fieldSchemas.issueType.optional(),
  created_at: fieldSchemas.timestamp,
  updated_at: fieldSchemas.timestamp,
  labels: z.array(text.min(1)).optional(),
  dependencies: z.array(dependencySchema).optional(),
  comments: z.array(commentSchema).optional(),
});

const core = new Set([
  'id',
  'title',
  'status',
  'priority',
  'issue_type',
  'created_at',
  'updated_at',
  'labels',
  'dependencies',
  'comments',
]);
const optionalSet = new Set<string>(optionalFields);

/** Parses one line's object into a bead; throws naming the field. */
export function beadFromJson(value: unknown): Bead {
  const parsed = lineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidInput(`${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
  }
  const line = parsed.data as Record<string, unknown> & z.infer<typeof lineSchema>;
  const bead: Bead = {
    id: line.id,
    title: line.title,
    status: (line.status ?? 'open') as Bead['status'],
    // bd reads an absent priority as 0 (its JSON zero value); we do the same.
    priority: line.priority ?? 0,
    issue_type: line.issue_type ?? 'task',
    created_at: line.created_at,
    updated_at: line.updated_at,
    labels: line.labels ?? [],
    dependencies: (line.dependencies ?? []).map((dep, n) => dependencyFromJson(line.id, dep, n)),
    comments: (line.comments ?? []).map((comment, n) => commentFromJson(line.id, comment, n)),
    extra: {},
  };
  const target = bead as unknown as Record<string, unknown>;
  for (const [key, field] of Object.entries(line)) {
    if (core.has(key)) continue;
    if (optionalSet.has(key) && field !== null) {
      const schema = optionalSchemas[key as (typeof optionalFields)[number]];
      const checked = schema.safeParse(field);
      if (!checked.success) throw invalidInput(`${key}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
      target[key] = field;
    } else {
      // Unknown fields, and known ones written as null, are kept verbatim.
      bead.extra[key] = field;
    }
  }
  return bead;
}

function dependencyFromJson(id: string, dep: z.infer<typeof dependencySchema>, n: number): Dependency {
  if (dep.issue_id !== undefined && dep.issue_id !== id) {
    throw invalidInput(`dependencies.${n}.issue_id: is ${dep.issue_id}, expected ${id}`);
  }
  const { issue_id: _issue, depends_on_id, type, created_at, created_by, ...rest } = dep;
  const out: Dependency = { issue_id: id, depends_on_id, type, created_at };
  if (created_by !== undefined) out.created_by = created_by;
  if (Object.keys(rest).length > 0) out.extra = rest;
  return out;
}

function commentFromJson(id: string, comment: z.infer<typeof commentSchema>, n: number): Comment {
  if (comment.issue_id !== undefined && comment.issue_id !== id) {
    throw invalidInput(`comments.${n}.issue_id: is ${comment.issue_id}, expected ${id}`);
  }
  const { id: commentId, issue_id: _issue, author, text: body, created_at, ...rest } = comment;
  const out: Comment = { id: commentId, issue_id: id, author, text: body, created_at };
  if (Object.keys(rest).length > 0) out.extra = rest;
  return out;
}

/** The bead as bd writes it: bd's field order, absent fields omitted, unknown fields after. */
export function beadToJson(bead: Bead): Record<string, unknown> {
  const out: Record<string, unknown> = { id: bead.id, title: bead.title };
  const source = bead as unknown as Record<string, unknown>;
  const put = (key: string): void => {
    if (source[key] !== undefined) out[key] = source[key];
  };
  ['description', 'design', 'acceptance_criteria', 'notes'].forEach(put);
  out.status = bead.status;
  out.priority = bead.priority;
  out.issue_type = bead.issue_type;
  ['assignee', 'owner', 'estimated_minutes'].forEach(put);
  out.created_at = bead.created_at;
  put('created_by');
  out.updated_at = bead.updated_at;
  ['closed_at', 'close_reason', 'due_at', 'defer_until', 'external_ref'].forEach(put);
  if (bead.labels.length > 0) out.labels = bead.labels;
  if (bead.dependencies.length > 0) {
    out.dependencies = bead.dependencies.map(({ extra, ...dep }) => ({ ...dep, ...extra }));
  }
  if (bead.comments.length > 0) {
    out.comments = bead.comments.map(({ extra, ...comment }) => ({ ...comment, ...extra }));
  }
  ['deleted_at', 'deleted_by', 'delete_reason', 'original_type'].forEach(put);
  return { ...out, ...bead.extra };
}

/** Parses a whole JSONL file; the first bad line aborts with `<file>:<line>: <problem>`. */
export function parseJsonl(content: string, file: string): Bead[] {
  const beads: Bead[] = [];
  const seen = new Map<string, number>();
  content.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw invalidInput(`${file}:${line}: not valid JSON (${(error as Error).message})`);
    }
    let bead: Bead;
    try {
      bead = beadFromJson(value);
    } catch (error) {
      throw invalidInput(`${file}:${line}: ${(error as Error).message}`);
    }
    const previous = seen.get(bead.id);
    if (previous !== undefined)
      throw invalidInput(`${file}:${line}: duplicate id ${bead.id} (first on line ${previous})`);
    seen.set(bead.id, line);
    beads.push(bead);
  });
  return beads;
}

// bd writes with Go's encoding/json, which escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings;
// we write them the same way, so a line bd wrote comes back byte for byte. Outside strings JSON has
// none of these characters, so replacing them in the whole text touches only string contents.
const goEscaped = /[<>&\u2028\u2029]/g;
const goEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One JSONL line (without the newline) as bd writes it. */
export function jsonlLine(value: unknown): string {
  return JSON.stringify(value).replace(goEscaped, goEscape);
}

export function toJsonl(beads: readonly Bead[]): string {
  const sorted = [...beads].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.map((bead) => jsonlLine(beadToJson(bead)) + '\n').join('');
}
