// Questions about commits and refs: what a ref points at, whether one commit is already contained in
// another, and which commits of a range carry a given trailer (how the Refinery recognises a bead's
// work on the target after a rebase changed its hash).
import { gitAt, tryGitAt } from './hardened.js';

/** The commit a revision names, or undefined when it names none. */
export async function resolveCommit(gitDir: string, revision: string): Promise<string | undefined> {
  if (revision.startsWith('-')) return undefined;
  const result = await tryGitAt({ gitDir }, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  const sha = result.stdout.trim();
  return result.exitCode === 0 && sha !== '' ? sha : undefined;
}

/** Whether `commit` is `tip` or one of its ancestors; false when either is unknown. */
export async function isAncestor(gitDir: string, commit: string, tip: string): Promise<boolean> {
  if (commit.startsWith('-') || tip.startsWith('-')) return false;
  const result = await tryGitAt({ gitDir }, ['merge-base', '--is-ancestor', commit, tip]);
  return result.exitCode === 0;
}

/** Escapes a literal for git's extended regular expressions. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Commits reachable from `tip` but not from `exclude` whose message has the trailer line
 * `<key>: <value>` exactly (newest first). `exclude` may be undefined to search all of `tip`.
 */
export async function commitsWithTrailer(
  gitDir: string,
  tip: string,
  exclude: string | undefined,
  key: string,
  value: string,
): Promise<string[]> {
  const range = exclude === undefined ? [tip] : [tip, `^${exclude}`];
  const out = await gitAt({ gitDir }, [
    'log',
    '--format=%H',
    '--extended-regexp',
    `--grep=^${escapeRegex(key)}: ${escapeRegex(value)}$`,
    ...range,
    '--',
  ]);
  return out.split('\n').filter((line) => line !== '');
}
