// Worktrees: registrations in a rig's repo.git whose directory is gone (`git worktree prune`
// forgets them), and directories under `<rig>/polecats/` that no polecat row references. --fix
// removes an orphaned worktree only when its work is committed and on a branch (the branch stays);
// one with uncommitted or unreachable work is left for the Overseer.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findWorkTree, gitAt, removeWorktree, tryGitAt, worktreeState } from '../git/index.js';
import { rigPaths } from '../town/index.js';
import type { DoctorCheck, DoctorContext, Finding } from './types.js';
import { ok, warn } from './types.js';

interface Orphan {
  rig: string;
  repo: string;
  dir: string;
  /** Safe to delete: clean, and its HEAD is on a branch. */
  safe: boolean;
  why: string;
}

async function prunable(repo: string): Promise<number> {
  const out = await gitAt({ gitDir: repo }, ['worktree', 'list', '--porcelain']);
  return out.split('\n').filter((line) => line.startsWith('prunable')).length;
}

async function orphanState(repo: string, dir: string): Promise<{ safe: boolean; why: string }> {
  // The directory was a polecat's: hostile. Its admin dir comes from the repository's own records
  // and git runs hardened (no hooks, fsmonitor, drivers or global config), never via its `.git`.
  try {
    const tree = await findWorkTree(repo, dir);
    if (tree === undefined) return { safe: false, why: 'is not a registered git worktree' };
    const state = await worktreeState(tree, { everyFile: true });
    if (!state.clean) return { safe: false, why: 'has uncommitted changes' };
    if (state.head === undefined) return { safe: true, why: 'has no commits' };
    const on = await tryGitAt({ gitDir: repo }, [
      'for-each-ref',
      '--count=1',
      '--contains',
      state.head,
      'refs/heads/',
    ]);
    return on.stdout.trim() === ''
      ? { safe: false, why: `its HEAD ${state.head.slice(0, 12)} is on no branch` }
      : { safe: true, why: 'its work is committed on a branch' };
  } catch {
    return { safe: false, why: 'is not a git worktree' };
  }
}

export async function findOrphans(
  ctx: DoctorContext,
): Promise<{ orphans: Orphan[]; prunable: Map<string, number> }> {
  const db = ctx.db();
  const held = new Set(
    (
      db?.prepare('SELECT worktree FROM polecats WHERE worktree IS NOT NULL').pluck().all() as
        string[] | undefined
    )?.map((w) => resolve(w)) ?? [],
  );
  const orphans: Orphan[] = [];
  const stale = new Map<string, number>();
  for (const rig of ctx.rigs()) {
    const paths = rigPaths(ctx.root!, rig);
    if (!existsSync(join(paths.repo, 'HEAD'))) continue; // the town-files check reports it
    const count = await prunable(paths.repo);
    if (count > 0) stale.set(paths.repo, count);
    const dirs = existsSync(paths.polecats) ? readdirSync(paths.polecats, { withFileTypes: true }) : [];
    for (const entry of dirs.filter((d) => d.isDirectory())) {
      const dir = join(paths.polecats, entry.name);
      if (held.has(resolve(dir))) continue;
      orphans.push({ rig, repo: paths.repo, dir, ...(await orphanState(paths.repo, dir)) });
    }
  }
  return { orphans, prunable: stale };
}

export const worktreesCheck: DoctorCheck = {
  name: 'worktrees',
  town: true,
  run: async (ctx) => {
    const { orphans, prunable: stale } = await findOrphans(ctx);
    const findings: Finding[] = [];
    for (const [repo, count] of stale)
      findings.push(
        warn(
          'worktrees',
          `${repo} registers ${count} worktree(s) whose directory is gone`,
          `\`gt doctor --fix\` (or \`git -C ${repo} worktree prune\`)`,
        ),
      );
    for (const o of orphans)
      findings.push(
        o.safe
          ? warn(
              'worktrees',
              `${o.dir}: no polecat uses it; ${o.why}`,
              '`gt doctor --fix` removes it (its branch stays)',
            )
          : warn(
              'worktrees',
              `${o.dir}: no polecat uses it and it ${o.why}; kept`,
              `look at it (\`git -C ${o.dir} status\`), keep what matters on a branch, then delete it by hand`,
            ),
      );
    return findings.length > 0 ? findings : [ok('worktrees', 'no orphaned worktrees')];
  },
  repair: async (ctx) => {
    const { orphans, prunable: stale } = await findOrphans(ctx);
    const done: string[] = [];
    for (const o of orphans.filter((orphan) => orphan.safe)) {
      await removeWorktree(o.repo, o.dir);
      done.push(`removed the orphaned worktree ${o.dir}`);
    }
    for (const repo of stale.keys()) {
      await gitAt({ gitDir: repo }, ['worktree', 'prune']);
      done.push(`pruned worktree registrations whose directory is gone in ${repo}`);
    }
    return done;
  },
};
