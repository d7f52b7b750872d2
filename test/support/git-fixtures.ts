// Real git repositories for tests: a bare "remote" with commits on `main` and on `dev`, reachable
// as a local path or a file:// URL, plus small helpers to read and change it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';

export interface GitRemote {
  /** The bare repository, usable as a local-path URL. */
  path: string;
  fileUrl: string;
  /** The non-bare repository the remote was made from; commit here and push to change it. */
  work: string;
}

const identity = [
  '-c',
  'user.name=Gas Town Test',
  '-c',
  'user.email=test@gastown.invalid',
  '-c',
  'commit.gpgsign=false',
];

/** Runs git in `cwd` and returns its trimmed stdout; throws on failure. */
export async function gitIn(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa('git', [...identity, ...args], { cwd, env: { GIT_TERMINAL_PROMPT: '0' } });
  return result.stdout.trim();
}

/** Makes `<parent>/<name>.git` with `README.md` on `main` and an extra commit on `dev`; HEAD is `main`. */
export async function makeRemote(parent: string, name = 'remote'): Promise<GitRemote> {
  const work = join(parent, `${name}-work`);
  const path = join(parent, `${name}.git`);
  await execa('git', ['init', '--quiet', '--initial-branch=main', work]);
  await commitFile(work, 'README.md', `# ${name}\n`, 'first commit');
  await gitIn(work, 'checkout', '--quiet', '-b', 'dev');
  await commitFile(work, 'DEV.md', 'work in progress\n', 'dev commit');
  await gitIn(work, 'checkout', '--quiet', 'main');
  await execa('git', ['clone', '--quiet', '--bare', work, path]);
  await gitIn(work, 'remote', 'add', 'origin', path);
  return { path, fileUrl: pathToFileURL(path).href, work };
}

/** Writes and commits one file in a non-bare repository. */
export async function commitFile(work: string, file: string, text: string, message: string): Promise<void> {
  await writeFile(join(work, file), text);
  await gitIn(work, 'add', file);
  await gitIn(work, 'commit', '--quiet', '-m', message);
}

/** Points the remote's HEAD (its default branch) at `branch`. */
export async function setRemoteHead(remote: GitRemote, branch: string): Promise<void> {
  await gitIn(remote.path, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
}
