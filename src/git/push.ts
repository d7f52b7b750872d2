// Pushes one commit to a ref of a remote. A rejection is an answer (the caller re-fetches and
// decides), so it comes back as a result rather than an error.
import { ErrorCode, GasTownError } from '../errors.js';
import { remoteGit } from './hardened.js';
import { gitComplaint } from './run-git.js';

export interface PushRequest {
  gitDir: string;
  remote: string;
  commit: string;
  /** Full ref name on the remote, e.g. `refs/heads/main`. */
  ref: string;
  /** Replace the remote ref even when it is not an ancestor (`+src:dst`). */
  force?: boolean;
}

export type PushResult = { ok: true } | { ok: false; message: string };

export async function pushCommit(request: PushRequest): Promise<PushResult> {
  if (!request.ref.startsWith('refs/') || request.commit.startsWith('-')) {
    throw new GasTownError(ErrorCode.git, `push: bad refspec ${request.commit}:${request.ref}`);
  }
  const refspec = `${request.force ? '+' : ''}${request.commit}:${request.ref}`;
  const result = await remoteGit(request.gitDir, [
    'push',
    '--quiet',
    '--porcelain',
    '--no-verify',
    '--',
    request.remote,
    refspec,
  ]);
  if (result.exitCode === 0) return { ok: true };
  return { ok: false, message: gitComplaint(`${result.stderr}\n${result.stdout}`) };
}
