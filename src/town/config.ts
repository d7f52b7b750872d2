// `town.yaml`: the town's name, default agent, budgets, dashboard port, concurrency caps and the
// Witness's limits.
// The zod schema is the only definition of the file; defaults fill in whatever a file leaves out.
import { z } from 'zod';
import type { AgentConfig } from '../agents/index.js';
import { readYamlFile, writeYamlFile } from './yaml-file.js';
import { townPaths } from './paths.js';

export const agentNames = ['script', 'claude-code', 'codex', 'openai', 'anthropic'] as const;
export type AgentName = (typeof agentNames)[number];

export const defaultDashboardPort = 7777;
export const defaultMaxPolecats = 8;
/** The Witness's limits (one Witness per rig): rework rounds, silence before a nudge, re-dispatches. */
export const defaultWitness = { max_rework: 3, stall_after_seconds: 600, max_redispatch: 3 } as const;

export const townConfigSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  default_agent: z.enum(agentNames).default('script'),
  /** Daily caps for the whole town (UTC days; tokens as src/roles/usage.ts counts them), unset = unlimited. */
  budgets: z
    .strictObject({
      tokens_per_day: z.number().int().positive().optional(),
      usd_per_day: z.number().positive().optional(),
    })
    .prefault({}),
  dashboard: z
    // 0 = any free port (tests); the daemon writes the one it got to .gt/dashboard.json.
    .strictObject({ port: z.number().int().min(0).max(65535).default(defaultDashboardPort) })
    .prefault({}),
  concurrency: z
    .strictObject({ max_polecats: z.number().int().positive().default(defaultMaxPolecats) })
    .prefault({}),
  witness: z
    .strictObject({
      /** Times a rejected "done" goes back to its polecat before the Overseer is asked instead. */
      max_rework: z.number().int().min(0).default(defaultWitness.max_rework),
      /** Seconds without a heartbeat before a working polecat is nudged (and, one period later, stopped). */
      stall_after_seconds: z.number().int().positive().default(defaultWitness.stall_after_seconds),
      /** Times a stalled bead is handed back to the queue before the Overseer is asked instead. */
      max_redispatch: z.number().int().min(0).default(defaultWitness.max_redispatch),
    })
    .prefault({}),
  /** How to reach each agent or its model (see AgentConfig); keys are read from the named variables. */
  agents: z
    .partialRecord(
      z.enum(agentNames),
      z.strictObject({
        command: z.string().min(1).optional(),
        args: z.array(z.string()).optional(),
        model: z.string().min(1).optional(),
        base_url: z.url().optional(),
        api_key_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .optional(),
        context_tokens: z.number().int().positive().optional(),
        max_output_tokens: z.number().int().positive().optional(),
      }),
    )
    .prefault({}),
  /** Where ledger events go as OpenTelemetry spans (OTLP/HTTP); unset = only $OTEL_EXPORTER_OTLP_ENDPOINT. */
  telemetry: z.strictObject({ otlp_endpoint: z.url().optional() }).prefault({}),
  /**
   * USD per million tokens by model pattern (a prefix, or a glob with `*`); entries replace or add to
   * the built-in table (src/roles/prices.ts). `input: 0, output: 0` marks a model as free.
   */
  prices: z
    .record(
      z.string().trim().min(1),
      z.strictObject({
        input: z.number().nonnegative(),
        output: z.number().nonnegative(),
        cache_read: z.number().nonnegative().optional(),
        cache_write: z.number().nonnegative().optional(),
      }),
    )
    .optional(),
});
export type TownConfig = z.output<typeof townConfigSchema>;

const header = 'Gas Town: town settings. Edit freely; `gt` validates this file on every command.';

export async function loadTownConfig(root: string): Promise<TownConfig> {
  return readYamlFile(townPaths(root).config, townConfigSchema);
}

/** Writes a new `town.yaml`, refusing to replace one that exists. */
export async function writeNewTownConfig(root: string, config: TownConfig): Promise<void> {
  await writeYamlFile(townPaths(root).config, header, config, true);
}

/** The settings of one agent from `town.yaml`, in the runtime's terms. */
export function agentConfigOf(config: TownConfig, agent: string): AgentConfig {
  const entry = config.agents[agent as AgentName];
  if (!entry) return {};
  return {
    ...(entry.command === undefined ? {} : { command: entry.command }),
    ...(entry.args === undefined ? {} : { args: entry.args }),
    ...(entry.model === undefined ? {} : { model: entry.model }),
    ...(entry.base_url === undefined ? {} : { baseUrl: entry.base_url }),
    ...(entry.api_key_env === undefined ? {} : { apiKeyEnv: entry.api_key_env }),
    ...(entry.context_tokens === undefined ? {} : { contextTokens: entry.context_tokens }),
    ...(entry.max_output_tokens === undefined ? {} : { maxOutputTokens: entry.max_output_tokens }),
  };
}
