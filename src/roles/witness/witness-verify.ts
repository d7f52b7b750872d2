// The Witness's check of a polecat's "done": the branch must carry a real change against the rig's
// target branch (unless the bead is labelled `no-code`), and the rig's check command must pass in the
// polecat's worktree, inside the sandbox. Only decides; the caller acts on the verdict.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import type { WorktreeState } from '../../git/index.js';
import { checkPointer, findWorkTree, gitAt, gitComplaint, tryGitAt, worktreeState } from '../../git/index.js';
import type { SandboxRunner } from '../../sandbox/index.js';

export const noCodeLabel = 'no-code';

export interface VerifyInput {
  /** The rig's bare mirror, which holds every polecat branch. */
  repo: string;
  townRoot: string;
  target: string;
  branch: string;
  worktree: string;
  labels: readonly string[];
  checkCommand: string | null;
  /** Needed only when there is a check command. */
  runner: SandboxRunner | undefined;
  checkTimeoutMs: number;
}

export type Verdict =
  | {
      ok: true;
      head: string;
      commitsAhead: number;
      checked: boolean;
      /** The check ran on files that were exactly the head's tree (see `worktreeState`). */
      clean: boolean;
    }
  | { ok: false; head: string | undefined; reason: string; detail: string };

export async function verifyDone(input: VerifyInput): Promise<Verdict> {
  // Before anything runs in it: is the worktree on the branch with nothing but the head's tree in
  // it? Then a passing check holds for that tree wherever it is checked out (the Refinery reuses
  // it when its candidate is that tree). The same status names the branch head, saving a lookup.
  const tree =
    input.checkCommand !== null && existsSync(input.worktree)
      ? await findWorkTree(input.repo, input.worktree)
      : undefined;
  if (tree !== undefined) {
    // Host git never follows it, but a changed `.git` is a polecat reaching for the town's git.
    const pointer = await checkPointer(tree);
    if (!pointer.ok) {
      const reason = `the work tree was tampered with (${pointer.found})`;
      return { ok: false, head: undefined, reason, detail: reason };
    }
  }
  const state: WorktreeState | undefined =
    tree === undefined ? undefined : await worktreeState(tree, { everyFile: true }).catch(() => undefined);
  const head =
    state?.branch === input.branch && state.head !== undefined
      ? state.head
      : await branchHead(input.repo, input.branch);
  const clean = state?.clean === true && state.head === head;
  if (head === undefined) {
    return { ok: false, head, reason: `branch ${input.branch} does not exist`, detail: '' };
  }
  const commitsAhead = Number(
    await gitAt({ gitDir: input.repo }, ['rev-list', '--count', `refs/heads/${input.target}..${head}`]),
  );
  if (!input.labels.includes(noCodeLabel) && !(await hasDiff(input.repo, input.target, head))) {
    return {
      ok: false,
      head,
      reason: `no changes against ${input.target}`,
      detail: `The branch ${input.branch} (${head.slice(0, 12)}, ${commitsAhead} commit(s) ahead) changes no file against ${input.target}. Label the bead ${noCodeLabel} if it needs no code.`,
    };
  }
  if (input.checkCommand === null) return { ok: true, head, commitsAhead, checked: false, clean: false };
  if (input.runner === undefined) throw invalidInput('a check command needs a sandbox runner');
  if (!existsSync(input.worktree)) {
    return { ok: false, head, reason: `the worktree ${input.worktree} is gone`, detail: '' };
  }
  const result = await input.runner.run(
    { worktree: input.worktree, townRoot: input.townRoot, network: false },
    input.checkCommand,
    { timeoutMs: input.checkTimeoutMs },
  );
  if (result.exitCode === 0 && !result.timedOut)
    return { ok: true, head, commitsAhead, checked: true, clean };
  const how = result.timedOut ? `timed out after ${input.checkTimeoutMs} ms` : `exit ${result.exitCode}`;
  return {
    ok: false,
    head,
    reason: `check \`${input.checkCommand}\` failed (${how})`,
    detail: tail(`${result.stdout}\n${result.stderr}`),
  };
}

/**
 * `branchHead` without a git process when the branch is a loose ref file (as a branch just
 * committed to is): the Witness asks this of every polecat waiting in review on every patrol.
 */
export async function branchHeadQuick(repo: string, branch: string): Promise<string | undefined> {
  if (!branch.includes('..') && !branch.startsWith('/')) {
    const text = await readFile(join(repo, 'refs', 'heads', branch), 'utf8').catch(() => '');
    const sha = text.trim();
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
  }
  return branchHead(repo, branch);
}

/** The commit a local branch points at, if the branch exists. */
export async function branchHead(repo: string, branch: string): Promise<string | undefined> {
  const found = await tryGitAt({ gitDir: repo }, [
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/heads/${branch}^{commit}`,
  ]);
  return found.exitCode === 0 ? found.stdout.trim() : undefined;
}

/** Whether `head` changes anything since it forked from `target` (`git diff --quiet target...head`). */
async function hasDiff(repo: string, target: string, head: string): Promise<boolean> {
  const diff = await tryGitAt({ gitDir: repo }, [
    'diff',
    '--quiet',
    '--no-ext-diff',
    '--no-textconv',
    '--ignore-submodules=all',
    `refs/heads/${target}...${head}`,
  ]);
  if (diff.exitCode === 0) return false;
  if (diff.exitCode === 1) return true;
  throw new GasTownError(ErrorCode.git, `git diff ${target}...${head} failed: ${gitComplaint(diff.stderr)}`);
}

function tail(text: string, lines = 40): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
