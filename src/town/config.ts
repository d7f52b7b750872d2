// `town.yaml`: the town's name, default agent, budgets, dashboard port, concurrency caps and the
// Witness's limits.
// The zod schema is the only definition of the file; defaults fill in whatever a file leaves out.
import { z } from 'zod';
import { storeUrlProblem } from '../store/url.js';
import type { AgentConfig } from '../agents/index.js';
import { readYamlFile, writeYamlFile } from './yaml-file.js';
import { townPaths } from './paths.js';

export const agentNames = ['script', 'claude-code', 'codex', 'openai', 'anthropic'] as const;
export type AgentName = (typeof agentNames)[number];
/** The runtimes that can serve the Mayor's tools (it plans, so it needs a model: not `script`). */
export const mayorAgentNames = ['anthropic', 'openai', 'claude-code'] as const;

export const defaultDashboardPort = 7777;
export const defaultMaxPolecats = 8;
/** The Witness's limits (one Witness per rig): rework rounds, silence before a nudge, re-dispatches. */
export const defaultWitness = { max_rework: 3, stall_after_seconds: 600, max_redispatch: 3 } as const;

export const townConfigSchema = z.strictObject({
  name: z.string().trim().min(1).max(64).describe("The town's name, shown by `gt status` and the dashboard."),
  default_agent: z
    .enum(agentNames)
    .default('script')
    .describe('The runtime polecats work with (and the Mayor, unless `mayor.agent` says otherwise).'),
  mayor: z
    .strictObject({
      agent: z
        .enum(mayorAgentNames)
        .optional()
        .describe(
          'The runtime the Mayor plans with, whatever the polecats use. Unset: `default_agent`. `gt mayor ask --agent` overrides it.',
        ),
      model: z
        .string()
        .min(1)
        .optional()
        .describe(
          'The model the Mayor asks for, in place of `agents.<agent>.model` (the rest of that entry still applies).',
        ),
    })
    .optional()
    .describe("The Mayor: its own runtime and model, separate from the polecats' `default_agent`."),
  budgets: z
    .strictObject({
      tokens_per_day: z
        .number()
        .int()
        .positive()
        .optional()
        .describe(
          'Tokens the whole town may use per UTC day (as src/roles/budget/usage.ts counts them). Unset: unlimited.',
        ),
      usd_per_day: z
        .number()
        .positive()
        .optional()
        .describe('US dollars the whole town may spend per UTC day. Unset: unlimited.'),
    })
    .prefault({})
    .describe('Daily caps for the whole town; per-bead and per-session budgets live in policy.yaml.'),
  dashboard: z
    .strictObject({
      port: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .default(defaultDashboardPort)
        .describe(
          'Port the dashboard listens on (127.0.0.1). 0: any free port; the daemon writes the one it got to `.gt/dashboard.json`.',
        ),
    })
    .prefault({})
    .describe('The web dashboard served by `gt up`.'),
  concurrency: z
    .strictObject({
      max_polecats: z
        .number()
        .int()
        .positive()
        .default(defaultMaxPolecats)
        .describe('Polecats working at once across every rig.'),
    })
    .prefault({})
    .describe('Caps on how much works at once.'),
  witness: z
    .strictObject({
      max_rework: z
        .number()
        .int()
        .min(0)
        .default(defaultWitness.max_rework)
        .describe(
          'Times a rejected "done" (failed check, refused merge, changes requested on a pull request) goes back to its polecat before the Overseer is asked instead.',
        ),
      stall_after_seconds: z
        .number()
        .int()
        .positive()
        .default(defaultWitness.stall_after_seconds)
        .describe(
          'Seconds without a heartbeat before a working polecat is nudged (and, one period later, stopped).',
        ),
      max_redispatch: z
        .number()
        .int()
        .min(0)
        .default(defaultWitness.max_redispatch)
        .describe('Times a stalled bead is handed back to the queue before the Overseer is asked instead.'),
    })
    .prefault({})
    .describe("The Witness's limits (one Witness per rig)."),
  agents: z
    .partialRecord(
      z.enum(agentNames),
      z
        .strictObject({
          command: z
            .string()
            .min(1)
            .optional()
            .describe('The CLI to run (claude-code, codex). Unset: the installed binary.'),
          args: z.array(z.string()).optional().describe('Extra arguments for the CLI.'),
          model: z.string().min(1).optional().describe("The model to ask for. Unset: the runtime's default."),
          base_url: z
            .url()
            .optional()
            .describe('The model endpoint (openai: any OpenAI-compatible server such as Ollama or vLLM).'),
          api_key_env: z
            .string()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
            .optional()
            .describe('The environment variable holding the API key; the key itself never enters town.yaml.'),
          context_tokens: z
            .number()
            .int()
            .positive()
            .optional()
            .describe("The model's context window, for the model loops' compaction."),
          max_output_tokens: z
            .number()
            .int()
            .positive()
            .optional()
            .describe('Output tokens asked for per model call.'),
        })
        .describe('One runtime: `script`, `claude-code`, `codex`, `openai` or `anthropic`.'),
    )
    .prefault({})
    .describe('How to reach each agent runtime or its model, keyed by runtime name.'),
  telemetry: z
    .strictObject({
      otlp_endpoint: z
        .url()
        .optional()
        .describe(
          'OTLP/HTTP endpoint ledger events are exported to as spans. Unset: `$OTEL_EXPORTER_OTLP_ENDPOINT`, else none.',
        ),
    })
    .prefault({})
    .describe('OpenTelemetry export.'),
  store: z
    .strictObject({
      url: z
        .string()
        .trim()
        .min(1)
        .superRefine((url, ctx) => {
          const problem = storeUrlProblem(url);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `store.url ${problem}` });
        })
        .optional()
        .describe(
          'A PostgreSQL server for the control plane (`postgres://user@host:port/database`), for a town shared by several machines. The password never sits here: write `${GT_STORE_PASSWORD}` (any variable name) in its place, or leave it out and set PGPASSWORD. Unset: the SQLite file `.gt/town.db`. See docs/store.md.',
        ),
    })
    .optional()
    .describe('Where the town keeps its state (beads, ledger, agents, queues).'),
  prices: z
    .record(
      z.string().trim().min(1),
      z
        .strictObject({
          input: z.number().nonnegative().describe('USD per million input tokens.'),
          output: z.number().nonnegative().describe('USD per million output tokens.'),
          cache_read: z
            .number()
            .nonnegative()
            .optional()
            .describe('USD per million cached input tokens read.'),
          cache_write: z
            .number()
            .nonnegative()
            .optional()
            .describe('USD per million input tokens written to the cache.'),
        })
        .describe('The prices of the models the pattern matches.'),
    )
    .optional()
    .describe(
      'USD per million tokens by model pattern (a prefix, or a glob with `*`); entries replace or add to the built-in table (src/roles/budget/prices.ts). `input: 0, output: 0` marks a model as free.',
    ),
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
