// The orchestration bench's baseline: the same git work for the same changes done by hand, in one
// bash process, one change after another — a worktree on a new branch, the file, a commit, then in
// a merge worktree a rebase onto main and the rig's check, a fast-forward of main, and the worktree
// and branch removed. No agent, no policy, no sandbox, no ledger, no database, no polling.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { git, gitIdentityEnv, makeRepo } from './gt-town.js';

export interface BaselineChange {
  rig: string;
  /** The number in the file's name and content: `echo n > f-n.txt`. */
  n: number;
}

export interface BaselineResult {
  ms: number;
  /** Commits that reached `main`, over all the repositories. */
  merged: number;
}

const script = `set -euo pipefail
while read -r rig n; do
  repo="$BASE/$rig"; merge="$BASE/merge-$rig"; wt="$BASE/wt-$rig-$n"; branch="change/$n"
  git -C "$repo" worktree add --quiet -b "$branch" "$wt" main
  echo "$n" > "$wt/f-$n.txt"
  git -C "$wt" add --all
  git -C "$wt" commit --quiet -m "change $n"
  # The branch is checked out in its worktree, so the merge worktree rebases it on a detached HEAD.
  git -C "$merge" checkout --quiet --detach "$branch"
  git -C "$merge" rebase --quiet main
  (cd "$merge" && eval "$CHECK")
  git -C "$repo" merge --quiet --ff-only "$(git -C "$merge" rev-parse HEAD)"
  git -C "$repo" worktree remove "$wt"
  git -C "$repo" branch --quiet -D "$branch"
done < "$BASE/changes.txt"
`;

/**
 * Makes one repository per rig (like the rigs' sources) with a detached merge worktree, then times
 * one `bash` running every change in order.
 */
export function runShellBaseline(
  dir: string,
  changes: readonly BaselineChange[],
  check: string,
): BaselineResult {
  const rigs = [...new Set(changes.map((c) => c.rig))];
  for (const rig of rigs) {
    makeRepo(join(dir, rig));
    git(['worktree', 'add', '--quiet', '--detach', join(dir, `merge-${rig}`), 'main'], join(dir, rig));
  }
  writeFileSync(join(dir, 'changes.txt'), changes.map((c) => `${c.rig} ${c.n}\n`).join(''));
  const file = join(dir, 'baseline.sh');
  writeFileSync(file, script);
  const env = {
    ...process.env,
    ...gitIdentityEnv,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'commit.gpgsign',
    GIT_CONFIG_VALUE_0: 'false',
    BASE: dir,
    CHECK: check,
  };
  const start = performance.now();
  const run = spawnSync('bash', [file], { cwd: dir, env, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (run.error) throw run.error;
  if (run.status !== 0) {
    throw new Error(
      `the shell baseline exited ${run.status ?? 'null'}: ${run.stderr.trim().split('\n')[0] ?? ''}`,
    );
  }
  const merged = rigs
    .map((rig) => Number(git(['rev-list', '--count', 'main'], join(dir, rig)).trim()) - 1)
    .reduce((a, b) => a + b, 0);
  return { ms, merged };
}
