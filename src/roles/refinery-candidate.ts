// Builds the candidate for a merge request: the polecat's head, rebased onto the target in a scratch
// worktree of its own (`<rig>/merging/mr-<id>`, detached, so the refinery worktree and the polecat's
// branch are never touched), then the rig's check run on it in the sandbox. Only a candidate whose
// check passed may land; the commit that lands is the one checked, whatever the check wrote.
import { realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, GasTownError } from '../errors.js';
import { addDetachedWorktree, rebaseOnto, removeWorktree, squashOnto } from '../git/index.js';
import { loadPolicy } from '../policy/index.js';
import { pickRunner } from '../sandbox/index.js';
import type { MergeRequest } from './merge-queue.js';
import type { RefineryContext } from './refinery-context.js';
import { tail } from './refinery-context.js';

export interface CheckRun {
  command: string;
  exitCode: number;
  timedOut: boolean;
  output: string;
}

export type Candidate =
  | { kind: 'ready'; commit: string; onto: string; check: CheckRun | undefined }
  | { kind: 'conflict'; onto: string; files: string[]; message: string }
  | { kind: 'check_failed'; commit: string; onto: string; check: CheckRun };

export function scratchPath(ctx: RefineryContext, mr: Pick<MergeRequest, 'id'>): string {
  return join(ctx.paths.dir, 'merging', `mr-${mr.id}`);
}

/** Removes the request's scratch worktree, if any (idempotent; also after a crash). */
export async function dropScratch(ctx: RefineryContext, mr: Pick<MergeRequest, 'id'>): Promise<void> {
  await removeWorktree(ctx.paths.repo, scratchPath(ctx, mr));
}

export async function buildCandidate(
  ctx: RefineryContext,
  mr: MergeRequest,
  onto: string,
): Promise<Candidate> {
  const scratch = scratchPath(ctx, mr);
  await dropScratch(ctx, mr);
  await mkdir(join(ctx.paths.dir, 'merging'), { recursive: true });
  await addDetachedWorktree(ctx.paths.repo, scratch, mr.head_commit);
  const rebased = await rebaseOnto({
    worktree: scratch,
    onto,
    committer: ctx.committer,
    // The check runs as the sandbox user and may own the worktree when we retry: trust exactly it.
    config: [`safe.directory=${scratch}`],
  });
  if (!rebased.ok) return { kind: 'conflict', onto, files: rebased.conflicts, message: rebased.message };
  // One bead, one commit on the target: sessions, reworks and WIP commits fold into the last one.
  const commit = await squashOnto({
    worktree: scratch,
    onto,
    committer: ctx.committer,
    config: [`safe.directory=${scratch}`],
  });
  const check = await runCheck(ctx, scratch);
  if (check && (check.exitCode !== 0 || check.timedOut)) {
    return { kind: 'check_failed', commit, onto, check };
  }
  return { kind: 'ready', commit, onto, check };
}

/** Runs the rig's check command in the sandbox in `worktree`; undefined when the rig has none. */
async function runCheck(ctx: RefineryContext, worktree: string): Promise<CheckRun | undefined> {
  const command = ctx.rig.check_command;
  if (command === null || command.trim() === '') return undefined;
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
