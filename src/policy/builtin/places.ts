// Places the built-in profile knows: secrets, the town's own files, system directories, devices
// git's hook directory, any `.git`, and the sandbox's private /tmp. All take resolved
// (symlink-free) paths.
import { basename, dirname, join } from 'node:path';
import type { ResolvedEnv } from '../paths.js';
import { isNeutralDevice, within } from '../paths.js';

/** Credentials below the home directory. */
const homeSecrets = [
  '.ssh',
  '.aws',
  '.gnupg',
  '.config/gh',
  '.config/gcloud',
  '.azure',
  '.kube',
  '.docker/config.json',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.password-store',
  '.vault-token',
];
const systemSecrets = ['/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d', '/etc/ssh/ssh_host_'];

/** `.env`, `.env.local`, `.env.production`…: secrets when outside the worktree. */
const envFile = /^\.env(\..+)?$/;

export function isSecret(path: string, env: ResolvedEnv): boolean {
  if (homeSecrets.some((s) => within(join(env.home, s), path))) return true;
  if (systemSecrets.some((s) => (s.endsWith('_') ? path.startsWith(s) : within(s, path)))) return true;
  if (within(join(env.townRoot, '.gt'), path)) return true;
  return envFile.test(basename(path)) && !within(env.worktree, path);
}

/** The town's control files: the policy itself, town.yaml and each rig's rig.yaml. */
export function isTownConfig(path: string, env: ResolvedEnv): boolean {
  if (path === join(env.townRoot, 'policy.yaml') || path === join(env.townRoot, 'town.yaml')) return true;
  return basename(path) === 'rig.yaml' && dirname(dirname(path)) === env.townRoot;
}

const systemWriteRoots = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/sys',
  '/proc',
  '/opt',
  '/snap',
  '/System',
  '/Library',
  '/private/etc',
];

export function isSystemPath(path: string): boolean {
  return systemWriteRoots.some((root) => within(root, path));
}

/** Read-only places any build may look at: toolchains, headers, OS identification. */
const systemReadRoots = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const systemReadFiles = [
  '/etc/os-release',
  '/etc/lsb-release',
  '/etc/debian_version',
  '/etc/alpine-release',
  '/etc/timezone',
  '/etc/localtime',
  '/proc/cpuinfo',
  '/proc/meminfo',
  '/proc/version',
];

export function isSystemReadable(path: string): boolean {
  return (
    isNeutralDevice(path) || systemReadRoots.some((r) => within(r, path)) || systemReadFiles.includes(path)
  );
}

/** A device other than /dev/null and friends: a disk, a partition, a raw terminal. */
export function isRawDevice(path: string): boolean {
  return within('/dev', path) && path !== '/dev' && !isNeutralDevice(path);
}

/** Git runs what lies in a repository's `hooks/`; its `config` can name programs to run too. */
export function isGitHookPath(path: string): boolean {
  return /\.git\/hooks(\/|$)/.test(path) || /\.git\/(worktrees\/[^/]+\/)?config(\.worktree)?$/.test(path);
}

/**
 * A path with a `.git` component: a repository's own files (or the gitlink file of a worktree).
 * Compared without case: git on Linux only reads `.git`, but a worktree on a case-insensitive
 * file system (macOS, Windows, `sandbox: none`) would take `.GIT` for it, and nobody needs `.GIT`.
 */
export function isInGitDir(path: string): boolean {
  return path.split('/').some((part) => part.toLowerCase() === '.git');
}

/**
 * Strictly below the private /tmp (not /tmp itself): the sandbox gives each session its own, so
 * scratch files there touch nobody else's. Without the sandbox (`sandbox: none`) there is none. A town, home or context rig that lives below /tmp (as
 * in tests) is not scratch, nor is a directory holding one. `orRoot`: /tmp itself counts (to read it).
 */
export function isPrivateTmp(path: string, env: ResolvedEnv, orRoot = false): boolean {
  if (env.tmp === undefined || (path === env.tmp && !orRoot) || !within(env.tmp, path)) return false;
  const kept = [env.townRoot, env.home, env.worktree, ...env.readOnly];
  return !kept.some((root) => within(root, path) || within(path, root));
}
