// Git plumbing: `git` child processes with argument arrays, one small module per job. Rules: no
// shell strings; no town or bead knowledge here; failures surface as `git_failed` GasTownErrors.
// Everything that touches a work tree or the rig's repository runs hardened (hardened.ts): the
// work tree is named by its admin directory, found from the repository's records (work-tree.ts),
// never by the work tree's own `.git`. The plain `git`/`tryGit` are for repositories the town made
// itself from its own files (the demo's samples).
export { git, tryGit, gitComplaint } from './run-git.js';
export type { GitOptions, GitResult } from './run-git.js';
export { gitAt, tryGitAt, emptyGitDir } from './hardened.js';
export type { WorkTree, GitPlace, HardenedOptions } from './hardened.js';
export { findWorkTree, requireWorkTree, checkPointer, restorePointer, pointerText } from './work-tree.js';
export type { PointerState } from './work-tree.js';
export { cloneBare, trackingRefspec } from './clone-bare.js';
export { headBranch } from './head-branch.js';
export { branchExists } from './branch-exists.js';
export { addWorktree, addBranchWorktree, fetchOrigin } from './worktree.js';
export { commitAll, nestedRepositories } from './commit.js';
export type { CommitIdentity, CommitRequest, CommitOutcome } from './commit.js';
export { normalizeGitUrl, isLocalGitPath } from './url.js';
export { resolveCommit, isAncestor, commitsWithTrailer } from './refs.js';
export { rebaseOnto } from './rebase.js';
export type { RebaseRequest, RebaseResult } from './rebase.js';
export { fastForward, resetToBranch } from './fast-forward.js';
export { pushCommit } from './push.js';
export type { PushRequest, PushResult } from './push.js';
export { addDetachedWorktree, removeWorktree, deleteBranch } from './scratch-worktree.js';
export { checkoutSnapshot } from './snapshot.js';
export { squashOnto } from './squash.js';
export { worktreeState } from './status.js';
export type { WorktreeState, WorktreeStateOptions } from './status.js';
