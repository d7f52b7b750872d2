// No silent stall: what keeps the town from running work is found before anything starts, each
// cause naming what is missing (file and line, rig, binary) and the fix; `gt sling` and
// `gt convoy launch` fail at once and leave the bead ready.
import { rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { userNamespaceFix } from '../../src/sandbox/availability.js';
import { workBlockers } from '../../src/roles/polecat/work-blockers.js';
import { pathWithout } from '../support/path-without.js';
import { makeRigTown } from '../support/rig-town.js';
import { runGt } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

describe('work blockers', () => {
  it('finds nothing in a healthy town', async () => {
    const town = await makeRigTown();
    expect(await workBlockers({ root: town.root, rigs: ['web'], env: process.env })).toEqual([]);
  });

  it('names the rig whose mirror is gone, and the file and line of a broken rig.yaml', async () => {
    const town = await makeRigTown();
    await rm(join(town.root, 'web', 'repo.git'), { recursive: true });
    await writeFile(join(town.root, 'web', 'rig.yaml'), 'name: web\ngit_url: [unclosed\nbranch: main\n');
    const blockers = await workBlockers({ root: town.root, rigs: ['web'], env: process.env });
    expect(blockers.map((b) => b.key)).toEqual(['rig_repo:web', 'rig_config:web']);
    expect(blockers[0]!.message).toContain(
      `rig web: its mirror ${join(town.root, 'web', 'repo.git')} is gone`,
    );
    expect(blockers[0]!.fix).toContain('gt rig remove web');
    expect(blockers[1]!.message).toContain(join(town.root, 'web', 'rig.yaml'));
    expect(blockers[1]!.message).toMatch(/line \d+/);
  });

  it('names a town.yaml agent command that does not exist, and a missing claude binary', async () => {
    const town = await makeRigTown();
    await writeFile(
      join(town.root, 'town.yaml'),
      'name: t\ndefault_agent: codex\nagents:\n  codex:\n    command: /nonexistent/codex\n',
    );
    const [codex] = await workBlockers({ root: town.root, rigs: [], env: process.env });
    expect(codex).toMatchObject({ kind: 'agent', key: 'agent:codex:/nonexistent/codex' });
    expect(codex!.message).toContain('agents.codex.command is /nonexistent/codex');
    const path = await pathWithout('claude');
    const [claude] = await workBlockers({
      root: town.root,
      rigs: [],
      agent: 'claude-code',
      env: { PATH: path },
    });
    expect(claude!.message).toContain('needs `claude`, which is not on PATH');
    expect(claude!.fix).toContain('npm install -g @anthropic-ai/claude-code');
  });

  it('gives the sysctl that turns user namespaces back on', () => {
    const facts = (values: Record<string, string>) => (name: string) => values[name];
    expect(userNamespaceFix(facts({ 'kernel.unprivileged_userns_clone': '0' }))).toContain(
      '`sysctl -w kernel.unprivileged_userns_clone=1`',
    );
    expect(userNamespaceFix(facts({ 'kernel.apparmor_restrict_unprivileged_userns': '1' }))).toContain(
      '`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`',
    );
    expect(userNamespaceFix(facts({ 'user.max_user_namespaces': '0' }))).toContain(
      'user.max_user_namespaces',
    );
  });
});

describe('commands that would start work fail at once', () => {
  it('gt sling without bubblewrap: the message and the fix, and the bead stays ready', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Greet', ['echo hi > hi.txt']);
    const path = await pathWithout('bwrap');
    const slung = await runGt(['--town', town.root, 'sling', bead, 'web'], { env: { PATH: path } });
    expect(slung.exitCode).toBe(1);
    expect(slung.stderr).toContain('bubblewrap is not installed');
    expect(slung.stderr).toContain('apt-get install -y bubblewrap');
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      status: string;
      assignee?: string | null;
    }[];
    expect(shown!.status).toBe('open');
    expect(shown!.assignee ?? null).toBeNull();
    const ready = JSON.parse(await town.ok('--json', 'bd', 'ready')) as { id: string }[];
    expect(ready.map((b) => b.id)).toContain(bead);
    // Nothing started: no worktree, no polecat branch.
    const polecats = join(town.root, 'web', 'polecats');
    expect(existsSync(polecats) ? readdirSync(polecats) : []).toEqual([]);
    expect(await gitIn(join(town.root, 'web', 'repo.git'), 'branch', '--list', 'polecat/*')).toBe('');
  });

  it('gt up without bubblewrap: refuses to start a daemon that could run nothing', async () => {
    const town = await makeRigTown();
    const up = await runGt(['--town', town.root, 'up'], { env: { PATH: await pathWithout('bwrap') } });
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain('bubblewrap is not installed');
    expect(up.stderr).toContain('apt-get install -y bubblewrap');
    expect(existsSync(join(town.root, '.gt', 'daemon.json'))).toBe(false);
    expect(await town.ok('status')).toContain('Daemon: down');
  });

  it('gt convoy launch on a rig whose mirror is gone: names the rig, launches nothing', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Greet', ['echo hi > hi.txt']);
    const created = JSON.parse(await town.ok('--json', 'convoy', 'create', 'one', bead)) as {
      convoy: { id: string };
    };
    await rename(join(town.root, 'web', 'repo.git'), join(town.scratch, 'repo.git.away'));
    const launched = await town.gt('convoy', 'launch', created.convoy.id);
    expect(launched.exitCode).toBe(1);
    expect(launched.stderr).toContain('rig web: its mirror');
    const status = JSON.parse(await town.ok('--json', 'convoy', 'status', created.convoy.id)) as {
      convoy: { state: string };
    };
    expect(status.convoy.state).toBe('open');
  });
});
