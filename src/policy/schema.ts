// `policy.yaml`: the zod schema is the only definition of the file; defaults fill in what a file
// leaves out, so an empty file (or none) means "the built-in profile, ask for the rest".
import { z } from 'zod';
import { decisionKinds } from './types.js';

export const policyFileName = 'policy.yaml';

const decision = z.enum(decisionKinds);
const name = z.string().trim().min(1);
const regexForm = /^\/(.*)\/([dgimsuvy]*)$/s;

/** A `command` pattern: a glob, or a regular expression written `/…/flags`. */
export function commandPatternError(pattern: string): string | undefined {
  const regex = regexForm.exec(pattern);
  if (!regex) return undefined;
  try {
    new RegExp(regex[1] ?? '', regex[2]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function parseRegexForm(pattern: string): RegExp | undefined {
  const regex = regexForm.exec(pattern);
  // `g` and `y` would make `test` remember where it stopped; a rule must not.
  return regex ? new RegExp(regex[1] ?? '', (regex[2] ?? '').replace(/[gy]/g, '')) : undefined;
}

export const matchSchema = z.strictObject({
  tool: z.union([name, z.array(name).min(1)]).optional(),
  command: z
    .string()
    .min(1)
    .superRefine((pattern, ctx) => {
      const problem = commandPatternError(pattern);
      if (problem !== undefined)
        ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${problem}` });
    })
    .optional(),
  path: name.optional(),
  /** The `network` tool's destination: a glob over the host name (`*.example.com`), any case. */
  host: name.optional(),
  port: z
    .union([z.number().int().min(1).max(65535), z.array(z.number().int().min(1).max(65535)).min(1)])
    .optional(),
  agent: name.optional(),
  rig: name.optional(),
  role: name.optional(),
});
export type RuleMatch = z.output<typeof matchSchema>;

export const ruleSchema = z.strictObject({
  id: name
    .refine((id) => id !== 'default' && !id.startsWith('builtin:'), {
      error: 'the ids `default` and `builtin:…` are reserved',
    })
    .optional(),
  /** A rule without `match` applies to every call. */
  match: matchSchema.prefault({}),
  decision,
  reason: name,
});
export type PolicyRule = z.output<typeof ruleSchema>;

const budgetSchema = z.strictObject({
  wall_seconds: z.number().positive().optional(),
  tool_calls: z.number().int().positive().optional(),
  tokens: z.number().int().positive().optional(),
  usd: z.number().positive().optional(),
});
export type Budget = z.output<typeof budgetSchema>;

/** A convoy's budget: tokens and USD summed over all its beads' sessions. */
const convoyBudgetSchema = z.strictObject({
  tokens: z.number().int().positive().optional(),
  usd: z.number().positive().optional(),
});

export const policySchema = z
  .strictObject({
    default: decision.default('ask'),
    rules: z.array(ruleSchema).default([]),
    budgets: z
      .strictObject({
        bead: budgetSchema.prefault({}),
        session: budgetSchema.prefault({}),
        /** Unset unless written, so policies without convoys read as before. */
        convoy: convoyBudgetSchema.optional(),
      })
      .prefault({}),
    sandbox: z.enum(['bubblewrap', 'none']).default('bubblewrap'),
    approvals: z.strictObject({ timeout_seconds: z.number().positive().default(600) }).prefault({}),
    extends_default: z.boolean().default(true),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (rule.id === undefined) return;
      if (seen.has(rule.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          message: `duplicate rule id ${rule.id}`,
        });
      seen.add(rule.id);
    });
  });
export type PolicyConfig = z.output<typeof policySchema>;
export type Budgets = PolicyConfig['budgets'];

/** The name a decision gives a user rule: its id, else `policy.yaml#rules[i]`. */
export function userRuleName(rule: PolicyRule, index: number, fileLabel = policyFileName): string {
  return rule.id ?? `${fileLabel}#rules[${index}]`;
}
