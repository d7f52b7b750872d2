// Commits everything in a work tree onto one named branch, under a given author, with trailers that
// tie the commit to the ledger (`Gas-Town-Bead`, `Gas-Town-Session`). Built from plumbing: the
// index takes the files (`add --all`), the commit's parent is the branch's tip, and the branch alone
// moves, by a compare-and-swap (`update-ref <branch> <new> <old>`), whatever HEAD says. Nested
// repositories (a directory with its own `.git`) are left out: git would record them as gitlinks
// and later descend into them; their paths are returned so the caller can say so. Nothing to commit
// is not an error: the commit is then undefined.
import { ErrorCode, GasTownError } from '../errors.js';
import type { WorkTree } from './hardened.js';
import { gitAt } from './hardened.js';

export interface CommitIdentity {
  name: string;
  email: string;
}

export interface CommitRequest {
  tree: WorkTree;
  /** The branch to commit on (without `refs/heads/`): the one the town assigned. */
  branch: string;
  author: CommitIdentity;
  message: string;
  trailers: Record<string, string>;
}

export interface CommitOutcome {
  commit: string | undefined;
  /** Work-tree paths of nested repositories (and gitlinks) that were not committed. */
  nestedRepos: string[];
}

export function identityEnv(author: CommitIdentity, committer = author): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}

/** Paths git would record as gitlinks: untracked nested repositories and gitlinks in the index. */
export async function nestedRepositories(tree: WorkTree): Promise<string[]> {
  const others = await gitAt(tree, ['ls-files', '-z', '--others', '--exclude-standard']);
  // git lists a nested repository as one entry ending in `/` and never descends into it.
  const nested = others.split('\0').filter((path) => path.endsWith('/'));
  const staged = await gitAt(tree, ['ls-files', '-z', '--stage']);
  for (const entry of staged.split('\0')) {
    if (entry.startsWith('160000 ')) nested.push(entry.slice(entry.indexOf('\t') + 1));
  }
  return nested.map((path) => path.replace(/\/$/, '')).filter((path) => path !== '');
}

export async function commitAll(request: CommitRequest): Promise<CommitOutcome> {
  const { tree } = request;
  if (request.branch.startsWith('-') || request.branch.trim() === '') {
    throw new GasTownError(ErrorCode.git, `not a branch name: ${request.branch}`);
  }
  const ref = `refs/heads/${request.branch}`;
  const parent = await gitAt(tree, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const nestedRepos = await nestedRepositories(tree);
  const excluded = nestedRepos.map((path) => `:(exclude,literal)${path}`);
  await gitAt(tree, ['add', '--all', '--', '.', ...excluded]);
  const written = await gitAt(tree, ['write-tree']);
  const before = await gitAt(tree, ['rev-parse', '--verify', `${parent}^{tree}`]);
  if (written === before) return { commit: undefined, nestedRepos };
  const trailers = Object.entries(request.trailers).map(([key, value]) => `${key}: ${value}`);
  const message = `${request.message.trimEnd()}\n\n${trailers.join('\n')}`;
  const commit = await gitAt(tree, ['commit-tree', '--no-gpg-sign', written, '-p', parent, '-m', message], {
    env: identityEnv(request.author),
  });
  await gitAt(tree, ['update-ref', '-m', 'gt: commit', ref, commit, parent]);
  return { commit, nestedRepos };
}
