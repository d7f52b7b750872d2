// Parsers for `gt bd` options and arguments. Each validates with zod (the store's field schemas
// where they exist) and throws an invalid_input error that names the flag and echoes the value:
// `--priority: must be 0-4 (got 7)`.
import { z } from 'zod';
import { issueTypes, statuses } from '../../beads/model.js';
import type { Status } from '../../beads/model.js';
import { sortPolicies } from '../../beads/store.js';
import type { SortPolicy } from '../../beads/store.js';
import { fieldSchemas } from '../../beads/validate.js';
import { invalidInput } from '../../errors.js';

const shown = (raw: string): string => (raw === '' ? '""' : raw);

function checked<T>(schema: z.ZodType<T>, flag: string, raw: string, value: unknown = raw): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(`${flag}: ${result.error.issues[0]?.message ?? 'is invalid'} (got ${shown(raw)})`);
}

/** Commander collector for repeatable options (`--label a --label b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Flattens repeated and comma-separated values: `['a,b', 'c']` → `['a', 'b', 'c']`. */
export function splitList(values: string | readonly string[] | undefined): string[] {
  if (values === undefined) return [];
  const all = typeof values === 'string' ? [values] : values;
  return all
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parsePriority(raw: string, flag = '--priority'): number {
  const match = /^[pP]?(\d+)$/.exec(raw.trim());
  if (!match) throw invalidInput(`${flag}: must be 0-4 (got ${shown(raw)})`);
  return checked(fieldSchemas.priority, flag, raw, Number(match[1]));
}

const knownType = z.enum(issueTypes, { message: `must be one of ${issueTypes.join(', ')}` });

/** A type for a new or updated bead: one `bd` knows, so a typo does not make a new type. */
export function parseNewType(raw: string, flag = '--type'): string {
  return checked(knownType, flag, raw.trim());
}

/** A type to filter by: any identifier, so imported custom types can be found. */
export function parseTypeFilter(raw: string, flag = '--type'): string {
  return checked(fieldSchemas.issueType, flag, raw.trim());
}

const statusSchema = z.enum(statuses as [Status, ...Status[]], {
  message: `must be one of ${statuses.join(', ')}`,
});

export function parseStatus(raw: string, flag = '--status'): Status {
  return checked(statusSchema, flag, raw.trim());
}

export function parseStatuses(raw: string, flag = '--status'): Status[] {
  const items = splitList(raw);
  if (items.length === 0) throw invalidInput(`${flag}: must name at least one status (got ${shown(raw)})`);
  return items.map((item) => parseStatus(item, flag));
}

const sortSchema = z.enum(sortPolicies, { message: `must be one of ${sortPolicies.join(', ')}` });

export function parseSort(raw: string, flag = '--sort'): SortPolicy {
  return checked(sortSchema, flag, raw.trim());
}

const count = z.number().int().min(0, 'must be a non-negative integer');

/** A non-negative integer (`--limit`, `--estimate`, `--max-depth`). */
export function parseCount(raw: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(raw.trim())) throw invalidInput(`${flag}: must be a whole number (got ${shown(raw)})`);
  const value = checked(count, flag, raw, Number(raw.trim()));
  if (value < min) throw invalidInput(`${flag}: must be at least ${min} (got ${shown(raw)})`);
  return value;
}

export function parseLabel(raw: string, flag = '--label'): string {
  return checked(fieldSchemas.label, flag, raw.trim());
}

export function parseLabels(values: string | readonly string[] | undefined, flag: string): string[] {
  return splitList(values).map((label) => parseLabel(label, flag));
}

export function parseBeadId(raw: string, flag: string): string {
  return checked(fieldSchemas.beadId, flag, raw.trim());
}

export function parseDepType(raw: string, flag = '--type'): string {
  return checked(fieldSchemas.dependencyType, flag, raw.trim());
}

export interface DepSpec {
  type: string;
  depends_on_id: string;
}

/** `--deps type:id,type:id`; a bare id means `blocks`. */
export function parseDeps(raw: string, flag = '--deps'): DepSpec[] {
  const entries = splitList(raw);
  if (entries.length === 0) throw invalidInput(`${flag}: expected type:id[,type:id…] (got ${shown(raw)})`);
  return entries.map((entry) => {
    const colon = entry.indexOf(':');
    const type = colon < 0 ? 'blocks' : entry.slice(0, colon).trim();
    const id = colon < 0 ? entry : entry.slice(colon + 1).trim();
    const bad = (why: string): Error =>
      invalidInput(`${flag}: bad entry "${entry}": ${why} (expected type:id or id)`);
    if (!fieldSchemas.dependencyType.safeParse(type).success)
      throw bad(`type "${type}" is not a lowercase identifier`);
    if (!fieldSchemas.beadId.safeParse(id).success) throw bad(`"${id}" is not a bead id`);
    return { type, depends_on_id: id };
  });
}

const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A time for `--defer` / `--due`: RFC 3339 (or a date), or `+<n>m|h|d|w` from now; normalised
 * to UTC RFC 3339. An empty value means "clear" (null).
 */
export function parseTime(raw: string, flag: string, now: Date): string | null {
  const text = raw.trim();
  if (text === '') return null;
  const relative = /^\+(\d+)([mhdw])$/.exec(text);
  if (relative) {
    const unit = relative[2] as keyof typeof unitMs;
    return new Date(now.getTime() + Number(relative[1]) * unitMs[unit]).toISOString();
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw invalidInput(
      `${flag}: must be a date/time (RFC 3339, e.g. 2025-11-01T09:00:00Z) or +<n>m|h|d|w (got ${shown(raw)})`,
    );
  }
  return new Date(ms).toISOString();
}
