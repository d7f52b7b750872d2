// Lands a checked candidate the rig's way. `local`: fast-forward the rig's own branch (the refinery
// worktree's). `push`: push the commit to the remote's branch first (a plain push, never forced: a
// remote that moved rejects it), confirm the remote has it, then fast-forward the rig's branch.
// `pr`: push the rebased commit as the polecat's branch and open a pull request on GitHub.
import { ErrorCode, GasTownError } from '../../errors.js';
import { fastForward, fetchOrigin, isAncestor, pushCommit } from '../../git/index.js';
import { defaultGitHubApiUrl, githubRepoOf, openPullRequest } from '../../github/index.js';
import type { MergeRequest } from './merge-queue.js';
import { prBody } from './pr-body.js';
import type { RefineryContext } from './refinery-context.js';
import { refineryTree } from './refinery-context.js';

export type Landing =
  | { kind: 'merged'; commit: string }
  | { kind: 'pr_open'; commit: string; url: string; number: number; existed: boolean }
  /** The remote refused the push: re-fetch and try again. */
  | { kind: 'rejected'; message: string };

export async function land(ctx: RefineryContext, mr: MergeRequest, commit: string): Promise<Landing> {
  const { repo } = ctx.paths;
  const target = `refs/heads/${ctx.rig.branch}`;
  switch (ctx.config.merge_mode) {
    case 'local':
      try {
        await fastForward(await refineryTree(ctx), commit);
      } catch (error) {
        return { kind: 'rejected', message: error instanceof Error ? error.message : String(error) };
      }
      return { kind: 'merged', commit };
    case 'push': {
      const pushed = await pushCommit({ gitDir: repo, remote: 'origin', commit, ref: target });
      if (!pushed.ok) return { kind: 'rejected', message: pushed.message };
      await fetchOrigin(repo);
      if (!(await isAncestor(repo, commit, `refs/remotes/origin/${ctx.rig.branch}`))) {
        return {
          kind: 'rejected',
          message: `origin/${ctx.rig.branch} does not contain ${commit} after the push`,
        };
      }
      await fastForward(await refineryTree(ctx), commit);
      return { kind: 'merged', commit };
    }
    case 'pr':
      return openPr(ctx, mr, commit);
  }
}

async function openPr(ctx: RefineryContext, mr: MergeRequest, commit: string): Promise<Landing> {
  const github: { repo?: string; api_url?: string } = ctx.config.github ?? {};
  const repo = github.repo ?? githubRepoOf(ctx.rig.git_url);
  if (repo === undefined) {
    throw new GasTownError(
      ErrorCode.invalidInput,
      `merge_mode pr: say which GitHub repository in ${ctx.paths.config} (github: { repo: owner/name })`,
      { ids: { rig: ctx.rig.name } },
    );
  }
  const token = ctx.env.GITHUB_TOKEN;
  if (token === undefined || token === '') {
    throw new GasTownError(ErrorCode.invalidInput, 'merge_mode pr needs a GitHub token in GITHUB_TOKEN', {
      ids: { rig: ctx.rig.name },
    });
  }
  // The polecat's branch is the town's; after a rebase it is replaced, hence the forced push.
  const pushed = await pushCommit({
    gitDir: ctx.paths.repo,
    remote: 'origin',
    commit,
    ref: `refs/heads/${mr.branch}`,
    force: true,
  });
  if (!pushed.ok) return { kind: 'rejected', message: pushed.message };
  const bead = await ctx.town.beads.get(mr.bead_id);
  const pr = await openPullRequest(
    { apiUrl: github.api_url ?? defaultGitHubApiUrl, repo, token },
    {
      title: bead?.title ?? mr.bead_id,
      head: mr.branch,
      base: ctx.rig.branch,
      body: await prBody(ctx, mr, commit),
    },
  );
  return { kind: 'pr_open', commit, url: pr.html_url, number: pr.number, existed: pr.existed };
}
