// Through a real session: a polecat's `git -c core.fsmonitor=…` step is refused by the built-in
// profile (builtin:git-config-code) and git never runs the program it names — the marker file the
// fsmonitor command would create in the worktree is absent. The same step under a policy that
// allows it does create the marker, so the check can fail. (The scratch repository lives in the
// sandbox's private /tmp, where git works and writes are allowed.)
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { gitIn } from '../support/git-fixtures.js';

// One step: each step gets a fresh private /tmp.
const step =
  'git init -q /tmp/scratch && touch /tmp/scratch/f && git -C /tmp/scratch -c core.fsmonitor="touch $PWD/fsmonitor-ran" status';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The files of the branch the polecat's session committed. */
async function branchFiles(town: RigTown, bead: string): Promise<string[]> {
  const repo = join(town.root, 'web', 'repo.git');
  return (await gitIn(repo, 'ls-tree', '-r', '--name-only', `polecat/furiosa/${bead}`)).split('\n');
}

const markerInWorktree = (town: RigTown) =>
  exists(join(town.root, 'web', 'polecats', 'furiosa', 'fsmonitor-ran'));

async function toolResults(town: RigTown, bead: string): Promise<{ status: string; rule?: string }[]> {
  const lines = await town.ok('--json', 'feed', '--kind', 'tool.result', '--bead', bead, '-n', '0');
  return lines
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { payload: { status: string; rule?: string } }).payload);
}

describe('a code-running git setting in a real session', () => {
  it('is refused by the built-in profile, and the program it names never runs', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Sneaky status', ['touch before.txt', step, 'touch after.txt']);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode).toBe(4);
    expect(result.stdout + result.stderr).toContain('builtin:git-config-code');
    expect(await toolResults(town, bead)).toContainEqual(
      expect.objectContaining({ status: 'denied', rule: 'builtin:git-config-code' }),
    );
    const files = await branchFiles(town, bead);
    expect(files).toContain('before.txt');
    expect(files).not.toContain('fsmonitor-ran');
    expect(files).not.toContain('after.txt');
    expect(await markerInWorktree(town)).toBe(false);
  });

  it('runs the program when a policy allows the step (the check above can fail)', async () => {
    const town = await makeRigTown();
    await writeFile(
      join(town.root, 'policy.yaml'),
      `rules:\n  - match: { command: "git -C /tmp/scratch -c core.fsmonitor=*" }\n    decision: allow\n    reason: control\n`,
    );
    const bead = await town.bead('Allowed status', ['touch before.txt', step]);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect((await branchFiles(town, bead)).includes('fsmonitor-ran') || (await markerInWorktree(town))).toBe(
      true,
    );
  });
});
