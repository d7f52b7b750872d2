// The claude-code runtime passes the runtime contract with the real `claude` binary: each session
// runs in a fresh worktree of a town-like directory, and the scripted model server plays the model
// from each request — every goal command is a Bash tool_use, then a final text; told a call was
// denied, a model that gives up runs `gt-give-up "<why>"`, as the prompt tells Claude to.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from 'vitest';
import { ClaudeCodeRuntime } from '../../src/agents/index.js';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { toolResultsOf } from './model-runtime-cases.js';
import type { ContractGoal } from './runtime-contract.js';
import { agentRuntimeContract } from './runtime-contract.js';

const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);
const haveClaude = existsSync(claudeBin);

/** Claude's model: the goal's commands one per request, then a summary; gives up when told to. */
function playGoal(goal: ContractGoal, request: RecordedRequest): ScriptedTurn {
  const results = toolResultsOf(request);
  if (goal.giveUpWhenDenied && results.at(-1)?.includes('denied by')) {
    const command = `gt-give-up ${JSON.stringify(goal.giveUpWhenDenied)}`;
    return { toolCalls: [{ name: 'Bash', input: { command, description: 'Give up' } }] };
  }
  const command = goal.commands[results.length];
  if (command === undefined) return { text: 'The goal is done.' };
  return { text: `Next: ${command}`, toolCalls: [{ name: 'Bash', input: { command } }] };
}

describe(`claude-code contract${haveClaude ? '' : ' (failing: the claude binary is missing from node_modules; npm ci installs it)'}`, () => {
  let server: ModelServer;
  let town: string;
  let goal: ContractGoal | undefined;
  let since = 0;
  let polecats = 0;
  beforeAll(async () => {
    server = await startModelServer({
      answer: (request) => (goal && request.api === 'anthropic' ? playGoal(goal, request) : undefined),
    });
    town = await makeTempDir('gt-claude-contract');
  });
  afterAll(async () => {
    await server.close();
    await removeTempDirs();
  });

  agentRuntimeContract('claude-code', {
    runtime: () => new ClaudeCodeRuntime({ graceMs: 1000 }),
    task: (next) => {
      goal = next;
      since = server.requests.length;
      return { beadId: 'gt-contract', title: 'contract goal', steps: [] };
    },
    config: () => ({ command: claudeBin, model: 'claude-sonnet-4-5' }),
    transcript: () => JSON.stringify(server.requests.slice(since).map((r) => r.body)),
    // A worktree of its own per session, under a town as `gt sling` lays them out.
    place: async () => {
      polecats += 1;
      const worktree = join(town, 'web', 'polecats', `p${polecats}`);
      await mkdir(worktree, { recursive: true });
      await writeFile(join(worktree, 'README.md'), '# web\n');
      return {
        worktree,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          GT_TOWN: town,
          GT_BEAD: 'gt-contract',
          ANTHROPIC_BASE_URL: server.url,
          ANTHROPIC_API_KEY: 'sk-ant-scripted',
        },
      };
    },
  });
});
