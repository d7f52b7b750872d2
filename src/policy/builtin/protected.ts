// Places no agent touches: secrets (read or write), the town's control files, git hooks, any
// `.git` (a repository's own files) and the system directories.
import { parseGit } from '../git.js';
import type { ResolvedEnv } from '../paths.js';
import { resolveWord, within } from '../paths.js';
import { builtin } from '../rule.js';
import type { Subject } from '../subject.js';
import { known } from '../subject.js';
import { gitInitDir } from '../operands/tool-args.js';
import { litWord } from '../shell/word.js';
import { isGitHookPath, isInGitDir, isPrivateTmp, isSecret, isSystemPath, isTownConfig } from './places.js';

/** Every path the subject reads or writes (known ones). */
export function touched(s: Subject): string[] {
  if (s.kind === 'file') return [s.path];
  if (s.kind === 'command') return known([...s.reads, ...s.writes]).map((p) => p.path);
  return [];
}

export function written(s: Subject): string[] {
  if (s.kind === 'file') return s.access === 'write' ? [s.path] : [];
  if (s.kind === 'command') return known(s.writes).map((p) => p.path);
  return [];
}

export const secrets = builtin(
  'secrets',
  'deny',
  'any path in ~/.ssh, ~/.aws, ~/.gnupg, ~/.config/gh (and other credential stores), /etc/shadow, the town’s .gt/, or a .env file outside the worktree',
  'secrets are off limits to agents: credentials, keys and the town database are never read or written',
  (s, env) => touched(s).some((path) => isSecret(path, env)),
);

export const townConfig = builtin(
  'town-config',
  'deny',
  'writing the town’s policy.yaml, town.yaml or a rig.yaml',
  'agents may not change the rules they run under',
  (s, env) => written(s).some((path) => isTownConfig(path, env)),
);

export const gitHooks = builtin(
  'git-hooks',
  'deny',
  'writing .git/hooks or .git/config (by a command or the write tool)',
  'git hooks and git settings would run outside the agent’s control (e.g. in the refinery)',
  (s) => written(s).some(isGitHookPath),
);

/** `ln -s .git alias`: later writes through the alias would not name `.git`. */
function linksToGitDir(s: Subject, env: ResolvedEnv): boolean {
  return (
    s.kind === 'command' &&
    s.name === 'ln' &&
    known(s.reads).some((p) => isInGitDir(p.path) && !isPrivateTmp(p.path, env))
  );
}

/** `git init` creating a repository in the worktree or below it. */
function initsInWorktree(s: Subject, env: ResolvedEnv): boolean {
  if (s.kind !== 'command' || s.name !== 'git' || s.cwd === undefined) return false;
  const git = parseGit(s.part.words);
  if (git.sub !== 'init') return false;
  let base: string | undefined = s.cwd;
  for (const dir of git.dirs) base = base === undefined ? undefined : resolveWord(dir, base, env)?.path;
  const target =
    base === undefined ? undefined : resolveWord(gitInitDir(git.args)[0] ?? litWord('.'), base, env);
  return target !== undefined && within(env.worktree, target.path);
}

export const gitDirWrite = builtin(
  'git-dir-write',
  'deny',
  'creating, overwriting or deleting `.git` or anything below a `.git` directory (any case; `> .git`, `rm -rf .git`, `mkdir sub/.git`, `sed -i … .git/…`, the write tool), linking to one (`ln -s .git g`), and `git init` in the worktree or below; scratch repositories below /tmp are fine',
  'a repository’s own files decide what git runs and what lands; only git itself changes them',
  (s, env) =>
    written(s).some((path) => isInGitDir(path) && !isPrivateTmp(path, env)) ||
    linksToGitDir(s, env) ||
    initsInWorktree(s, env),
);

export const systemWrite = builtin(
  'system-write',
  'deny',
  'writing, deleting or changing the mode of anything in /etc, /usr, /bin, /sbin, /lib*, /boot, /sys, /proc, /opt (outside the worktree)',
  'system directories are not an agent’s to change',
  (s, env) => written(s).some((path) => isSystemPath(path) && !within(env.worktree, path)),
);
