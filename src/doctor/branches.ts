// Branches: a `polecat/*` branch that no polecat, open bead or live merge request refers to is an
// orphan. One already merged into the rig's target is only clutter (--fix deletes it); one with
// unmerged work is reported and never deleted.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deleteBranch, gitAt, isAncestor } from '../git/index.js';
import { listRigs, rigPaths } from '../town/index.js';
import type { DoctorCheck, DoctorContext, Finding } from './types.js';
import { ok, warn } from './types.js';

interface OrphanBranch {
  repo: string;
  branch: string;
  target: string;
  merged: boolean;
}

function referenced(ctx: DoctorContext): { branches: Set<string>; openBeads: Set<string> } {
  const db = ctx.db();
  if (!db) return { branches: new Set(), openBeads: new Set() };
  const branches = [
    ...(db.prepare('SELECT branch FROM polecats WHERE branch IS NOT NULL').pluck().all() as string[]),
    ...(db
      .prepare(`SELECT branch FROM merge_requests WHERE state IN ('queued', 'merging', 'pr_open')`)
      .pluck()
      .all() as string[]),
  ];
  const openBeads = db
    .prepare(`SELECT id FROM beads WHERE status NOT IN ('closed', 'tombstone')`)
    .pluck()
    .all() as string[];
  return { branches: new Set(branches), openBeads: new Set(openBeads) };
}

export async function findOrphanBranches(ctx: DoctorContext): Promise<OrphanBranch[]> {
  const db = ctx.db();
  if (!db) return [];
  const { branches, openBeads } = referenced(ctx);
  const orphans: OrphanBranch[] = [];
  for (const rig of listRigs(db)) {
    const repo = rigPaths(ctx.root!, rig.name).repo;
    if (!existsSync(join(repo, 'HEAD'))) continue;
    const out = await gitAt({ gitDir: repo }, [
      'for-each-ref',
      '--format=%(refname:short)',
      'refs/heads/polecat/',
    ]);
    for (const branch of out.split('\n').filter(Boolean)) {
      const bead = branch.split('/')[2];
      if (branches.has(branch) || (bead !== undefined && openBeads.has(bead))) continue;
      const merged = await isAncestor(repo, `refs/heads/${branch}`, `refs/heads/${rig.branch}`).catch(
        () => false,
      );
      orphans.push({ repo, branch, target: rig.branch, merged });
    }
  }
  return orphans;
}

export const branchesCheck: DoctorCheck = {
  name: 'branches',
  town: true,
  run: async (ctx) => {
    const findings: Finding[] = (await findOrphanBranches(ctx)).map((o) =>
      o.merged
        ? warn(
            'branches',
            `${o.branch} in ${o.repo}: orphaned, already merged into ${o.target}`,
            '`gt doctor --fix` deletes it',
          )
        : warn(
            'branches',
            `${o.branch} in ${o.repo}: orphaned with work not in ${o.target}; kept`,
            `review it (\`git -C ${o.repo} log ${o.target}..${o.branch}\`); delete it by hand only if unwanted`,
          ),
    );
    return findings.length > 0 ? findings : [ok('branches', 'no orphaned polecat branches')];
  },
  repair: async (ctx) => {
    const done: string[] = [];
    for (const o of (await findOrphanBranches(ctx)).filter((orphan) => orphan.merged)) {
      if (await deleteBranch(o.repo, o.branch))
        done.push(`deleted ${o.branch} (merged into ${o.target}) in ${o.repo}`);
    }
    return done;
  },
};
