// What one sandboxed step may see, and the checks every spec passes before it reaches bwrap: absolute
// paths, a worktree that does not contain the town (or `/`), and context rig names that are plain
// path segments. Also where context rigs appear inside the sandbox.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { invalidInput } from '../errors.js';

export interface SandboxIds {
  uid: number;
  gid: number;
}

export interface ContextRig {
  /** Shown inside as `<dirname(worktree)>/.context/<name>`; a plain name, no slashes. */
  name: string;
  /** The rig's read-only checkout outside the sandbox. */
  path: string;
}

/** The session's egress gate (src/sandbox/egress): the only way out of the sandbox's own network. */
export interface SandboxEgress {
  /** The gate's unix socket on the host (`startEgressGate(…).socket`). */
  socket: string;
  /** The built bridge script on the host (`findBridgeScript()`). */
  bridge: string;
  /** The node executable that runs the bridge. */
  node: string;
}

export interface SandboxSpec {
  /** Writable inside, at the same absolute path as outside; also the step's cwd. Pass a real path. */
  worktree: string;
  /** Hidden inside, all of it, except the worktree and the context rigs. */
  townRoot: string;
  /**
   * Always `false` when given: every step has its own network namespace with a private loopback
   * only. The host's network is never shared (a step could reach the host's 127.0.0.1 with it);
   * the way out is `egress`.
   */
  network?: false;
  /** Connects the private loopback to the session's egress gate (the proxy variables point at it). */
  egress?: SandboxEgress;
  /** Extra variables for the step; names that look secret are dropped unless in `allowEnv`. */
  env?: Record<string, string>;
  /** Variable names let through even though they look secret (exact names). */
  allowEnv?: string[];
  contextRigs?: ContextRig[];
  /** The unprivileged uid/gid steps run as when we are root; ignored otherwise. */
  ids?: SandboxIds;
}

/** The town's sandbox user when none is configured; it need not exist in /etc/passwd. */
export const defaultSandboxIds: SandboxIds = { uid: 61000, gid: 61000 };

/** System paths a worktree may neither be inside of nor contain. */
const systemPaths = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/dev'];

const contextNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** True when `inner` is `outer` or lies below it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Where a context rig appears inside the sandbox: a sibling `.context/` of the worktree. */
export function contextMountPath(worktree: string, name: string): string {
  return join(dirname(resolve(worktree)), '.context', name);
}

/** Each context rig with the path the step sees it at, so the caller can tell the agent. */
export function contextMounts(spec: SandboxSpec): { name: string; path: string; source: string }[] {
  return (spec.contextRigs ?? []).map((rig) => ({
    name: rig.name,
    path: contextMountPath(spec.worktree, rig.name),
    source: resolve(rig.path),
  }));
}

function checkAbsolute(what: string, path: string): void {
  if (!isAbsolute(path)) throw invalidInput(`sandbox ${what} must be an absolute path: ${path}`, { path });
}

function checkIds(ids: SandboxIds): void {
  for (const value of [ids.uid, ids.gid]) {
    if (!Number.isInteger(value) || value <= 0 || value > 0xfffffffe) {
      throw invalidInput(`sandbox uid/gid must be a positive integer other than root: ${value}`);
    }
  }
}

/** Throws `invalid_input` for a spec that would expose more than it means to. */
export function checkSpec(spec: SandboxSpec): void {
  checkAbsolute('worktree', spec.worktree);
  checkAbsolute('town root', spec.townRoot);
  const worktree = resolve(spec.worktree);
  if (worktree === '/' || isWithin(resolve(spec.townRoot), worktree)) {
    throw invalidInput(`sandbox worktree ${worktree} would expose the town at ${spec.townRoot}`, {
      path: worktree,
    });
  }
  if (systemPaths.some((path) => isWithin(worktree, path) || isWithin(path, worktree))) {
    throw invalidInput(`sandbox worktree ${worktree} overlaps a system directory`, { path: worktree });
  }
  const seen = new Set<string>();
  for (const rig of spec.contextRigs ?? []) {
    if (!contextNamePattern.test(rig.name) || seen.has(rig.name)) {
      throw invalidInput(`invalid or repeated context rig name "${rig.name}"`, { rig: rig.name });
    }
    seen.add(rig.name);
    checkAbsolute(`context rig "${rig.name}"`, rig.path);
    if (resolve(rig.path) === '/' || isWithin(resolve(spec.townRoot), resolve(rig.path))) {
      throw invalidInput(`context rig "${rig.name}" would expose the town`, { rig: rig.name });
    }
  }
  if (spec.ids) checkIds(spec.ids);
  checkNetwork(spec);
}

function checkNetwork(spec: SandboxSpec): void {
  // A caller outside the type system may still ask for the host's network: refuse, do not ignore.
  if ((spec as { network?: unknown }).network === true) {
    throw invalidInput(
      'sandbox: the host network is never shared with a step; give it an egress gate (spec.egress) instead',
    );
  }
  if (spec.egress === undefined) return;
  checkAbsolute('egress socket', spec.egress.socket);
  checkAbsolute('egress bridge', spec.egress.bridge);
  checkAbsolute('egress node', spec.egress.node);
}
