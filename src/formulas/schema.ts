// The formula format (version 1), as Gas Town's and beads' `*.formula.toml` files write it: the
// zod schemas that check a parsed file. Objects are loose: a key we do not know is kept (see
// unknown-keys.ts) so that `show` can report it and nothing is silently dropped.
import { z } from 'zod';

export const formulaTypes = ['workflow', 'convoy', 'expansion', 'aspect'] as const;
export type FormulaType = (typeof formulaTypes)[number];

export const varTypes = ['string', 'int', 'bool', 'number', 'boolean'] as const;

const text = z.string();
const strings = z.array(z.string());
const identifier = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be letters, digits, `_`, `-` or `.`');

/** A plain default string (`name = "x"`), or a table. `required` with a `default` is an error. */
export const varDefSchema = z.union([
  z.string(),
  z
    .looseObject({
      description: text.optional(),
      default: z.union([z.string(), z.number(), z.boolean()]).optional(),
      required: z.boolean().optional(),
      enum: strings.optional(),
      pattern: text.optional(),
      type: z.enum(varTypes).optional(),
    })
    .refine((v) => !(v.required === true && v.default !== undefined), {
      message: 'a required variable cannot have a default',
      path: ['required'],
    }),
]);

export const gateSchema = z.looseObject({
  type: z.string().min(1),
  id: text.optional(),
  timeout: text.optional(),
});

const loopShape = {
  count: z.number().int().positive().optional(),
  until: text.optional(),
  max: z.number().int().positive().optional(),
  range: text.optional(),
  var: identifier.optional(),
};

export interface RawStep {
  id: string;
  title?: string | undefined;
  description?: string | undefined;
  notes?: string | undefined;
  acceptance?: string | undefined;
  type?: string | undefined;
  priority?: number | undefined;
  labels?: string[] | undefined;
  assignee?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  needs?: string[] | undefined;
  depends_on?: string[] | undefined;
  condition?: string | undefined;
  children?: RawStep[] | undefined;
  gate?: z.output<typeof gateSchema> | undefined;
  loop?: (z.output<z.ZodObject<typeof loopShape>> & { body: RawStep[] }) | undefined;
  agent?: string | undefined;
  run?: string[] | undefined;
  [key: string]: unknown;
}

export const stepSchema: z.ZodType<RawStep> = z.lazy(() =>
  z.looseObject({
    id: identifier,
    title: text.optional(),
    description: text.optional(),
    notes: text.optional(),
    acceptance: text.optional(),
    type: identifier.optional(),
    priority: z.number().int().min(0).max(4).optional(),
    labels: strings.optional(),
    assignee: text.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    needs: strings.optional(),
    depends_on: strings.optional(),
    condition: text.optional(),
    children: z.array(stepSchema).optional(),
    gate: gateSchema.optional(),
    loop: z.looseObject({ ...loopShape, body: z.array(stepSchema).min(1, 'a loop needs a body') }).optional(),
    agent: text.optional(),
    run: strings.optional(),
  }),
);

export const inputSchema = z.looseObject({
  description: text.optional(),
  type: text.optional(),
  required: z.boolean().optional(),
  required_unless: strings.optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

export const legSchema = z.looseObject({
  id: identifier,
  title: text.optional(),
  focus: text.optional(),
  description: text.optional(),
  agent: text.optional(),
  run: strings.optional(),
});

export const presetSchema = z.looseObject({ description: text.optional(), legs: strings });

export const synthesisSchema = z.looseObject({
  title: text.optional(),
  description: text.optional(),
  depends_on: strings.optional(),
  agent: text.optional(),
  run: strings.optional(),
});

export const outputSchema = z.looseObject({
  directory: text.optional(),
  leg_pattern: text.optional(),
  synthesis: text.optional(),
});

export const formulaFileSchema = z.looseObject({
  formula: identifier,
  description: text.optional(),
  version: z.number().int().optional(),
  type: z.enum(formulaTypes).optional(),
  extends: z.union([identifier, z.array(identifier)]).optional(),
  vars: z.record(z.string(), varDefSchema).optional(),
  steps: z.array(stepSchema).optional(),
  inputs: z.record(z.string(), inputSchema).optional(),
  prompts: z.record(z.string(), z.string()).optional(),
  output: outputSchema.optional(),
  legs: z.array(legSchema).optional(),
  presets: z.record(z.string(), presetSchema).optional(),
  synthesis: synthesisSchema.optional(),
});
export type FormulaFile = z.output<typeof formulaFileSchema>;

/** The keys each kind of table defines; anything else is kept and reported as not acted on. */
export const knownKeys = {
  formula: Object.keys(formulaFileSchema.shape),
  step: [
    'id',
    'title',
    'description',
    'notes',
    'acceptance',
    'type',
    'priority',
    'labels',
    'assignee',
    'metadata',
    'needs',
    'depends_on',
    'condition',
    'children',
    'gate',
    'loop',
    'agent',
    'run',
  ],
  var: ['description', 'default', 'required', 'enum', 'pattern', 'type'],
  gate: Object.keys(gateSchema.shape),
  loop: [...Object.keys(loopShape), 'body'],
  input: Object.keys(inputSchema.shape),
  leg: Object.keys(legSchema.shape),
  preset: Object.keys(presetSchema.shape),
  synthesis: Object.keys(synthesisSchema.shape),
  output: Object.keys(outputSchema.shape),
} as const;
