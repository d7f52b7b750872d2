// Governance around a running polecat: `approve --always` teaches the policy, `deny` and an
// unanswered ask stop the step, a wall-time budget ends a long session with its work committed,
// and context rigs are readable but not writable inside the sandbox.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gtBin } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';

async function firstPending(town: RigTown): Promise<{ id: number; command: string; part: string }> {
  for (;;) {
    const pending = JSON.parse(await town.ok('--json', 'approvals')) as {
      id: number;
      command: string;
      part: string;
    }[];
    if (pending[0]) return pending[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const slingInBackground = (town: RigTown, bead: string) =>
  execa('node', [gtBin, '--town', town.root, 'sling', bead, 'web'], { reject: false });

describe('governed sessions', () => {
  it('approve --always adds an allow rule for that rig, so the same call no longer asks', async () => {
    const town = await makeRigTown();
    const step = 'curl --version >/dev/null 2>&1 || true';
    const first = await town.bead('Ask once', [step]);
    const running = slingInBackground(town, first);
    const pending = await firstPending(town);
    expect(pending.command).toBe(step);
    expect(pending.part).toBe('curl --version');
    await town.ok('approve', String(pending.id), '--always');
    expect((await running).exitCode).toBe(0);
    expect(await readFile(join(town.root, 'policy.yaml'), 'utf8')).toContain('rig: web');
    const check = JSON.parse(
      await town.ok('--json', 'policy', 'check', '--tool', 'run', '--command', step, '--rig', 'web'),
    ) as { decision: string };
    expect(check.decision).toBe('allow');
    const second = await town.bead('Allowed now', [step]);
    expect((await town.gt('sling', second, 'web')).exitCode).toBe(0);
    expect(JSON.parse(await town.ok('--json', 'approvals', '--all'))).toHaveLength(1);
  });

  it('a denied ask fails the step with the Overseer named in the ledger', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Refused', ['curl --version', 'touch after.txt']);
    const running = slingInBackground(town, bead);
    const pending = await firstPending(town);
    await town.ok('--actor', 'overseer', 'deny', String(pending.id), '--reason', 'no network today');
    const result = await running;
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain('denied by the Overseer');
    const decided = (await town.ok('--json', 'feed', '--kind', 'approval.decided')).trim();
    expect(JSON.parse(decided)).toMatchObject({
      actor: 'overseer',
      payload: { decision: 'denied', reason: 'no network today' },
    });
    expect((await town.gt('approve', String(pending.id))).stderr).toContain('already denied');
  });

  it('an ask nobody answers expires and counts as denied', async () => {
    const town = await makeRigTown();
    await writeFile(join(town.root, 'policy.yaml'), 'approvals:\n  timeout_seconds: 1\n');
    const bead = await town.bead('Unanswered', ['curl --version']);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain('nobody answered in time');
    const all = JSON.parse(await town.ok('--json', 'approvals', '--all')) as { status: string }[];
    expect(all).toMatchObject([{ status: 'expired' }]);
  });

  it('a wall-time budget stops a long step and keeps what was done', async () => {
    const town = await makeRigTown();
    await writeFile(join(town.root, 'policy.yaml'), 'budgets:\n  session:\n    wall_seconds: 1\n');
    const bead = await town.bead('Slow', ['echo started > started.txt', 'sleep 30', 'touch never.txt']);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain('wall-time budget spent');
    const repo = join(town.root, 'web', 'repo.git');
    expect(await gitIn(repo, 'show', `polecat/furiosa/${bead}:started.txt`)).toBe('started');
    const kinds = (await town.ok('--json', 'feed', '--bead', bead, '-n', '0'))
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toContain('escalation.raised');
  });

  it('shows context rigs read-only next to the worktree', async () => {
    const town = await makeRigTown();
    await town.ok('rig', 'add', 'api', town.remote.path, '--branch', 'dev');
    // Anything the policy asks about fails fast instead of waiting for an Overseer.
    await writeFile(join(town.root, 'policy.yaml'), 'approvals:\n  timeout_seconds: 2\n');
    const bead = await town.bead(
      'Read the API',
      ['cat ../.context/api/DEV.md > seen.txt', 'if test -w ../.context/api/DEV.md; then exit 9; fi'],
      '--context-rig',
      'api',
    );
    const result = await town.gt('sling', bead, 'web');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await gitIn(join(town.root, 'web', 'repo.git'), 'show', `polecat/furiosa/${bead}:seen.txt`)).toBe(
      'work in progress',
    );
  });
});
