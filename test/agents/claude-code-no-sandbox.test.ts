// A real agent runs only in the sandbox: where bubblewrap cannot run (here: not on PATH), a
// claude-code session does not start at all — a clear error, and Claude never runs (the model
// server sees no request) — unless the policy said `sandbox: none`. Its own file: the sandbox's
// availability is probed once per process, and this one must see no bwrap.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaudeCodeRuntime } from '../../src/agents/index.js';
import type { AgentEvent } from '../../src/agents/index.js';
import { startModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { recordingGateway } from './runtime-contract.js';

const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);

afterAll(removeTempDirs);

describe('claude-code without a working sandbox', () => {
  it('refuses to start, naming the fix, and never runs Claude', async () => {
    const hostPath = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    const server = await startModelServer();
    try {
      const town = await makeTempDir('gt-claude-nosbx');
      const worktree = join(town, 'web', 'polecats', 'nux');
      await mkdir(worktree, { recursive: true });
      const session = new ClaudeCodeRuntime({ graceMs: 1000 }).start({
        sessionId: 'ses-nosbx',
        worktree,
        task: { beadId: 'gt-1', title: 'Anything', steps: [] },
        tools: recordingGateway(),
        config: { command: claudeBin },
        env: {
          PATH: hostPath ?? '/usr/bin:/bin',
          GT_TOWN: town,
          ANTHROPIC_API_KEY: 'sk-ant-x',
          ANTHROPIC_BASE_URL: server.url,
        },
      });
      const events: AgentEvent[] = [];
      for await (const event of session.events) events.push(event);
      expect(events).toEqual([
        {
          type: 'error',
          message: expect.stringMatching(
            /the sandbox does not work here \(bubblewrap is not installed.*runs only inside it.*sandbox: none/,
          ) as unknown,
        },
      ]);
      expect(server.requests).toEqual([]);
    } finally {
      process.env['PATH'] = hostPath;
      await server.close();
    }
  });
});
