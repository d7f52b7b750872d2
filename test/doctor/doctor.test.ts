// `gt doctor` through the built binary: a healthy town passes every check; then one town per
// problem gets the expected status and fix; `--fix` repairs only what is safe (recorded in the
// ledger), a second run is clean, and unmerged or uncommitted work is never deleted.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runGt } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { pathWithout } from '../support/path-without.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

interface Finding {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix: string | null;
}

async function doctor(town: RigTown, ...args: string[]): Promise<{ exitCode: number; findings: Finding[] }> {
  const result = await town.gt('--json', 'doctor', ...args);
  return { exitCode: result.exitCode, findings: JSON.parse(result.stdout) as Finding[] };
}

const notOk = (findings: Finding[]) => findings.filter((f) => f.status !== 'ok');
const find = (findings: Finding[], check: string) => findings.filter((f) => f.check === check);

describe('gt doctor', () => {
  it('passes a healthy town (after real work was merged), and outside a town checks the machine only', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Greet', ['echo hi > hi.txt']);
    await town.ok('sling', bead, 'web');
    await town.ok('witness', 'patrol', 'web');
    expect(await town.ok('refinery', 'run', 'web')).toContain('merged');
    const { exitCode, findings } = await doctor(town);
    expect(notOk(findings)).toEqual([]);
    expect(exitCode).toBe(0);
    const checks = new Set(findings.map((f) => f.check));
    for (const check of ['node', 'git', 'bubblewrap', 'disk', 'town.yaml', 'rig:web', 'ledger', 'migrations'])
      expect(checks).toContain(check);
    expect(Object.keys(findings[0]!).sort()).toEqual(['check', 'fix', 'message', 'status']);

    const outside = await runGt(['doctor'], { cwd: await makeTempDir('gt-nowhere') });
    expect(outside.exitCode).toBe(0);
    expect(outside.stdout).toContain('not in a town: machine checks only');
    expect(outside.stdout).not.toContain('ledger');
  });

  it('fails a rig with a broken rig.yaml (file and line) and one whose repo.git is gone', async () => {
    const town = await makeRigTown();
    await writeFile(join(town.root, 'web', 'rig.yaml'), 'name: web\ngit_url: [oops\nbranch: main\n');
    let { exitCode, findings } = await doctor(town);
    expect(exitCode).toBe(1);
    const [rig] = find(findings, 'rig:web');
    expect(rig).toMatchObject({ status: 'fail' });
    expect(rig!.message).toContain(join(town.root, 'web', 'rig.yaml'));
    expect(rig!.message).toMatch(/line \d+/);
    expect(rig!.fix).toContain('fix ');

    await rm(join(town.root, 'web', 'rig.yaml'));
    await rm(join(town.root, 'web', 'repo.git'), { recursive: true });
    ({ exitCode, findings } = await doctor(town));
    expect(exitCode).toBe(1);
    const messages = find(findings, 'rig:web').map((f) => f.message);
    expect(messages).toEqual([
      `rig web: ${join(town.root, 'web', 'rig.yaml')} is missing`,
      `rig web: its mirror ${join(town.root, 'web', 'repo.git')} is gone`,
    ]);
    expect(find(findings, 'rig:web')[1]!.fix).toContain('gt rig remove web');
  });

  it('fails a tampered ledger row, naming where', async () => {
    const town = await makeRigTown();
    const db = new Database(join(town.root, '.gt', 'town.db'));
    db.prepare(`UPDATE ledger SET actor = 'mayor' WHERE seq = 1`).run();
    db.close();
    const { exitCode, findings } = await doctor(town);
    expect(exitCode).toBe(1);
    const [ledger] = find(findings, 'ledger');
    expect(ledger).toMatchObject({ status: 'fail' });
    expect(ledger!.message).toContain('seq 1');
    expect(ledger!.fix).toContain('gt audit verify');
  });

  it('fails without bubblewrap, and for a town.yaml agent command that is not there', async () => {
    const town = await makeRigTown();
    const noBwrap = await runGt(['--town', town.root, '--json', 'doctor'], {
      env: { PATH: await pathWithout('bwrap') },
    });
    expect(noBwrap.exitCode).toBe(1);
    const [bwrap] = find(JSON.parse(noBwrap.stdout) as Finding[], 'bubblewrap');
    expect(bwrap).toMatchObject({
      status: 'fail',
      message: 'bubblewrap is not installed (no `bwrap` on PATH)',
    });
    expect(bwrap!.fix).toContain('apt-get install -y bubblewrap');

    await writeFile(
      join(town.root, 'town.yaml'),
      'name: t\ndefault_agent: codex\nagents:\n  codex:\n    command: /nowhere/codex\n',
    );
    const { exitCode, findings } = await doctor(town);
    expect(exitCode).toBe(1);
    const [codex] = find(findings, 'agent:codex');
    expect(codex).toMatchObject({ status: 'fail' });
    expect(codex!.message).toContain('agents.codex.command is /nowhere/codex');
  });

  it('fails an unreachable model endpoint and warns of an unset key, never printing a key', async () => {
    const town = await makeRigTown();
    const server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const up = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    // A port nobody listens on: bind one, note it, close it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      await writeFile(
        join(town.root, 'town.yaml'),
        `name: t\nagents:\n  openai:\n    base_url: ${down}\n  anthropic:\n    base_url: ${up}\n    api_key_env: DOCTOR_TEST_KEY\n`,
      );
      let result = await runGt(['--town', town.root, '--json', 'doctor']);
      expect(result.exitCode).toBe(1);
      let findings = JSON.parse(result.stdout) as Finding[];
      expect(find(findings, 'endpoint:openai')[0]).toMatchObject({ status: 'fail' });
      expect(find(findings, 'endpoint:openai')[0]!.message).toContain(
        `${down} (agents.openai.base_url) is unreachable`,
      );
      expect(find(findings, 'endpoint:anthropic')[0]).toMatchObject({ status: 'warn' });
      expect(find(findings, 'endpoint:anthropic')[0]!.message).toContain(
        '$DOCTOR_TEST_KEY (its key) is not set',
      );
      result = await runGt(['--town', town.root, '--json', 'doctor'], {
        env: { DOCTOR_TEST_KEY: 'sk-secret-123' },
      });
      findings = JSON.parse(result.stdout) as Finding[];
      expect(find(findings, 'endpoint:anthropic')[0]).toMatchObject({ status: 'ok' });
      expect(result.stdout).not.toContain('sk-secret-123');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('--fix removes a stale pid file, prunes and removes orphaned worktrees and merged orphan branches; a second run is clean', async () => {
    const town = await makeRigTown();
    const repo = join(town.root, 'web', 'repo.git');
    // A daemon killed with -9 left its file: the pid of a process that has ended.
    const ended = execa('true');
    const gone = { pid: ended.pid };
    await ended;
    await writeFile(
      join(town.root, '.gt', 'daemon.json'),
      JSON.stringify({ pid: gone.pid, started_at: '2026-01-01T00:00:00Z', state: 'running' }),
    );
    // An orphaned worktree whose work is on its branch (which is merged: it is main's tip).
    const orphan = join(town.root, 'web', 'polecats', 'ghost');
    await mkdir(join(town.root, 'web', 'polecats'), { recursive: true });
    await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/ghost/hq-gone', orphan, 'main');
    // A registration whose directory is gone.
    const vanished = join(town.scratch, 'vanished');
    await gitIn(repo, 'worktree', 'add', '--quiet', '--detach', vanished, 'main');
    await rm(vanished, { recursive: true });
    // An orphaned branch merged long ago.
    await gitIn(repo, 'branch', 'polecat/old/hq-done', 'main');

    const before = await doctor(town);
    expect(before.exitCode).toBe(0);
    expect(find(before.findings, 'daemon')[0]).toMatchObject({ status: 'warn' });
    const worktrees = find(before.findings, 'worktrees').map((f) => f.message);
    expect(worktrees).toContain(`${repo} registers 1 worktree(s) whose directory is gone`);
    expect(worktrees).toContain(`${orphan}: no polecat uses it; its work is committed on a branch`);
    expect(find(before.findings, 'branches').map((f) => f.status)).toEqual(['warn', 'warn']);

    const fixed = await doctor(town, '--fix');
    const actions = find(fixed.findings, 'fix').map((f) => f.message);
    expect(actions).toEqual(
      expect.arrayContaining([
        `removed the stale ${join(town.root, '.gt', 'daemon.json')}`,
        `removed the orphaned worktree ${orphan}`,
        `pruned worktree registrations whose directory is gone in ${repo}`,
        `deleted polecat/ghost/hq-gone (merged into main) in ${repo}`,
        `deleted polecat/old/hq-done (merged into main) in ${repo}`,
      ]),
    );
    expect(existsSync(join(town.root, '.gt', 'daemon.json'))).toBe(false);
    expect(existsSync(orphan)).toBe(false);
    expect(await gitIn(repo, 'branch', '--list', 'polecat/*')).toBe('');
    const feed = await town.ok('--json', 'feed', '-n', '0');
    expect(feed.split('\n').filter((l) => l.includes('"doctor.repaired"'))).toHaveLength(actions.length);

    const again = await doctor(town);
    expect(notOk(again.findings)).toEqual([]);
    expect(again.exitCode).toBe(0);
  });

  it('never deletes unmerged work: an unmerged orphan branch and a dirty orphan worktree are kept', async () => {
    const town = await makeRigTown();
    const repo = join(town.root, 'web', 'repo.git');
    const dirty = join(town.root, 'web', 'polecats', 'dusty');
    await mkdir(join(town.root, 'web', 'polecats'), { recursive: true });
    await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/dusty/hq-wip', dirty, 'main');
    await writeFile(join(dirty, 'draft.txt'), 'not committed yet\n');
    const side = join(town.scratch, 'side');
    await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/side/hq-new', side, 'main');
    await writeFile(join(side, 'new.txt'), 'work\n');
    await gitIn(side, 'add', 'new.txt');
    await gitIn(side, 'commit', '--quiet', '-m', 'unmerged work');
    await gitIn(repo, 'worktree', 'remove', side);

    const fixed = await doctor(town, '--fix');
    const worktree = find(fixed.findings, 'worktrees')[0]!;
    expect(worktree.message).toBe(`${dirty}: no polecat uses it and it has uncommitted changes; kept`);
    const branches = find(fixed.findings, 'branches').map((f) => f.message);
    expect(branches).toContain(`polecat/side/hq-new in ${repo}: orphaned with work not in main; kept`);
    expect(existsSync(join(dirty, 'draft.txt'))).toBe(true);
    expect(await gitIn(repo, 'branch', '--list', 'polecat/*', '--format=%(refname:short)')).toBe(
      'polecat/dusty/hq-wip\npolecat/side/hq-new',
    );
    expect(await gitIn(repo, 'show', 'polecat/side/hq-new:new.txt')).toBe('work');
  });
});
