// Destructive git: force pushes anywhere, and `reset --hard` / `clean -f` outside the worktree
// (the working directory is the worktree unless a `cd`, `-C` or `--work-tree` says otherwise).
import { hasFlag, parseGit, positionals } from '../git.js';
import type { Place, ResolvedEnv } from '../paths.js';
import { resolveWord, within } from '../paths.js';
import { builtin } from '../rule.js';
import type { CommandSubject } from '../subject.js';

export function isGitDestructive(s: CommandSubject): boolean {
  if (s.name !== 'git') return false;
  const git = parseGit(s.part.words);
  if (git.sub === 'reset') return hasFlag(git.args, ['--hard', '--merge', '--keep']);
  if (git.sub === 'clean') return hasFlag(git.args, ['--force'], 'f');
  if (git.sub === 'checkout') return hasFlag(git.args, ['--force'], 'f');
  return git.sub === 'restore';
}

/** The directory git works on, or undefined when it is only known at run time. */
export function gitPlace(s: CommandSubject, env: ResolvedEnv): Place | undefined {
  const git = parseGit(s.part.words);
  let place: Place | undefined = s.cwd === undefined ? undefined : { path: s.cwd, below: false };
  for (const dir of git.dirs) place = place && resolveWord(dir, place.path, env);
  if (place && git.workTree) place = resolveWord(git.workTree, place.path, env);
  const gitDir = place && git.gitDir ? resolveWord(git.gitDir, place.path, env) : undefined;
  if (gitDir && !within(env.worktree, gitDir.path)) return gitDir;
  return place;
}

export const gitForcePush = builtin(
  'git-force-push',
  'deny',
  'git push --force, -f, --force-with-lease, --force-if-includes, --mirror, or a +refspec',
  'force pushes rewrite shared history; the refinery is the only one that lands work',
  (s) => {
    if (s.kind !== 'command' || s.name !== 'git') return false;
    const git = parseGit(s.part.words);
    if (git.sub !== 'push') return false;
    const forced = hasFlag(
      git.args,
      ['--force', '--force-with-lease', '--force-if-includes', '--mirror'],
      'f',
    );
    return forced || positionals(git.args).some((w) => w.raw.startsWith('+'));
  },
);

export const gitDestructiveOutside = builtin(
  'git-destructive-outside-worktree',
  'deny',
  'git reset --hard, git clean -f or git checkout -f run on a directory outside the worktree',
  'throwing away changes in someone else’s checkout destroys their work',
  (s, env) => {
    if (s.kind !== 'command' || !isGitDestructive(s)) return false;
    const place = gitPlace(s, env);
    return place !== undefined && !within(env.worktree, place.path);
  },
);
