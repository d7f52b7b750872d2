// The sandbox: runs an agent's shell steps inside bubblewrap. The job: writable worktree and private
// /tmp; read-only /usr, /etc (secrets masked) and friends; home directories, other worktrees and the
// rest of the town (database, keys) invisible; no network but through the egress gate; the step alone
// in its own pid, ipc, uts and cgroup namespaces. Rules:
// - As root, bubblewrap alone is escapable, so the step drops to the town's sandbox uid (default
//   61000) with `setpriv`, with no capabilities and no_new_privs. As anyone else bwrap runs
//   unprivileged as that user, in a user namespace that may not nest another.
// - The worktree is seen at its own absolute path and is the cwd; context rigs are read-only at
//   `<dirname(worktree)>/.context/<name>` (`contextMounts` tells the caller where).
// - As root the worktree belongs to the sandbox uid (`prepareWorktreeForSandbox`, run before every
//   step); our git on it takes `sandboxGitArgs(worktree)`.
// - The environment is explicit: PATH, HOME=/tmp, TMPDIR, LANG, TERM and the caller's variables,
//   minus secret-looking names (KEY, TOKEN, SECRET, PASSWORD...) not listed in `allowEnv`.
// - Argument vectors only; the step's command is one argv element to `/bin/sh -c`.
// - Every step leads its own process group; a timeout or abort kills all it started.
// - No sandbox, no steps: `pickRunner` refuses unless the policy says `sandbox: none`.
// - The network: a private loopback only; `spec.egress` connects it to the session's egress gate
//   (egress/), which decides, records and forwards every connection.
export { buildSandboxArgv, bwrapFile, setprivFile } from './argv.js';
export type { BuildSandboxOptions, SandboxArgv } from './argv.js';
export { sandboxAvailability, probeSandbox, installBubblewrap } from './availability.js';
export type { SandboxAvailability } from './availability.js';
export { scrubEnv, stepEnv, looksSecret, baseSandboxEnv, secretNameParts, sandboxPath } from './env.js';
export { detectSandboxHost } from './host.js';
export type { SandboxHost, SystemEntry, MaskEntry } from './host.js';
export { prepareWorktreeForSandbox, sandboxGitArgs } from './ownership.js';
export { runSandboxed, sandboxRunner, directRunner, pickRunner, SandboxMode } from './runners.js';
export type { SandboxRunner, RunnerChoice } from './runners.js';
export { checkSpec, contextMountPath, contextMounts, defaultSandboxIds } from './spec.js';
export type { SandboxSpec, SandboxIds, ContextRig, SandboxEgress } from './spec.js';
export {
  startEgressGate,
  decideOncePerDestination,
  egressInside,
  egressUrl,
  egressEnv,
  findBridgeScript,
  sessionRoutePrefix,
  networkConnectKind,
  modelRequestKind,
} from './egress/index.js';
export type {
  EgressDecide,
  EgressDecision,
  EgressGate,
  EgressGateOptions,
  EgressRequest,
  ModelEndpoint,
} from './egress/index.js';
export type { RunOptions, StepResult, StepProcess } from './supervise.js';
