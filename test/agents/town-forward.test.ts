// The forwarding endpoint on its own: a session's loopback server with the `/exec` route over a real
// town, driven by raw HTTP and by the real `gt shim` client (the built CLI). Only the session's
// token gets in; allowed town commands run as the polecat, with their output and exit code handed
// back and an `agent.town_command` in the ledger; the Overseer's commands and a borrowed `--actor`
// or `--town` are refused before anything runs.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHookServer } from '../../src/agents/claude-code/hook-server.js';
import type { HookServer } from '../../src/agents/claude-code/hook-server.js';
import { checkTownCommand } from '../../src/agents/town-forward-policy.js';
import { townForwardRoutes } from '../../src/agents/town-forward-session.js';
import { gtBin, runGt } from '../support/cli.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

const actor = 'web/polecats/nux';

interface Fixture {
  town: RigTown;
  worktree: string;
  bead: string;
  server: HookServer;
}

async function post(server: HookServer, body: unknown, token?: string) {
  const res = await fetch(`${server.url}/exec`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface FeedEvent {
  kind: string;
  actor: string;
  session_id?: string;
  payload: Record<string, unknown>;
}

async function townCommands(town: RigTown, bead: string): Promise<FeedEvent[]> {
  const out = await town.ok('--json', 'feed', '--bead', bead, '-n', '0');
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FeedEvent)
    .filter((event) => event.kind === 'agent.town_command');
}

describe('the town forwarding endpoint', () => {
  let fx: Fixture;
  let servers: HookServer[] = [];

  beforeAll(async () => {
    const town = await makeRigTown();
    const worktree = join(town.root, town.rig, 'polecats', 'nux');
    await mkdir(worktree, { recursive: true });
    const bead = await town.bead('Fix the login page', []);
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      GT_TOWN: town.root,
      GT_ACTOR: actor,
      GT_SESSION: 'ses-forward',
      GT_BEAD: bead,
    };
    const server = await startHookServer(
      () => Promise.resolve({}),
      townForwardRoutes({ env, worktree }, () => gtBin),
    );
    servers.push(server);
    fx = { town, worktree, bead, server };
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  it('answers only the session token: none or a wrong one is 401 and runs nothing', async () => {
    const create = { shim: 'bd', args: ['create', 'sneaky', '--rig', 'web'], cwd: fx.worktree };
    expect((await post(fx.server, create)).status).toBe(401);
    expect((await post(fx.server, create, 'not-the-token')).status).toBe(401);
    const listed = await fx.town.ok('--json', 'bd', 'list');
    expect(listed).not.toContain('sneaky');
    expect(await townCommands(fx.town, fx.bead)).toEqual([]);
  });

  it('runs bd as the polecat, in the worktree, and records agent.town_command', async () => {
    const { status, json } = await post(
      fx.server,
      {
        shim: 'bd',
        args: ['create', 'found a bug', '--deps', `discovered-from:${fx.bead}`, '--json'],
        cwd: fx.worktree,
      },
      fx.server.token,
    );
    expect(status).toBe(200);
    expect(json['exitCode'], String(json['stderr'])).toBe(0);
    const created = JSON.parse(String(json['stdout'])) as { id: string };
    // The cwd is the worktree, so the id has the rig's prefix.
    expect(created.id.split('-')[0]).toBe(fx.bead.split('-')[0]);
    const [shown] = JSON.parse(await fx.town.ok('--json', 'bd', 'show', created.id)) as {
      created_by?: string;
      dependencies?: { id?: string; depends_on_id?: string; type?: string; dependency_type?: string }[];
    }[];
    expect(JSON.stringify(shown?.dependencies)).toContain(fx.bead);
    expect(JSON.stringify(shown?.dependencies)).toContain('discovered-from');
    const trace = await fx.town.ok('--json', 'feed', '-n', '0');
    const createdEvent = trace
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as FeedEvent & { bead_id?: string })
      .find((event) => event.kind === 'bead.created' && event.bead_id === created.id);
    expect(createdEvent?.actor).toBe(actor);
    const recorded = await townCommands(fx.town, fx.bead);
    expect(recorded.at(-1)).toMatchObject({
      actor,
      session_id: 'ses-forward',
      payload: {
        argv: ['bd', 'create', 'found a bug', '--deps', `discovered-from:${fx.bead}`, '--json'],
        exit_code: 0,
      },
    });
    // The token is in no event.
    expect(await fx.town.ok('--json', 'feed', '-n', '0')).not.toContain(fx.server.token);
  });

  it("refuses the Overseer's commands and a borrowed --actor or --town, recording the refusal", async () => {
    for (const [shim, args] of [
      ['gt', ['rig', 'remove', 'web']],
      ['gt', ['mail', 'send', 'overseer', '--actor', 'mayor', '-s', 'hi', '-m', 'x']],
      ['bd', ['list', '--town=/elsewhere']],
      ['gt', ['escalate', 'close', '1']],
    ] as const) {
      const { status, json } = await post(fx.server, { shim, args, cwd: fx.worktree }, fx.server.token);
      expect(status).toBe(200);
      expect(json['exitCode'], `${shim} ${args.join(' ')}`).toBe(2);
      expect(String(json['stderr'])).toMatch(/not a polecat's command|not allowed here/);
    }
    expect(await fx.town.ok('rig', 'list')).toContain('web');
    const refused = (await townCommands(fx.town, fx.bead)).filter((e) => e.payload['refused'] !== undefined);
    expect(refused.map((e) => e.payload['argv'])).toContainEqual(['rig', 'remove', 'web']);
    expect(refused.every((e) => e.payload['exit_code'] === 2)).toBe(true);
  });

  it('the gt shim client reproduces output and exit codes, and needs the session to reach', async () => {
    const env = { GT_HOOK_URL: fx.server.url, GT_HOOK_TOKEN: fx.server.token };
    const ready = await runGt(['shim', '--', 'bd', 'ready', '--json'], { cwd: fx.worktree, env });
    expect(ready.exitCode, ready.stderr).toBe(0);
    expect((JSON.parse(ready.stdout) as { id: string }[]).map((b) => b.id)).toContain(fx.bead);
    const missing = await runGt(['shim', '--', 'bd', 'show', 'web-nope'], { cwd: fx.worktree, env });
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('web-nope');
    const status = await runGt(['shim', '--', 'gt', '--json', 'status'], { cwd: fx.worktree, env });
    expect(status.exitCode, status.stderr).toBe(0);
    const forbidden = await runGt(['shim', '--', 'gt', 'rig', 'remove', 'web'], { cwd: fx.worktree, env });
    expect(forbidden.exitCode).toBe(2);
    expect(forbidden.stderr).toContain("`gt rig` is not a polecat's command");
    const wrong = await runGt(['shim', '--', 'bd', 'ready'], {
      cwd: fx.worktree,
      env: { ...env, GT_HOOK_TOKEN: 'wrong' },
    });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toContain('401');
    const outside = await runGt(['shim', '--', 'bd', 'ready'], {
      cwd: fx.worktree,
      env: { GT_HOOK_URL: '' },
    });
    expect(outside.exitCode).not.toBe(0);
    expect(outside.stderr).toContain('only works inside a Gas Town session');
  });
});

describe('the polecat allowlist', () => {
  it.each([
    ['bd', ['ready', '--json'], ['bd', 'ready', '--json']],
    ['bd', ['close', 'web-1', '--reason', 'done'], ['bd', 'close', 'web-1', '--reason', 'done']],
    ['gt', ['--json', 'mail', 'inbox'], ['--json', 'mail', 'inbox']],
    ['gt', ['done'], ['done']],
    ['gt', ['trace', 'web-1'], ['trace', 'web-1']],
    ['gt', ['bd', 'show', 'web-1'], ['bd', 'show', 'web-1']],
    // After `--` a word is an argument, not an option.
    ['bd', ['create', '--', '--actor is a word here'], ['bd', 'create', '--', '--actor is a word here']],
  ] as const)('%s %j is allowed', (shim, args, argv) => {
    expect(checkTownCommand(shim, args)).toEqual({ ok: true, argv });
  });

  it.each([
    ['gt', ['rig', 'remove', 'x']],
    ['gt', ['sling', 'web-1', 'web']],
    ['gt', ['mail']],
    ['gt', ['mail', 'purge']],
    ['gt', ['escalate', 'ack', '1']],
    ['gt', ['policy', 'explain']],
    ['gt', []],
    ['gt', ['--help']],
    ['bd', ['show', 'web-1', '--actor', 'overseer']],
    ['gt', ['--town', '/other', 'bd', 'ready']],
  ] as const)('%s %j is refused', (shim, args) => {
    expect(checkTownCommand(shim, args).ok).toBe(false);
  });
});
