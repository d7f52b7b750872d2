// Claude Code inside our bubblewrap sandbox, so even the Bash calls the policy allowed cannot touch
// the rest of the machine: the worktree is writable, Claude's own state directory too, the claude
// executable, node and the gt CLI (for the hooks) are read-only, the town (database, keys, other
// worktrees) and every home directory are hidden. The network is the sandbox's own: its only way
// out is the session's egress gate (the model route, the hooks, and the hosts the policy allows),
// reached through the bridge on the sandbox's private 127.0.0.1. As root, everything runs as the town's
// sandbox uid. The sandbox's argv builder gives us the base; our extra mounts go in before it
// remounts `/` read-only, and claude's argv follows a fixed `exec "$0" "$@"`.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { buildSandboxArgv } from '../../sandbox/index.js';
import type { ContextRig, SandboxEgress, SandboxHost } from '../../sandbox/index.js';

export interface ClaudeSandbox {
  worktree: string;
  townRoot: string;
  /** Writable: CLAUDE_CONFIG_DIR and HOME. */
  stateDir: string;
  /** Read-only, each at its own path. */
  readOnly: string[];
  egress: SandboxEgress;
  env: Record<string, string>;
  allow: string[];
  /** Other rigs' checkouts, read-only at `<dirname(worktree)>/.context/<name>` (as for every step). */
  contextRigs?: ContextRig[];
}

function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function isWithinSystem(path: string, host: SandboxHost): boolean {
  return host.system.some((entry) => entry.kind === 'bind' && within(path, entry.path));
}

function ancestors(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) dirs.add(dir);
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length);
}

/** `bwrap …` that runs `file args…` under the box; `host` as the sandbox detected it. */
export function sandboxedArgv(
  box: ClaudeSandbox,
  file: string,
  args: readonly string[],
  host: SandboxHost,
): { file: string; args: string[] } {
  const spec = {
    worktree: box.worktree,
    townRoot: box.townRoot,
    egress: box.egress,
    env: box.env,
    allowEnv: box.allow,
    ...(box.contextRigs === undefined ? {} : { contextRigs: box.contextRigs }),
  };
  const base = buildSandboxArgv(spec, 'exec "$0" "$@"', { host });
  // Paths under the read-only system binds are visible already; one holding the town never is.
  const town = resolve(box.townRoot);
  const readOnly = [...new Set(box.readOnly.map((path) => resolve(path)))].filter(
    (path) => !isWithinSystem(path, host) && !within(town, path),
  );
  const state = resolve(box.stateDir);
  const extra: string[] = [];
  // Missing parents would be made 0700 by bwrap, out of the sandbox uid's reach.
  for (const dir of ancestors([state, ...readOnly])) extra.push('--perms', '0755', '--dir', dir);
  for (const path of readOnly) extra.push('--ro-bind', path, path);
  extra.push('--bind', state, state);
  const at = base.args.findIndex((arg, index) => arg === '--remount-ro' && base.args[index + 1] === '/');
  if (at < 0) throw new Error('the sandbox argv has no `--remount-ro /` to put our mounts before');
  return {
    file: base.file,
    args: [...base.args.slice(0, at), ...extra, ...base.args.slice(at), file, ...args],
  };
}
