// Builds the bwrap argument vector for one step. Pure given the host facts: every path and value is
// its own argv element, and the step's command is a single element handed to `/bin/sh -c`.
import { lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { invalidInput } from '../errors.js';
import { egressEnv, egressInside } from './egress/inside.js';
import { stepEnv } from './env.js';
import { detectSandboxHost } from './host.js';
import type { SandboxHost } from './host.js';
import { checkSpec, contextMounts, defaultSandboxIds, isWithin } from './spec.js';
import type { SandboxSpec } from './spec.js';

export interface SandboxArgv {
  file: string;
  args: string[];
}

export interface BuildSandboxOptions {
  /** Facts about this machine; read from disk when absent. */
  host?: SandboxHost;
  /** Ask bwrap to report its namespace's init pid as JSON on this descriptor (`--info-fd`). */
  infoFd?: number;
}

export const bwrapFile = 'bwrap';
export const setprivFile = '/usr/bin/setpriv';

function namespaceArgs(spec: SandboxSpec, host: SandboxHost): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-pid', '--unshare-ipc'];
  args.push('--unshare-uts', '--hostname', 'gastown', '--unshare-cgroup-try');
  // Always a network namespace of its own: a private loopback (and the egress bridge on it) only.
  args.push('--unshare-net');
  // Unprivileged bwrap is in a user namespace already; forbid nesting more. As root, setpriv does
  // the dropping instead and a user namespace would only get in its way.
  if (!host.runningAsRoot) args.push('--unshare-user', '--disable-userns');
  return args;
}

/** Every proper ancestor of `paths` below `/`, shallowest first, each once (existing ones are left alone). */
function ancestors(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) dirs.add(dir);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length);
}

/**
 * The worktree's `.git` bound read-only onto itself, so no step can rewrite, rename over or delete
 * it (a mount point answers EBUSY): the town's git never follows it, but a step must not even try
 * to point it elsewhere. Absent (not a git worktree, or already removed): nothing is mounted, since
 * a mount point would leave an empty `.git` behind on the host; a `.git` a step creates is then
 * found by the host's check before any git runs (src/roles/polecat/work-tree-guard.ts). A symlink is
 * refused: bwrap would mount on wherever it points.
 */
function gitPointerArgs(worktree: string): string[] {
  const pointer = join(worktree, '.git');
  const stat = lstatSync(pointer, { throwIfNoEntry: false });
  if (stat === undefined) return [];
  if (stat.isSymbolicLink()) {
    throw invalidInput(`the worktree's .git is a symbolic link; refusing to run a step in ${worktree}`, {
      path: pointer,
    });
  }
  return ['--ro-bind', pointer, pointer];
}

function filesystemArgs(spec: SandboxSpec, host: SandboxHost): string[] {
  const args: string[] = [];
  const bound: string[] = [];
  for (const entry of host.system) {
    if (entry.kind === 'bind') {
      args.push('--ro-bind', entry.path, entry.path);
      bound.push(entry.path);
    } else {
      args.push('--symlink', entry.target, entry.path);
    }
  }
  for (const mask of host.masks) {
    if (!bound.some((path) => isWithin(mask.path, path))) continue;
    if (mask.kind === 'file') args.push('--ro-bind', '/dev/null', mask.path);
    else args.push('--tmpfs', mask.path, '--remount-ro', mask.path);
  }
  args.push('--dev', '/dev', '--proc', '/proc', '--perms', '01777', '--tmpfs', '/tmp');
  const townRoot = resolve(spec.townRoot);
  if (bound.some((path) => isWithin(townRoot, path))) args.push('--tmpfs', townRoot);
  const worktree = resolve(spec.worktree);
  const mounts = contextMounts(spec);
  // bwrap makes missing parents of a mount point 0700 root-owned, which would stop the sandbox uid
  // from reaching the worktree by its absolute path; make them traversable first.
  for (const dir of ancestors([worktree, ...mounts.map((mount) => mount.path)])) {
    args.push('--perms', '0755', '--dir', dir);
  }
  args.push('--bind', worktree, worktree, ...gitPointerArgs(worktree));
  for (const mount of mounts) args.push('--ro-bind', mount.source, mount.path);
  args.push(...egressMounts(spec));
  args.push('--remount-ro', '/', '--chdir', worktree);
  return args;
}

/** The gate's socket, the bridge and its node, read-only at fixed paths under /run/gastown. */
function egressMounts(spec: SandboxSpec): string[] {
  if (spec.egress === undefined) return [];
  const { socket, bridge, node } = spec.egress;
  return [
    ...['/run', egressInside.dir].flatMap((dir) => ['--perms', '0755', '--dir', dir]),
    ...['--ro-bind', resolve(socket), egressInside.socket],
    ...['--ro-bind', resolve(bridge), egressInside.bridge],
    ...['--ro-bind', resolve(node), egressInside.node],
  ];
}

function envArgs(spec: SandboxSpec): string[] {
  const args = ['--clearenv'];
  const egress = spec.egress === undefined ? {} : egressEnv();
  for (const [name, value] of Object.entries({ ...stepEnv(spec.env, spec.allowEnv), ...egress })) {
    args.push('--setenv', name, value);
  }
  return args;
}

function commandArgs(spec: SandboxSpec, host: SandboxHost, command: string): string[] {
  // With a gate, the bridge comes first: it opens 127.0.0.1:<port> inside, then runs the shell.
  const bridge =
    spec.egress === undefined
      ? []
      : [egressInside.node, egressInside.bridge, String(egressInside.port), egressInside.socket];
  const shell = [...bridge, '/bin/sh', '-c', command];
  if (!host.runningAsRoot) return shell;
  const { uid, gid } = spec.ids ?? defaultSandboxIds;
  return [
    setprivFile,
    `--reuid=${uid}`,
    `--regid=${gid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
    ...shell,
  ];
}

/** The `bwrap` invocation that runs `command` under `spec`; throws `invalid_input` for a bad spec. */
export function buildSandboxArgv(
  spec: SandboxSpec,
  command: string,
  options: BuildSandboxOptions = {},
): SandboxArgv {
  checkSpec(spec);
  const host = options.host ?? detectSandboxHost();
  const info = options.infoFd === undefined ? [] : ['--info-fd', String(options.infoFd)];
  return {
    file: bwrapFile,
    args: [
      ...namespaceArgs(spec, host),
      ...filesystemArgs(spec, host),
      ...envArgs(spec),
      ...info,
      '--',
      ...commandArgs(spec, host, command),
    ],
  };
}
