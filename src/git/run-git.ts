// Runs one `git` child process with an argument array (never a shell string). Git is told never to
// prompt, so an unreachable or private URL fails fast instead of waiting on a terminal.
import { execFile } from 'node:child_process';
import { ErrorCode, GasTownError } from '../errors.js';

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** Directory git runs in (`-C` semantics); defaults to the process's cwd. */
  cwd?: string;
  /** Extra environment (author and committer identity, for instance). */
  env?: Record<string, string>;
}

const quietEnv = { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C' };

/** Runs git and returns whatever happened; for commands whose exit code is the answer. */
export function tryGit(args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return execGit(args, options.cwd, { ...process.env, ...quietEnv, ...options.env });
}

/** One git process with exactly `env` (nothing inherited): the hardened runners build their own. */
export function execGit(
  args: readonly string[],
  cwd: string | undefined,
  env: Record<string, string | undefined>,
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...args],
      {
        cwd,
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new GasTownError(ErrorCode.git, `could not run git: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** Runs git and returns its trimmed stdout; a non-zero exit becomes a `git_failed` error. */
export async function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return stdoutOf(args, await tryGit(args, options));
}

/** The trimmed stdout of a finished git; a non-zero exit becomes a `git_failed` error naming `args[0]`. */
export function stdoutOf(args: readonly string[], result: GitResult): string {
  if (result.exitCode !== 0) {
    throw new GasTownError(ErrorCode.git, `git ${args[0] ?? ''} failed: ${gitComplaint(result.stderr)}`);
  }
  return result.stdout.trim();
}

/** The useful part of git's stderr: its `fatal:` / `error:` lines, else its last line. */
export function gitComplaint(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const fatal = lines.filter((line) => /^(fatal|error):/.test(line));
  const chosen = fatal.length > 0 ? fatal : lines.slice(-1);
  return chosen.join('; ') || 'no message from git';
}
