// A whole agent process (Codex, later Claude Code) inside our bubblewrap sandbox, so even the
// commands the policy allowed cannot touch the rest of the machine: the worktree is writable, the
// agent's own state directories too, its executable and what it needs read-only, the town
// (database, keys, other worktrees) and every home directory hidden. As root everything runs as the
// town's sandbox uid. The sandbox's argv builder gives the base; our mounts go in before it remounts
// `/` read-only, and the agent's argv follows a fixed `exec "$0" "$@"`, never shell text.
import { readdirSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { buildSandboxArgv } from '../sandbox/index.js';
import type { ContextRig, SandboxEgress, SandboxHost, SandboxIds } from '../sandbox/index.js';
import { signalQuietly } from '../sandbox/process-group.js';

export interface AgentBox {
  worktree: string;
  townRoot: string;
  /** The session's egress gate: the private loopback's only way out (none: no network at all). */
  egress?: SandboxEgress;
  /** Writable, each at its own path (state directories, the agent's home). */
  writable: string[];
  /** Read-only, each at its own path; one inside a writable path is pinned read-only over it. */
  readOnly: string[];
  env: Record<string, string>;
  /** Secret-looking variable names let through (the sandbox scrubs the rest). */
  allow: string[];
  ids?: SandboxIds;
  /** Other rigs' checkouts, read-only at `<dirname(worktree)>/.context/<name>` (as for every step). */
  contextRigs?: ContextRig[];
}

function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function ancestors(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) dirs.add(dir);
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length);
}

/** Inside the town only agents' own corners may be shown: never its database, keys or worktrees. */
const townCorners = [join('.gt', 'agents'), join('.gt', 'sandbox-bin')];

function checkTownPath(path: string, town: string): void {
  if (!within(path, town) || path === town) return;
  if (townCorners.some((corner) => within(path, join(town, corner)))) return;
  throw new Error(`agent sandbox: ${path} lies in the town outside its agents' directories; it stays hidden`);
}

/** The mounts that go before `--remount-ro /`: parents, read-only paths, writable ones, pins. */
function extraMounts(box: AgentBox, host: SandboxHost): string[] {
  const town = resolve(box.townRoot);
  const unique = (paths: readonly string[]) => [...new Set(paths.map((path) => resolve(path)))];
  const writable = unique(box.writable);
  for (const path of [...writable, ...unique(box.readOnly)]) checkTownPath(path, town);
  for (const path of writable) {
    if (within(town, path)) throw new Error(`agent sandbox: writable ${path} would expose the town`);
  }
  // Paths under the read-only system binds are visible already; one holding the town never is.
  const readOnly = unique(box.readOnly).filter(
    (path) =>
      !host.system.some((entry) => entry.kind === 'bind' && within(path, entry.path)) && !within(town, path),
  );
  const pinned = readOnly.filter((path) => writable.some((dir) => within(path, dir)));
  const plain = readOnly.filter((path) => !pinned.includes(path));
  const args: string[] = [];
  // Missing parents would be made 0700 by bwrap, out of the sandbox uid's reach.
  for (const dir of ancestors([...writable, ...plain])) args.push('--perms', '0755', '--dir', dir);
  for (const path of plain) args.push('--ro-bind', path, path);
  for (const path of writable) args.push('--bind', path, path);
  for (const path of pinned) args.push('--ro-bind', path, path);
  return args;
}

/** `bwrap …` that runs `file args…` in the box; `host` as the sandbox detected it. */
export function agentSandboxArgv(
  box: AgentBox,
  file: string,
  args: readonly string[],
  host: SandboxHost,
  options: { infoFd?: number } = {},
): { file: string; args: string[] } {
  const spec = {
    worktree: box.worktree,
    townRoot: box.townRoot,
    network: false as const,
    env: box.env,
    allowEnv: box.allow,
    ...(box.ids === undefined ? {} : { ids: box.ids }),
    ...(box.egress === undefined ? {} : { egress: box.egress }),
    ...(box.contextRigs === undefined ? {} : { contextRigs: box.contextRigs }),
  };
  const base = buildSandboxArgv(spec, 'exec "$0" "$@"', {
    host,
    ...(options.infoFd === undefined ? {} : { infoFd: options.infoFd }),
  });
  const at = base.args.findIndex((arg, index) => arg === '--remount-ro' && base.args[index + 1] === '/');
  if (at < 0) throw new Error('the sandbox argv has no `--remount-ro /` to put our mounts before');
  return {
    file: base.file,
    args: [...base.args.slice(0, at), ...extraMounts(box, host), ...base.args.slice(at), file, ...args],
  };
}

function pidNamespace(pid: number | string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/**
 * Sends `signal` to every process in the pid namespace whose init (bwrap's `child-pid`, from
 * `--info-fd`) is `init`. bwrap starts the agent in a session of its own, so the caller's process
 * group does not reach it; the namespace does, whatever groups the agent's commands make.
 */
export function signalNamespace(init: number, signal: NodeJS.Signals): void {
  const namespace = pidNamespace(init);
  if (namespace === undefined) return;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (/^\d+$/.test(entry) && pidNamespace(entry) === namespace) signalQuietly(Number(entry), signal);
  }
}
