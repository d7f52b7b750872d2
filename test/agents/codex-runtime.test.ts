// The codex runtime with the real Codex CLI against the scripted model server and a recording
// gateway: the contract's promises (every call through the gateway, one done; a denied call never
// runs and the model hears the rule, giving up ends in a failure naming it; stop; nudge), plus
// what only Codex has: secrets kept from its commands, a thread resumed by a later session, and a
// clear error when the executable is missing.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codexHomeOf } from '../../src/agents/codex/command.js';
import { CodexRuntime } from '../../src/agents/codex/runtime.js';
import type { AgentConfig, AgentEvent, AgentSession, ToolGateway } from '../../src/agents/index.js';
import { startModelServer, type ModelServer, type ScriptedTurn } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { recordingGateway } from './runtime-contract.js';

const codexBin = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));
const haveCodex = existsSync(codexBin);

afterAll(async () => {
  // Codex's home lives in the town (.gt/agents/codex/<bead>), removed with it.
  await removeTempDirs();
});

const exec = (cmd: string) => ({ name: 'exec_command', input: { cmd } });

interface Run {
  server: ModelServer;
  town: string;
  worktree: string;
  start(
    tools: ToolGateway,
    options?: { resume?: string; config?: AgentConfig; sandbox?: 'none' },
  ): AgentSession;
}

async function codexRun(script: ScriptedTurn[]): Promise<Run> {
  const server = await startModelServer({ script });
  const town = await makeTempDir('gt-codex-town');
  const worktree = await makeTempDir('gt-codex-wt');
  return {
    server,
    town,
    worktree,
    start: (tools, options = {}) =>
      new CodexRuntime().start({
        sessionId: 'ses-codex',
        worktree,
        task: { beadId: 'gt-1', title: 'Write the files', steps: [] },
        tools,
        config: options.config ?? {
          command: codexBin,
          baseUrl: `${server.url}/v1`,
          model: 'gpt-5.5',
          apiKeyEnv: 'CODEX_TEST_API_KEY',
        },
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: process.env['HOME'] ?? '/root',
          GT_TOWN: town,
          CODEX_TEST_API_KEY: 'sk-very-secret-value',
        },
        ...(options.resume === undefined ? {} : { resume: options.resume }),
        ...(options.sandbox === undefined ? {} : { sandbox: options.sandbox }),
      }),
  };
}

async function collect(session: AgentSession): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of session.events) events.push(event);
  return events;
}

const sent = (server: ModelServer) => JSON.stringify(server.requests.map((request) => request.body));

describe(`the codex runtime${haveCodex ? '' : ' (failing: node_modules/.bin/codex is missing; npm ci installs it)'}`, () => {
  it('acts only through the gateway, keeps secrets from its commands, and ends with one done', async () => {
    const run = await codexRun([
      { toolCalls: [exec('echo one > a.txt')] },
      { toolCalls: [exec('env')] },
      { text: 'Wrote a.txt.' },
    ]);
    try {
      const tools = recordingGateway();
      const events = await collect(run.start(tools));
      expect(tools.calls.map((call) => call.command)).toEqual(['echo one > a.txt', 'env']);
      expect(events.filter((e) => e.type === 'done' || e.type === 'error')).toHaveLength(1);
      expect(events.at(-1)).toEqual({ type: 'done', outcome: 'success', summary: 'Wrote a.txt.' });
      const outputs = events.flatMap((e) => (e.type === 'tool_result' ? [e.outcome.output] : []));
      expect(outputs).toHaveLength(2);
      expect(outputs[1]).toContain('CODEX_HOME=');
      expect(outputs[1]).not.toContain('sk-very-secret-value');
      expect(outputs[1]).not.toContain('GT_CODEX_HOOK');
      expect(events.find((e) => e.type === 'agent_session')).toMatchObject({
        id: expect.any(String) as unknown,
      });
    } finally {
      await run.server.close();
    }
  });

  it('a denied call never runs, the model hears the rule, and giving up ends in a failure naming it', async () => {
    const run = await codexRun([
      { toolCalls: [exec('sudo make install')] },
      { toolCalls: [exec('gt-give-up "sudo is not allowed"')] },
      { text: 'never asked for' },
    ]);
    try {
      const tools = recordingGateway((request) =>
        request.command?.includes('sudo')
          ? { status: 'denied', decision: 'deny', rule: 'builtin:no-sudo' }
          : {},
      );
      const events = await collect(run.start(tools));
      expect(tools.calls.map((call) => call.command)).toEqual(['sudo make install']);
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'failure' });
      const summary = JSON.stringify(events.at(-1));
      expect(summary).toContain('gave up: sudo is not allowed');
      expect(summary).toContain('builtin:no-sudo');
      expect(sent(run.server)).toContain('Gas Town policy denied this (builtin:no-sudo)');
    } finally {
      await run.server.close();
    }
  });

  it('stops when asked, killing the command under way', async () => {
    const run = await codexRun([{ toolCalls: [exec('sleep 30; echo late > late.txt')] }, { text: 'done' }]);
    try {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        setTimeout(() => void box.session?.stop('overseer pressed stop'), 200);
        return {};
      });
      box.session = run.start(tools);
      const events = await collect(box.session);
      expect(events.at(-1)).toEqual({
        type: 'done',
        outcome: 'failure',
        summary: 'stopped: overseer pressed stop',
      });
      expect(existsSync(`${run.worktree}/late.txt`)).toBe(false);
    } finally {
      await run.server.close();
    }
  });

  it('takes a nudge as its next turn, in the same thread', async () => {
    const run = await codexRun([
      { toolCalls: [exec('echo 1 > one.txt')] },
      { text: 'First part done.' },
      { text: 'Heard you: wrapping up.' },
    ]);
    try {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        void box.session?.nudge('you have 5 minutes left');
        return {};
      });
      box.session = run.start(tools);
      const events = await collect(box.session);
      expect(events.at(-1)).toEqual({
        type: 'done',
        outcome: 'success',
        summary: 'Heard you: wrapping up.',
      });
      const last = JSON.stringify(run.server.requests.at(-1)?.body);
      expect(last).toContain('you have 5 minutes left');
      expect(last).toContain('First part done.');
      expect(events.filter((e) => e.type === 'agent_session')).toHaveLength(1);
    } finally {
      await run.server.close();
    }
  });

  it('runs on the host under its own sandbox only with policy.yaml `sandbox: none`, and says so', async () => {
    const run = await codexRun([
      { toolCalls: [exec('echo host > host.txt; id -u')] },
      { text: 'On the host.' },
    ]);
    try {
      const tools = recordingGateway();
      const events = await collect(run.start(tools, { sandbox: 'none' }));
      expect(events.at(-1)).toEqual({ type: 'done', outcome: 'success', summary: 'On the host.' });
      expect(events[0]).toMatchObject({
        type: 'message',
        text: expect.stringContaining('sandbox: none') as unknown,
      });
      expect(tools.calls.map((call) => call.command)).toEqual(['echo host > host.txt; id -u']);
      expect(await readFile(join(run.worktree, 'host.txt'), 'utf8')).toBe('host\n');
      // Straight to the model server: no gate stands in between, so Codex holds the real key.
      expect(run.server.requests.find((r) => r.api === 'responses')?.headers.authorization).toBe(
        'Bearer sk-very-secret-value',
      );
    } finally {
      await run.server.close();
      // On the host a town under /tmp keeps Codex's home in ~/.cache (see codexHomeOf).
      await rm(codexHomeOf(run.town), { recursive: true, force: true });
    }
  });

  it('resumes the thread of an earlier session', async () => {
    const run = await codexRun([
      { text: 'Remember the word: tangerine.' },
      { text: 'The word was tangerine.' },
    ]);
    try {
      const first = await collect(run.start(recordingGateway()));
      const thread = first.find((e) => e.type === 'agent_session');
      expect(thread?.type).toBe('agent_session');
      const id = thread?.type === 'agent_session' ? thread.id : '';
      const second = await collect(run.start(recordingGateway(), { resume: id }));
      expect(second.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      expect(JSON.stringify(run.server.requests.at(-1)?.body)).toContain('Remember the word: tangerine.');
    } finally {
      await run.server.close();
    }
  });

  it('names agents.codex.command when the executable is missing, and says why one will not start', async () => {
    const run = await codexRun([]);
    try {
      const events = await collect(
        run.start(recordingGateway(), {
          config: { command: '/nonexistent/codex', baseUrl: `${run.server.url}/v1` },
        }),
      );
      expect(events).toEqual([
        {
          type: 'done',
          outcome: 'failure',
          summary: expect.stringContaining(
            'agents.codex.command in town.yaml is /nonexistent/codex',
          ) as unknown,
        },
      ]);
      const inTown = join(run.town, 'codex');
      await writeFile(inTown, '#!/bin/sh\n', { mode: 0o755 });
      const hidden = await collect(
        run.start(recordingGateway(), { config: { command: inTown, baseUrl: `${run.server.url}/v1` } }),
      );
      expect(hidden.at(-1)).toMatchObject({
        type: 'done',
        outcome: 'failure',
        summary: expect.stringContaining('inside the town, which the sandbox hides') as unknown,
      });
      const broken = join(await makeTempDir('gt-codex-broken'), 'codex');
      await writeFile(broken, '#!/nonexistent/interpreter\n', { mode: 0o755 });
      const failed = await collect(
        run.start(recordingGateway(), { config: { command: broken, baseUrl: `${run.server.url}/v1` } }),
      );
      expect(failed.at(-1)).toMatchObject({
        type: 'done',
        outcome: 'failure',
        // Started by bwrap inside the sandbox: the shell there reports the missing interpreter.
        summary: expect.stringMatching(/codex exited with 127: .*not found/) as unknown,
      });
    } finally {
      await run.server.close();
    }
  });
});
