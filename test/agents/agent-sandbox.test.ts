// The whole-agent sandbox: its mounts (read-only paths, writable state, read-only pins over the
// writable state, nothing of the town), the agent's argv after a fixed `exec "$0" "$@"`, and the
// pause that reaches every process in the sandbox's pid namespace, which bwrap's own session keeps
// out of the caller's process group.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { agentSandboxArgv, signalNamespace } from '../../src/agents/agent-sandbox.js';
import type { AgentBox } from '../../src/agents/agent-sandbox.js';
import { detectSandboxHost, sandboxAvailability } from '../../src/sandbox/index.js';
import type { SandboxHost } from '../../src/sandbox/index.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

const host: SandboxHost = {
  runningAsRoot: true,
  system: [{ path: '/usr', kind: 'bind' }],
  masks: [],
};

const box: AgentBox = {
  worktree: '/srv/town/app/polecats/ace',
  townRoot: '/srv/town',
  writable: ['/srv/town/.gt/agents/codex/gt-1'],
  readOnly: [
    '/opt/codex/vendor',
    '/usr/bin/node',
    '/srv/town/.gt/agents/codex/gt-1/hooks.json',
    '/srv/town/.gt/agents/codex/.hook/hook.mjs',
  ],
  env: { GT_TOWN: '/srv/town', OPENAI_API_KEY: 'sk-x', GT_HOOK_TOKEN: 't' },
  allow: ['GT_HOOK_TOKEN'],
};

/** The pairs after each `flag`, in order. */
const pairs = (args: string[], flag: string) =>
  args.flatMap((arg, index) => (arg === flag ? [`${args[index + 1]}`] : []));

describe('agentSandboxArgv', () => {
  it('binds state writable, pins files read-only over it, and shows nothing else of the town', () => {
    const { file, args } = agentSandboxArgv(box, '/opt/codex/vendor/bin/codex', ['exec', '-'], host);
    expect(file).toBe('bwrap');
    expect(args.slice(-5)).toEqual(['-c', 'exec "$0" "$@"', '/opt/codex/vendor/bin/codex', 'exec', '-']);
    const ro = pairs(args, '--ro-bind');
    expect(ro).toContain('/opt/codex/vendor');
    // Under a system bind already; in the town it would be hidden.
    expect(ro).not.toContain('/usr/bin/node');
    expect(ro).toContain('/srv/town/.gt/agents/codex/.hook/hook.mjs');
    expect(pairs(args, '--bind')).toEqual(['/srv/town/app/polecats/ace', '/srv/town/.gt/agents/codex/gt-1']);
    // The pin comes after the writable bind it covers, and all before `/` turns read-only.
    const state = args.indexOf('/srv/town/.gt/agents/codex/gt-1');
    const pin = args.lastIndexOf('/srv/town/.gt/agents/codex/gt-1/hooks.json');
    expect(pin).toBeGreaterThan(state);
    expect(pin).toBeLessThan(args.indexOf('--remount-ro'));
    expect(args).toContain('--unshare-net');
    // The town's tmpfs goes over it before any of our mounts.
    expect(args.indexOf('/srv/town')).toBeLessThan(state);
    const env = pairs(args, '--setenv');
    expect(env).toContain('GT_HOOK_TOKEN');
    expect(env).not.toContain('OPENAI_API_KEY');
  });

  it("refuses a writable path that holds the town, and any town path outside the agents' corners", () => {
    expect(() => agentSandboxArgv({ ...box, writable: ['/srv'] }, '/bin/true', [], host)).toThrow(
      /would expose the town/,
    );
    for (const path of ['/srv/town/.gt/keys', '/srv/town/.gt/town.db', '/srv/town/app/polecats/max']) {
      expect(() => agentSandboxArgv({ ...box, readOnly: [path] }, '/bin/true', [], host)).toThrow(
        /outside its agents' directories/,
      );
    }
    expect(() =>
      agentSandboxArgv({ ...box, writable: ['/srv/town/.gt/agents/../keys'] }, '/bin/true', [], host),
    ).toThrow(/outside its agents' directories/);
  });
});

async function state(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}

describe('signalNamespace', () => {
  it('stops and continues every process inside the sandbox', async () => {
    expect(sandboxAvailability().available, 'bwrap must work here').toBe(true);
    const worktree = await makeTempDir('gt-agent-box-wt');
    const town = await makeTempDir('gt-agent-box-town');
    const { file, args } = agentSandboxArgv(
      { worktree, townRoot: town, writable: [], readOnly: [], env: {}, allow: [] },
      '/bin/sh',
      ['-c', 'sleep 30 & echo $! > /tmp/pid; setsid sleep 30 & wait'],
      detectSandboxHost(),
      { infoFd: 3 },
    );
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true });
    try {
      let info = '';
      for await (const chunk of child.stdio[3] as NodeJS.ReadableStream) {
        info += String(chunk);
        if (/"child-pid"/.test(info)) break;
      }
      const init = Number(/"child-pid"\s*:\s*(\d+)/.exec(info)?.[1]);
      expect(init).toBeGreaterThan(0);
      let sleepers: number[] = [];
      for (const deadline = Date.now() + 15_000; sleepers.length < 2 && Date.now() < deadline;) {
        await sleep(20);
        sleepers = await sleepersIn(init);
      }
      expect(sleepers).toHaveLength(2);
      signalNamespace(init, 'SIGSTOP');
      await sleep(50);
      expect(await Promise.all(sleepers.map(state))).toEqual(['T', 'T']);
      signalNamespace(init, 'SIGCONT');
      await sleep(50);
      expect(await Promise.all(sleepers.map(state))).toEqual(['S', 'S']);
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }
  });
});

/** The `sleep` processes sharing `init`'s pid namespace. */
async function sleepersIn(init: number): Promise<number[]> {
  const { readdir, readlink } = await import('node:fs/promises');
  const ns = await readlink(`/proc/${init}/ns/pid`);
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readlink(`/proc/${entry}/ns/pid`)) !== ns) continue;
      if ((await readFile(`/proc/${entry}/comm`, 'utf8')).trim() === 'sleep') found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}
