// Every runtime's first words name each context rig: its name, the path the agent sees it at, its
// target branch and head (short sha), and that it is read-only reference. Claude Code's task prompt,
// Codex's prompt, the model loops' system prompt and the script runtime's opening message.
import { describe, expect, it } from 'vitest';
import type { AgentEvent, SessionContextRig, SessionStart } from '../../src/agents/index.js';
import { ScriptRuntime, contextRigsText } from '../../src/agents/index.js';
import { taskPrompt } from '../../src/agents/claude-code/prompt.js';
import { promptOf } from '../../src/agents/codex/session.js';
import { systemPrompt } from '../../src/agents/model/session.js';
import { recordingGateway } from './runtime-contract.js';

const apiHead = '1f2e3d4c5b6a79880123456789abcdef01234567';
const coreHead = 'abcdef0123456789abcdef0123456789abcdef01';
const rigs: SessionContextRig[] = [
  {
    name: 'api',
    path: '/town/dashboard/polecats/.context/api',
    source: '/town/api/context/' + apiHead,
    branch: 'main',
    head: apiHead,
  },
  {
    name: 'core',
    path: '/town/dashboard/polecats/.context/core',
    source: '/town/core/context/' + coreHead,
    branch: 'trunk',
    head: coreHead,
    note: 'could not fetch it (offline); this is the last fetched head',
  },
];

function startWith(contextRigs?: SessionContextRig[]): SessionStart {
  return {
    sessionId: 'ses-1',
    worktree: '/town/dashboard/polecats/nux',
    task: { beadId: 'db-1', title: 'Add runtime flags', steps: ['true'] },
    tools: recordingGateway(),
    config: {},
    env: {},
    ...(contextRigs === undefined ? {} : { contextRigs }),
  };
}

function expectNamesEveryRig(text: string): void {
  expect(text).toContain('read-only');
  expect(text).toContain('- api: /town/dashboard/polecats/.context/api (branch main at 1f2e3d4c5b6a)');
  expect(text).toContain('- core: /town/dashboard/polecats/.context/core (branch trunk at abcdef012345)');
  expect(text).toContain('could not fetch it (offline)');
  // The host's snapshot path is the sandbox's business, not the agent's.
  expect(text).not.toContain('/town/api/context/');
}

describe('the context rigs in every prompt', () => {
  const prompts: [string, (start: SessionStart) => string][] = [
    ['claude-code', taskPrompt],
    ['codex', promptOf],
    ['openai and anthropic', systemPrompt],
  ];
  for (const [runtime, prompt] of prompts) {
    it(`${runtime} names each rig, its path, branch and head`, () => {
      expectNamesEveryRig(prompt(startWith(rigs)));
      expect(prompt(startWith())).not.toContain('Context rigs');
    });
  }

  it('the script runtime says it before its steps run', async () => {
    const events: AgentEvent[] = [];
    for await (const event of new ScriptRuntime().start(startWith(rigs)).events) events.push(event);
    const said = events.flatMap((event) => (event.type === 'message' ? [event.text] : []));
    expectNamesEveryRig(said.join('\n'));
  });

  it('says nothing without context rigs', () => {
    expect(contextRigsText(undefined)).toBeUndefined();
    expect(contextRigsText([])).toBeUndefined();
  });
});
