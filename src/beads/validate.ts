// Validation at the store boundary (zod), so every caller — CLI, daemon, MCP — gets the same
// checks and an error that names the field.
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { statuses } from './model.js';
import type { BeadPatch, NewBead } from './store.js';
import { isValidBeadId, isValidPrefix } from './ids.js';

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,49}$/, 'must be a lowercase identifier (a-z, 0-9, _ or -)');
const timestamp = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), 'must be a date/time (RFC 3339)');
const label = z
  .string()
  .min(1, 'must not be empty')
  .max(100)
  .refine((text) => !/[\s,]/.test(text), 'must not contain spaces or commas');

export const fieldSchemas = {
  // Checked, never transformed: a title is stored byte for byte (a trailing newline included).
  title: z
    .string()
    .refine((text) => text.trim() !== '', 'is required')
    .refine((text) => text.length <= 500, 'must be 500 characters or less'),
  priority: z.number().int('must be an integer').min(0, 'must be 0-4').max(4, 'must be 0-4'),
  status: z.enum(statuses as [string, ...string[]], { message: `must be one of ${statuses.join(', ')}` }),
  issueType: identifier,
  dependencyType: identifier,
  estimatedMinutes: z.number().int().min(0, 'cannot be negative'),
  timestamp,
  label,
  beadId: z
    .string()
    .refine(
      isValidBeadId,
      'is not a bead id (<prefix>-<rest>: letters, digits and _ in segments joined by - or .)',
    ),
};

const newBeadSchema = z.object({
  prefix: z
    .string()
    .refine(isValidPrefix, 'must be lowercase letters or digits (words joined by -), starting with a letter'),
  id: fieldSchemas.beadId.optional(),
  parent: fieldSchemas.beadId.optional(),
  title: fieldSchemas.title,
  status: fieldSchemas.status.optional(),
  priority: fieldSchemas.priority.optional(),
  issue_type: fieldSchemas.issueType.optional(),
  estimated_minutes: fieldSchemas.estimatedMinutes.optional(),
  defer_until: timestamp.optional(),
  due_at: timestamp.optional(),
  labels: z.array(label).optional(),
  dependencies: z
    .array(z.object({ type: fieldSchemas.dependencyType, depends_on_id: fieldSchemas.beadId }))
    .optional(),
});

const patchSchema = z.object({
  title: fieldSchemas.title.optional(),
  status: fieldSchemas.status.optional(),
  priority: fieldSchemas.priority.optional(),
  issue_type: fieldSchemas.issueType.optional(),
  estimated_minutes: fieldSchemas.estimatedMinutes.nullable().optional(),
  defer_until: timestamp.nullable().optional(),
  due_at: timestamp.nullable().optional(),
});

/** Throws an invalid_input error naming the first bad field. */
export function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || what;
  throw invalidInput(`invalid ${what}: ${field} ${issue?.message ?? 'is invalid'}`);
}

export function checkNewBead(input: NewBead): void {
  check(newBeadSchema, input, 'bead');
}

export function checkPatch(patch: BeadPatch): void {
  check(patchSchema, patch, 'update');
}
