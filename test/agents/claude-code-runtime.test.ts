// The claude-code runtime on its own, with the real binary against the scripted model server and a
// recording gateway: a nudge reaches Claude in the middle of its turn, stop() ends the process, a
// later session resumes the conversation, a missing executable names the setting to fix, Claude
// runs in the sandbox behind the egress gate (or on the host when told to, saying so), and a tool that runs without the pre-tool
// hook's verdict ends the session as an error.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaudeCodeRuntime } from '../../src/agents/index.js';
import type { AgentConfig, AgentEvent, AgentSession, ToolGateway } from '../../src/agents/index.js';
import { startModelServer, type ModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { recordingGateway } from './runtime-contract.js';

const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);
const haveClaude = existsSync(claudeBin);

afterAll(removeTempDirs);

interface Place {
  town: string;
  worktree: string;
}

async function place(polecat = 'nux', town?: string): Promise<Place> {
  town ??= await makeTempDir('gt-claude-town');
  const worktree = join(town, 'web', 'polecats', polecat);
  await mkdir(worktree, { recursive: true });
  await writeFile(join(worktree, 'README.md'), '# web\n');
  return { town, worktree };
}

function start(
  at: Place,
  server: ModelServer,
  tools: ToolGateway,
  extra: { config?: AgentConfig; resume?: string; path?: string; sandbox?: boolean } = {},
): AgentSession {
  return new ClaudeCodeRuntime({ graceMs: 1000, sandbox: extra.sandbox ?? true }).start({
    sessionId: 'ses-test',
    worktree: at.worktree,
    task: { beadId: 'gt-test', title: 'Test the runtime', steps: [] },
    tools,
    config: extra.config ?? { command: claudeBin, model: 'claude-sonnet-4-5' },
    env: {
      PATH: extra.path ?? process.env['PATH'] ?? '/usr/bin:/bin',
      GT_TOWN: at.town,
      GT_BEAD: 'gt-test',
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'sk-ant-scripted',
    },
    ...(extra.resume === undefined ? {} : { resume: extra.resume }),
  });
}

async function collect(session: AgentSession): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of session.events) out.push(event);
  return out;
}

const modelCalls = (server: ModelServer) => server.requests.filter((r) => r.api === 'anthropic');

describe(`the claude-code runtime${haveClaude ? '' : ' (failing: the claude binary is missing from node_modules; npm ci installs it)'}`, () => {
  it('delivers a nudge into the running turn; Claude reads it and the session ends', async () => {
    const at = await place();
    const server = await startModelServer({
      script: [
        { toolCalls: [{ name: 'Bash', input: { command: 'echo working' } }] },
        { text: 'Done, and noted the deadline.' },
      ],
    });
    try {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        void box.session?.nudge('you have 5 minutes left');
        return {};
      });
      box.session = start(at, server, tools);
      const events = await collect(box.session);
      expect(events.at(-1)).toEqual({
        type: 'done',
        outcome: 'success',
        summary: 'Done, and noted the deadline.',
      });
      expect(JSON.stringify(modelCalls(server).at(-1)?.body)).toContain('you have 5 minutes left');
      // One turn: the nudge joined it instead of starting another.
      expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('stop() ends Claude while it waits for its model', async () => {
    const at = await place();
    const server = await startModelServer({ script: [{ text: 'too late', delayMs: 60_000 }] });
    try {
      const session = start(at, server, recordingGateway());
      const events = collect(session);
      await server.waitForRequest((r) => r.api === 'anthropic');
      await session.stop('overseer pressed stop');
      expect((await events).at(-1)).toEqual({
        type: 'done',
        outcome: 'failure',
        summary: 'stopped: overseer pressed stop',
      });
    } finally {
      await server.close();
    }
  });

  it('resumes the conversation of an earlier session by its id, from another polecat’s worktree', async () => {
    const at = await place();
    const server = await startModelServer({
      script: [
        { text: 'First session: the plan is to add hello.txt.' },
        { text: 'Picked up where I left off.' },
        { text: 'Starting over.' },
      ],
    });
    try {
      const first = await collect(start(at, server, recordingGateway()));
      const ref = first.find((e) => e.type === 'agent_session');
      expect(ref).toBeDefined();
      const id = ref?.type === 'agent_session' ? ref.id : '';
      // Claude looks for a conversation under the current directory only; the runtime moves it.
      const elsewhere = await place('slit', at.town);
      const second = await collect(start(elsewhere, server, recordingGateway(), { resume: id }));
      expect(second.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      expect(JSON.stringify(modelCalls(server).at(-1)?.body)).toContain('the plan is to add hello.txt');
      // A conversation that is gone is started afresh, and the transcript says so.
      const lost = '00000000-0000-4000-8000-000000000000';
      const third = await collect(start(at, server, recordingGateway(), { resume: lost }));
      expect(third).toContainEqual({
        type: 'message',
        text: `gt: no saved Claude Code conversation ${lost}; starting a new one`,
      });
      expect(third.at(-1)).toMatchObject({ type: 'done', outcome: 'success', summary: 'Starting over.' });
    } finally {
      await server.close();
    }
  });

  it('names the town.yaml setting when the executable is missing', async () => {
    const at = await place();
    const server = await startModelServer();
    try {
      const configured = await collect(
        start(at, server, recordingGateway(), { config: { command: join(at.town, 'no-claude') } }),
      );
      expect(configured).toEqual([
        { type: 'error', message: expect.stringContaining('agents.claude-code.command') as unknown },
      ]);
      const onPath = await collect(start(at, server, recordingGateway(), { config: {}, path: at.town }));
      expect(JSON.stringify(onPath)).toContain('no `claude` executable on PATH');
      expect(JSON.stringify(onPath)).toContain('agents.claude-code.command in town.yaml');
      expect(modelCalls(server)).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('a refused API key ends the session as a failure with what Claude said', async () => {
    const at = await place();
    // Claude Code retries even a 401 unless the API says not to.
    const refused = { error: { status: 401, message: 'invalid x-api-key', shouldRetry: false } };
    const server = await startModelServer({ script: [refused], whenEmpty: refused });
    try {
      const events = await collect(start(at, server, recordingGateway()));
      const last = events.at(-1);
      expect(last).toMatchObject({ type: 'done', outcome: 'failure' });
      expect(last).toMatchObject({ summary: expect.stringContaining('(API status 401)') as unknown });
      expect(JSON.stringify(last)).toContain('Invalid API key');
    } finally {
      await server.close();
    }
  });

  it('runs Claude inside the sandbox, or on the host saying so', async () => {
    const script = () => [
      { toolCalls: [{ name: 'Bash', input: { command: 'id -u; ls ~ /; echo "key=$ANTHROPIC_API_KEY"' } }] },
      { text: 'Looked around.' },
    ];
    const output = async (sandbox: boolean) => {
      const at = await place();
      const server = await startModelServer({ script: script() });
      try {
        const events = await collect(start(at, server, recordingGateway(), { sandbox }));
        expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
        const result = events.find((e) => e.type === 'tool_result');
        return {
          output: result?.type === 'tool_result' ? result.outcome.output : '',
          notes: events.flatMap((e) => (e.type === 'message' && e.text.startsWith('gt:') ? [e.text] : [])),
        };
      } finally {
        await server.close();
      }
    };
    const inside = await output(true);
    expect(inside.notes).toEqual([]);
    // Inside, / shows the system directories and no home; the key is the egress gate's placeholder,
    // never the real one (the gate swaps it in on the way to the model).
    expect(inside.output).toContain('usr');
    expect(inside.output).not.toMatch(/^root$/m);
    expect(inside.output).toMatch(/^key=sk-ant-gastown-[0-9a-f]{48}$/m);
    expect(inside.output).not.toContain('sk-ant-scripted');
    if (process.getuid?.() === 0) expect(inside.output.split('\n')[0]).toBe('61000');
    const outside = await output(false);
    expect(outside.notes).toEqual([
      expect.stringContaining('runs on the host, not in the sandbox') as unknown,
    ]);
    expect(outside.output.split('\n')[0]).toBe(String(process.getuid?.()));
  });

  it('a tool that ran without the pre-tool hook ends the session as an error', async () => {
    const at = await place();
    const server = await startModelServer({
      script: [
        { toolCalls: [{ name: 'Read', input: { file_path: join(at.worktree, 'README.md') } }] },
        { text: 'Read it.' },
      ],
    });
    try {
      const tools = recordingGateway();
      // An executable that adds settings after ours switches every hook off (town.yaml args may not:
      // gt refuses them); Claude then reads files on its own say-so.
      const bin = await makeTempDir('gt-hookless-claude');
      const wrapper = join(bin, 'claude');
      await writeFile(
        wrapper,
        `#!/bin/sh\nexec '${claudeBin}' "$@" --settings '{"disableAllHooks":true}'\n`,
        { mode: 0o755 },
      );
      const config = { command: wrapper };
      const events = await collect(start(at, server, tools, { config }));
      expect(tools.calls).toHaveLength(0);
      const last = events.at(-1);
      expect(last?.type).toBe('error');
      expect(JSON.stringify(last)).toContain('ran without asking the Gas Town policy');
    } finally {
      await server.close();
    }
  });
});

describe('the claude-code runtime with a broken executable', () => {
  it('reports a process that ends without a result as an error with its stderr', async () => {
    const at = await place();
    const bin = await makeTempDir('gt-fake-claude');
    const fake = join(bin, 'claude');
    await writeFile(fake, '#!/bin/sh\necho "claude: cannot read its settings" >&2\nexit 3\n', {
      mode: 0o755,
    });
    const server = await startModelServer();
    try {
      const events = await collect(start(at, server, recordingGateway(), { config: { command: fake } }));
      expect(events).toEqual([
        {
          type: 'error',
          message: 'claude ended (exit code 3) without a result: claude: cannot read its settings',
        },
      ]);
    } finally {
      await server.close();
    }
  });
});
