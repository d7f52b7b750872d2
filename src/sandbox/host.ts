// Facts about this machine that shape the sandbox: are we root, which system directories exist (and
// which are merged-/usr symlinks), which secrets under /etc must be masked. Reads the disk, never
// writes it; `buildSandboxArgv` takes these facts as data so it stays pure and testable.
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type SystemEntry = { path: string; kind: 'bind' } | { path: string; kind: 'symlink'; target: string };

export interface MaskEntry {
  path: string;
  kind: 'file' | 'dir';
}

export interface SandboxHost {
  /** Root drops to the sandbox uid with setpriv; anyone else runs bwrap unprivileged as themselves. */
  runningAsRoot: boolean;
  /** Shown read-only, in this order. */
  system: SystemEntry[];
  /** Secrets under the system paths, masked with an empty file or an empty read-only tmpfs. */
  masks: MaskEntry[];
}

export const systemCandidates: readonly string[] = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/etc',
];

const etcSecretPrefixes = ['shadow', 'gshadow', 'sudoers', 'master.passwd'];
const etcSecretPaths = [
  '/etc/ssl/private',
  '/etc/security/opasswd',
  '/etc/credstore',
  '/etc/credstore.encrypted',
  '/etc/wireguard',
  '/etc/NetworkManager/system-connections',
  '/etc/ipsec.secrets',
  '/etc/ppp/chap-secrets',
  '/etc/ppp/pap-secrets',
];

function kindOf(path: string): 'file' | 'dir' | 'symlink' | undefined {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return 'symlink';
    return stat.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function systemEntries(): SystemEntry[] {
  const entries: SystemEntry[] = [];
  for (const path of systemCandidates) {
    const kind = kindOf(path);
    if (kind === 'dir') entries.push({ path, kind: 'bind' });
    else if (kind === 'symlink') entries.push({ path, kind: 'symlink', target: readlinkSync(path) });
  }
  return entries;
}

function etcMasks(): MaskEntry[] {
  const candidates = [
    ...listDir('/etc')
      .filter((name) => etcSecretPrefixes.some((prefix) => name.startsWith(prefix)))
      .map((name) => join('/etc', name)),
    ...listDir('/etc/ssh')
      .filter((name) => /^ssh_host_.*_key$/.test(name))
      .map((name) => join('/etc/ssh', name)),
    ...etcSecretPaths,
  ];
  const masks: MaskEntry[] = [];
  for (const path of candidates) {
    const kind = kindOf(path);
    if (kind === 'file' || kind === 'dir') masks.push({ path, kind });
  }
  return masks;
}

/** Reads this machine's facts; cheap (a few lstat calls), so callers may read them per step. */
export function detectSandboxHost(): SandboxHost {
  return {
    runningAsRoot: process.getuid?.() === 0,
    system: systemEntries(),
    masks: etcMasks(),
  };
}
