// `gt hook <event>`, the process Claude Code runs for each hook, through the built binary: it
// forwards the hook input to its session and prints the answer, and it fails closed — no session
// URL, a refused connection, a wrong token or a broken answer all exit 2, which blocks the call.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startHookServer, type HookServer } from '../../src/agents/claude-code/hook-server.js';
import { gtBin } from '../support/cli.js';

const preToolUse = {
  session_id: 'f0e1d2c3',
  cwd: '/work/tree',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'sudo rm -rf /' },
  tool_use_id: 'toolu_01',
};

async function hook(event: string, env: Record<string, string>, input: unknown = preToolUse) {
  const result = await execa('node', [gtBin, 'hook', event], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    // A town that does not exist: the hook must never need one.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GT_TOWN: '/nonexistent/town', ...env },
    extendEnv: false,
    reject: false,
    cwd: '/',
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('gt hook', () => {
  it('prints the session’s decision for a pre-tool-use call', async () => {
    const seen: unknown[] = [];
    server = await startHookServer(async (event, input) => {
      seen.push({ event, input });
      return {
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'deny',
          permissionDecisionReason: 'denied by builtin:privilege: agents never run as root',
        },
      };
    });
    const result = await hook('pre-tool-use', { GT_HOOK_URL: server.url, GT_HOOK_TOKEN: server.token });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      hookSpecificOutput: { permissionDecision: 'deny' },
    });
    expect(seen).toEqual([{ event: 'pre-tool-use', input: preToolUse }]);
  });

  it('fails closed with exit 2 when the session’s port is closed', async () => {
    const port = await closedPort();
    const result = await hook('pre-tool-use', {
      GT_HOOK_URL: `http://127.0.0.1:${port}`,
      GT_HOOK_TOKEN: 't',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).toContain('blocked');
  });

  it('fails closed without a session URL, with a wrong token, on an error answer or bad input', async () => {
    expect((await hook('pre-tool-use', {})).stderr).toContain('GT_HOOK_URL is not set');
    expect((await hook('pre-tool-use', {})).exitCode).toBe(2);
    server = await startHookServer(async () => {
      throw new Error('the gateway broke');
    });
    const wrongToken = await hook('pre-tool-use', { GT_HOOK_URL: server.url, GT_HOOK_TOKEN: 'guess' });
    expect(wrongToken).toMatchObject({ exitCode: 2 });
    expect(wrongToken.stderr).toContain('401');
    const env = { GT_HOOK_URL: server.url, GT_HOOK_TOKEN: server.token };
    const broken = await hook('pre-tool-use', env);
    expect(broken).toMatchObject({ exitCode: 2 });
    expect(broken.stderr).toContain('the gateway broke');
    expect(await hook('pre-tool-use', env, 'not json')).toMatchObject({ exitCode: 2 });
    expect((await hook('post-tool-use', env)).exitCode).toBe(2);
    expect((await hook('no-such-event', env)).exitCode).toBe(2);
  });

  it('a broken Stop hook does not block (exit 2 would keep Claude working forever)', async () => {
    const port = await closedPort();
    const result = await hook(
      'stop',
      { GT_HOOK_URL: `http://127.0.0.1:${port}`, GT_HOOK_TOKEN: 't' },
      {
        hook_event_name: 'Stop',
        stop_hook_active: false,
      },
    );
    expect(result.exitCode).toBe(1);
  });
});
