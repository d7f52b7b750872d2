// One `git status` for what several questions about a worktree would otherwise ask in several
// processes: which branch it has checked out, at which commit, and whether anything in it differs
// from that commit. Read-only: `--no-optional-locks` keeps git from rewriting the index.
import type { WorkTree } from './hardened.js';
import { gitAt } from './hardened.js';

export interface WorktreeState {
  /** The checked-out branch (without refs/heads/), or undefined on a detached HEAD. */
  branch: string | undefined;
  /** The commit HEAD points at, or undefined before the first commit. */
  head: string | undefined;
  /** No staged, unstaged or unmerged change (and, as asked, no untracked or ignored file). */
  clean: boolean;
}

export interface WorktreeStateOptions {
  /** Count untracked and ignored files as changes: the files are then exactly HEAD's tree. */
  everyFile?: boolean;
}

export async function worktreeState(
  tree: WorkTree,
  options: WorktreeStateOptions = {},
): Promise<WorktreeState> {
  const files = options.everyFile
    ? ['--untracked-files=all', '--ignored=traditional']
    : ['--untracked-files=no'];
  const out = await gitAt(tree, [
    '--no-optional-locks',
    'status',
    '--porcelain=v2',
    '--branch',
    '--ignore-submodules=all',
    ...files,
  ]);
  const state: WorktreeState = { branch: undefined, head: undefined, clean: true };
  for (const line of out.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# branch.oid ')) {
      const oid = line.slice('# branch.oid '.length);
      state.head = oid === '(initial)' ? undefined : oid;
    } else if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length);
      state.branch = head === '(detached)' ? undefined : head;
    } else if (!line.startsWith('# ')) {
      state.clean = false;
    }
  }
  return state;
}
