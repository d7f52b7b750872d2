// Git plumbing: plain `git` child processes with argument arrays, one small module per job. Rules:
// no shell strings; no town or bead knowledge here; failures surface as `git_failed` GasTownErrors.
export { git, tryGit, gitComplaint } from './run-git.js';
export type { GitOptions, GitResult } from './run-git.js';
export { cloneBare, trackingRefspec } from './clone-bare.js';
export { headBranch } from './head-branch.js';
export { branchExists } from './branch-exists.js';
export { addWorktree, addBranchWorktree, fetchOrigin } from './worktree.js';
export { commitAll } from './commit.js';
export type { CommitIdentity, CommitRequest } from './commit.js';
export { normalizeGitUrl, isLocalGitPath } from './url.js';
export { resolveCommit, isAncestor, commitsWithTrailer } from './refs.js';
export type { RefQueryOptions } from './refs.js';
export { rebaseOnto, untrustedWorkConfig } from './rebase.js';
export type { RebaseRequest, RebaseResult } from './rebase.js';
export { fastForward, resetToBranch } from './fast-forward.js';
export { pushCommit } from './push.js';
export type { PushRequest, PushResult } from './push.js';
export { addDetachedWorktree, removeWorktree, deleteBranch } from './scratch-worktree.js';
export { squashOnto } from './squash.js';
export { worktreeState } from './status.js';
export type { WorktreeState, WorktreeStateOptions } from './status.js';
