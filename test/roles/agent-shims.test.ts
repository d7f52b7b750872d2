// `gt` and `bd` shims for agents: run from outside the town with only the session's environment
// (GT_TOWN, GT_ACTOR, PATH from agent-env), `bd ready`, `bd create --deps discovered-from:<id>` and
// `gt` act on that town as the polecat. Paths with quotes and spaces survive the shell.
import { execa } from 'execa';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentEnv } from '../../src/roles/polecat/agent-env.js';
import { shimDir, writeAgentShims } from '../../src/agents/shims.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

let town: RigTown;
let outside: string;
let env: Record<string, string>;

beforeAll(async () => {
  town = await makeRigTown();
  outside = await makeTempDir('gt-elsewhere');
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.GT_TOWN;
  delete base.GT_ACTOR;
  env = agentEnv({ root: town.root, sessionId: 'ses-test', beadId: 'x', rig: 'web', polecat: 'nux', base });
  writeAgentShims(town.root);
});
afterAll(removeTempDirs);

/** Runs a command line the way an agent's shell tool would: by name, found on the session's PATH. */
async function agentShell(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const result = await execa('sh', ['-c', line], { cwd: outside, env, extendEnv: false, reject: false });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

describe('agent shims', () => {
  it('puts the town first on PATH and acts on it as the polecat from anywhere', async () => {
    expect(env.PATH?.split(':')[0]).toBe(shimDir(town.root));
    const origin = await town.bead('Build the API', ['true']);

    const ready = await agentShell('bd ready --json');
    expect(ready.exitCode).toBe(0);
    expect((JSON.parse(ready.stdout) as { id: string }[]).map((b) => b.id)).toContain(origin);

    const created = await agentShell(
      `bd create "Flaky test found while building" --deps discovered-from:${origin} --rig web --json`,
    );
    expect(created.exitCode).toBe(0);
    const found = JSON.parse(created.stdout) as { id: string; created_by?: string };
    const [shown] = JSON.parse((await agentShell(`bd show ${found.id} --json`)).stdout) as {
      dependencies: { type: string; depends_on_id: string }[];
    }[];
    expect(shown?.dependencies).toEqual([
      expect.objectContaining({ type: 'discovered-from', depends_on_id: origin }),
    ]);
    const feed = await town.ok('--json', 'feed', '--bead', found.id, '--kind', 'bead.created');
    expect(JSON.parse(feed.trim())).toMatchObject({ actor: 'web/polecats/nux' });

    // gt itself, e.g. mail to the Overseer, goes out as the polecat too.
    const mail = await agentShell('gt mail send overseer -s "need a key" -m "for the staging API"');
    expect(mail.stderr).toBe('');
    expect(await town.ok('mail', 'inbox', '--unread')).toMatch(/from web\/polecats\/nux {2}need a key/);

    const closed = await agentShell(`bd close ${found.id} --reason "not flaky after all"`);
    expect(closed.exitCode).toBe(0);
    expect(await town.ok('bd', 'show', found.id)).toMatch(/closed/);
  });

  it('quotes the node and gt paths for the shell', async () => {
    const odd = join(await makeTempDir('gt-odd'), "it's a node");
    await symlink(process.execPath, odd);
    const dir = writeAgentShims(town.root, { node: odd });
    const result = await execa(join(dir, 'gt'), ['--help'], { reject: false, env, cwd: outside });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: gt');
    writeAgentShims(town.root);
  });
});
