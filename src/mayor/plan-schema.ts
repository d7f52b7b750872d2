// The Mayor's plan file (`gt mayor plan <file.yaml>`, the `submit_plan` tool): an optional convoy
// and the beads to create, each named by a local key that other beads' `depends_on` can point at.
// The zod schema is the only definition of the format; docs/mayor.md shows an example.
import { z } from 'zod';
import { fieldSchemas, issueTypes } from '../beads/index.js';

const planKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a local name (letters, digits, _ . -; up to 64)');

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const planBeadSchema = z.strictObject({
  /** The bead's name inside this plan (its id is made when it is created). */
  key: planKey,
  title: fieldSchemas.title,
  rig: nonEmpty,
  description: z.string().optional(),
  acceptance: z.string().optional(),
  type: z.enum(issueTypes, { message: `must be one of ${issueTypes.join(', ')}` }).optional(),
  priority: fieldSchemas.priority.optional(),
  labels: z.array(fieldSchemas.label).optional(),
  /** Shell steps for the script runtime, run in order in the polecat's worktree. */
  steps: z.array(nonEmpty).optional(),
  /** Keys of beads in this plan, or ids of beads that already exist: each blocks this bead. */
  depends_on: z.array(nonEmpty).optional(),
  /** Other rigs whose target branch the agent may read. */
  context_rigs: z.array(nonEmpty).optional(),
});
export type PlanBead = z.output<typeof planBeadSchema>;

export const planSchema = z.strictObject({
  convoy: z
    .strictObject({
      title: z.string().trim().min(1, 'must not be empty').max(100, 'must be 100 characters or less'),
      description: z.string().optional(),
    })
    .optional(),
  beads: z.array(planBeadSchema).min(1, 'a plan needs at least one bead'),
});
export type Plan = z.output<typeof planSchema>;
