// Builds the candidate for a merge request: the polecat's head, rebased onto the target in a scratch
// worktree of its own (`<rig>/merging/mr-<id>`, detached, so the refinery worktree and the polecat's
// branch are never touched), then the rig's check run on it in the sandbox. Only a candidate whose
// check passed may land; the commit that lands is the one checked, whatever the check wrote. When
// the target has not moved since the branch was cut, the candidate has the head's tree, and the
// Witness's check of exactly that tree is reused (refinery-reuse.ts); with a single commit then,
// the candidate is the head itself and no worktree is made.
import { existsSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, GasTownError } from '../../errors.js';
import {
  addDetachedWorktree,
  rebaseOnto,
  removeWorktree,
  requireWorkTree,
  squashOnto,
  tryGitAt,
} from '../../git/index.js';
import { loadPolicy } from '../../policy/index.js';
import { pickRunner } from '../../sandbox/index.js';
import type { MergeRequest } from './merge-queue.js';
import type { RefineryContext } from './refinery-context.js';
import { tail } from './refinery-context.js';
import type { ReusedCheck } from './refinery-reuse.js';
import { reusableCheck } from './refinery-reuse.js';

export interface CheckRun {
  command: string;
  exitCode: number;
  timedOut: boolean;
  output: string;
}

export type Candidate =
  | {
      kind: 'ready';
      commit: string;
      onto: string;
      check: CheckRun | undefined;
      /** The Witness's check of this very tree stood in for running it again. */
      reused?: ReusedCheck;
    }
  | { kind: 'conflict'; onto: string; files: string[]; message: string }
  | { kind: 'check_failed'; commit: string; onto: string; check: CheckRun };

export function scratchPath(ctx: RefineryContext, mr: Pick<MergeRequest, 'id'>): string {
  return join(ctx.paths.dir, 'merging', `mr-${mr.id}`);
}

/**
 * Removes the request's scratch worktree, if any (idempotent; also after a crash). A registration
 * left without its directory needs nothing: the next add at that path is forced.
 */
export async function dropScratch(ctx: RefineryContext, mr: Pick<MergeRequest, 'id'>): Promise<void> {
  const scratch = scratchPath(ctx, mr);
  if (existsSync(scratch)) await removeWorktree(ctx.paths.repo, scratch);
}

export async function buildCandidate(
  ctx: RefineryContext,
  mr: MergeRequest,
  onto: string,
): Promise<Candidate> {
  const command = checkCommand(ctx);
  // Where the head stands: `behind` commits of the target it lacks (0: the rebase is a no-op and
  // the squash keeps the head's tree), `ahead` commits of its own (at most 1: nothing to squash).
  const { behind, ahead } = await divergence(ctx, onto, mr.head_commit);
  const unmoved = behind === 0;
  const reuse = async (commit: string) =>
    unmoved && command !== undefined
      ? reusableCheck(ctx, mr, commit, command, loadPolicy(join(ctx.root, 'policy.yaml')).sandbox)
      : undefined;
  if (unmoved && ahead <= 1) {
    // The candidate is the head itself: with no check to run, or the Witness's to reuse, no
    // worktree is needed at all.
    const reused = await reuse(mr.head_commit);
    if (command === undefined || reused !== undefined) return ready(mr.head_commit, onto, command, reused);
  }
  const scratch = scratchPath(ctx, mr);
  await dropScratch(ctx, mr);
  await mkdir(join(ctx.paths.dir, 'merging'), { recursive: true });
  await addDetachedWorktree(ctx.paths.repo, scratch, mr.head_commit);
  // Looked up before the check runs in it: nothing after the check needs git in the scratch tree.
  const tree = await requireWorkTree(ctx.paths.repo, scratch);
  let rebasedHead = mr.head_commit;
  if (!unmoved) {
    const rebased = await rebaseOnto({ tree, onto, committer: ctx.committer });
    if (!rebased.ok) return { kind: 'conflict', onto, files: rebased.conflicts, message: rebased.message };
    rebasedHead = rebased.commit;
  }
  // One bead, one commit on the target: sessions, reworks and WIP commits fold into the last one.
  // A rebase only ever drops commits, so at most one before it means nothing to fold after it.
  const commit = ahead <= 1 ? rebasedHead : await squashOnto({ tree, onto, committer: ctx.committer });
  // (Unmoved with at most one commit was asked above: the candidate is that same head.)
  const reused = unmoved && ahead <= 1 ? undefined : await reuse(commit);
  if (reused !== undefined || command === undefined) return ready(commit, onto, command, reused);
  const check = await runCheck(ctx, scratch, command);
  if (check.exitCode !== 0 || check.timedOut) return { kind: 'check_failed', commit, onto, check };
  return { kind: 'ready', commit, onto, check };
}

function ready(
  commit: string,
  onto: string,
  command: string | undefined,
  reused: ReusedCheck | undefined,
): Candidate {
  const check = command === undefined ? undefined : { command, exitCode: 0, timedOut: false, output: '' };
  return { kind: 'ready', commit, onto, check, ...(reused === undefined ? {} : { reused }) };
}

/**
 * `git rev-list --left-right --count onto...head` in one process; when git cannot answer (an
 * unknown head), "moved, several commits", so the usual path runs and reports what git says.
 */
async function divergence(
  ctx: RefineryContext,
  onto: string,
  head: string,
): Promise<{ behind: number; ahead: number }> {
  const counted = await tryGitAt({ gitDir: ctx.paths.repo }, [
    'rev-list',
    '--left-right',
    '--count',
    `${onto}...${head}`,
  ]);
  const [behind, ahead] = counted.stdout.trim().split(/\s+/).map(Number);
  if (counted.exitCode !== 0 || !Number.isInteger(behind) || !Number.isInteger(ahead))
    return { behind: 1, ahead: 2 };
  return { behind: behind!, ahead: ahead! };
}

function checkCommand(ctx: RefineryContext): string | undefined {
  const command = ctx.rig.check_command;
  return command === null || command.trim() === '' ? undefined : command;
}

/** Runs the rig's check command in the sandbox in `worktree`. */
async function runCheck(ctx: RefineryContext, worktree: string, command: string): Promise<CheckRun> {
  const policy = loadPolicy(join(ctx.root, 'policy.yaml'));
  const choice = pickRunner(policy.sandbox);
  if (!choice.ok) {
    const hint = choice.install ? ` (install it with: ${choice.install})` : '';
    throw new GasTownError(ErrorCode.invalidInput, `cannot run the check: ${choice.reason}${hint}`);
  }
  const result = await choice.runner.run(
    { worktree: realpathSync(worktree), townRoot: ctx.root, network: false },
    command,
    { timeoutMs: ctx.checkTimeoutMs },
  );
  const output = [result.stdout, result.stderr].filter((part) => part.trim() !== '').join('\n');
  return { command, exitCode: result.exitCode, timedOut: result.timedOut, output: tail(output, 60) };
}
