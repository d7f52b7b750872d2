// Commits everything in a worktree under a given author, with trailers that tie the commit to the
// ledger (`Gas-Town-Bead`, `Gas-Town-Session`). Nothing to commit is not an error: it returns
// undefined.
import { git, tryGit } from './run-git.js';

export interface CommitIdentity {
  name: string;
  email: string;
}

export interface CommitRequest {
  worktree: string;
  author: CommitIdentity;
  message: string;
  trailers: Record<string, string>;
  /** Extra `-c` settings (e.g. safe.directory for a worktree owned by the sandbox user). */
  config?: string[];
}

export async function commitAll(request: CommitRequest): Promise<string | undefined> {
  const config = (request.config ?? []).flatMap((setting) => ['-c', setting]);
  const opts = { cwd: request.worktree };
  await git([...config, 'add', '--all'], opts);
  const staged = await tryGit([...config, 'diff', '--cached', '--quiet'], opts);
  if (staged.exitCode === 0) return undefined;
  const trailers = Object.entries(request.trailers).flatMap(([key, value]) => [
    '--trailer',
    `${key}: ${value}`,
  ]);
  const who = request.author;
  await git(
    [
      ...config,
      '-c',
      `user.name=${who.name}`,
      '-c',
      `user.email=${who.email}`,
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '--no-verify',
      '--author',
      `${who.name} <${who.email}>`,
      '-m',
      request.message,
      ...trailers,
    ],
    { ...opts, env: { GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email } },
  );
  return git([...config, 'rev-parse', 'HEAD'], opts);
}
