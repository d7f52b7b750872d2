// Places no agent touches: secrets (read or write), the town's control files, git hooks and the
// system directories.
import { codeRunningGitKeys, gitConfigWrites, parseGit } from '../git.js';
import { within } from '../paths.js';
import { builtin } from '../rule.js';
import type { Subject } from '../subject.js';
import { known } from '../subject.js';
import { isGitHookPath, isSecret, isSystemPath, isTownConfig } from './places.js';

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
  'writing .git/hooks or .git/config, or setting core.hooksPath / core.fsmonitor / core.sshCommand',
  'git hooks and code-running git settings would run outside the agent’s control (e.g. in the refinery)',
  (s) => {
    if (written(s).some(isGitHookPath)) return true;
    if (s.kind !== 'command' || s.name !== 'git') return false;
    return gitConfigWrites(parseGit(s.part.words)).some((key) => codeRunningGitKeys.includes(key));
  },
);

export const systemWrite = builtin(
  'system-write',
  'deny',
  'writing, deleting or changing the mode of anything in /etc, /usr, /bin, /sbin, /lib*, /boot, /sys, /proc, /opt (outside the worktree)',
  'system directories are not an agent’s to change',
  (s, env) => written(s).some((path) => isSystemPath(path) && !within(env.worktree, path)),
);
