// The codex runtime passes the runtime contract with the real Codex CLI: each session runs in a
// fresh worktree with GT_TOWN set, and the scripted model server plays the model over the Responses
// API from each request — every goal command is an `exec_command`, then a final text; told a call
// was denied, a model that gives up runs `gt-give-up "<why>"`, as the prompt tells Codex to.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from 'vitest';
import { CodexRuntime } from '../../src/agents/codex/runtime.js';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import type { ContractGoal } from './runtime-contract.js';
import { agentRuntimeContract } from './runtime-contract.js';

const codexBin = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));
const haveCodex = existsSync(codexBin);

/** The outputs of the calls so far, oldest first, as the Responses API carries them. */
function callOutputs(request: RecordedRequest): string[] {
  const input = (request.body as { input?: unknown } | null)?.input;
  if (!Array.isArray(input)) return [];
  return input.flatMap((item: { type?: string; output?: unknown }) =>
    item.type === 'function_call_output' ? [JSON.stringify(item.output)] : [],
  );
}

const exec = (cmd: string) => ({ name: 'exec_command', input: { cmd } });

/** Codex's model: the goal's commands one per request, then a summary; gives up when told to. */
function playGoal(goal: ContractGoal, request: RecordedRequest): ScriptedTurn {
  const outputs = callOutputs(request);
  if (goal.giveUpWhenDenied && outputs.at(-1)?.includes('policy denied this')) {
    return { toolCalls: [exec(`gt-give-up ${JSON.stringify(goal.giveUpWhenDenied)}`)] };
  }
  const command = goal.commands[outputs.length];
  if (command === undefined) return { text: 'The goal is done.' };
  return { text: `Next: ${command}`, toolCalls: [exec(command)] };
}

describe(`codex contract${haveCodex ? '' : ' (failing: node_modules/.bin/codex is missing; npm ci installs it)'}`, () => {
  let server: ModelServer;
  let town: string;
  let goal: ContractGoal | undefined;
  let since = 0;
  beforeAll(async () => {
    server = await startModelServer({
      answer: (request) => (goal && request.api === 'responses' ? playGoal(goal, request) : undefined),
    });
    town = await makeTempDir('gt-codex-contract');
  });
  afterAll(async () => {
    await server.close();
    await removeTempDirs();
  });

  agentRuntimeContract('codex', {
    runtime: () => new CodexRuntime(),
    task: (next) => {
      goal = next;
      since = server.requests.length;
      return { beadId: 'gt-contract', title: 'contract goal', steps: [] };
    },
    config: () => ({
      command: codexBin,
      baseUrl: `${server.url}/v1`,
      model: 'gpt-5.5',
      apiKeyEnv: 'CODEX_TEST_API_KEY',
    }),
    transcript: () => JSON.stringify(server.requests.slice(since).map((r) => r.body)),
    place: async () => ({
      worktree: await makeTempDir('gt-codex-contract-wt'),
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/root',
        GT_TOWN: town,
        CODEX_TEST_API_KEY: 'sk-codex-contract',
      },
    }),
  });
});
