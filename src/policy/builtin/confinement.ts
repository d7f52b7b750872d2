// File tools stay in the worktree: writes outside are denied, reads outside ask (except read-only
// system files such as /usr/include or /etc/os-release). Commands that write or read outside ask.
// The session's private /tmp (strictly below it) is scratch space: reads and writes there pass.
import type { ResolvedEnv } from '../paths.js';
import { inWorktree, isNeutralDevice, within } from '../paths.js';
import { builtin } from '../rule.js';
import { known } from '../subject.js';
import { isPrivateTmp, isSystemReadable } from './places.js';

export const fileWriteOutside = builtin(
  'file-write-outside-worktree',
  'deny',
  'the write or edit tool on a path outside the worktree and the private /tmp (symlinks followed)',
  'file tools are confined to the worktree',
  (s, env) =>
    s.kind === 'file' && s.access === 'write' && !within(env.worktree, s.path) && !isPrivateTmp(s.path, env),
);

export const commandWriteOutside = builtin(
  'command-write-outside-worktree',
  'ask',
  'a command writing outside the worktree (`cp x ../`, `> ../file`, `tee ~/x`); /dev/null and files below /tmp are fine',
  'this writes outside the worktree',
  (s, env) =>
    s.kind === 'command' &&
    known(s.writes).some(
      (p) => !inWorktree(p, env) && !isNeutralDevice(p.path) && !isPrivateTmp(p.path, env),
    ),
);

export const outsideWorktree = builtin(
  'outside-worktree',
  'ask',
  'reading or searching outside the worktree, by a file tool or as a command’s operand (`cat ../x`, `ls /`, `cd /tmp`)',
  'this reaches outside the worktree',
  (s, env) => {
    if (s.kind === 'file')
      return (
        !within(env.worktree, s.path) &&
        !isSystemReadable(s.path) &&
        !inContext(s.path, env) &&
        !isPrivateTmp(s.path, env, true)
      );
    if (s.kind !== 'command') return false;
    return known(s.reads).some(
      (p) =>
        !inWorktree(p, env) &&
        !isSystemReadable(p.path) &&
        !inContext(p.path, env) &&
        !isPrivateTmp(p.path, env, true),
    );
  },
);

export const systemRead = builtin(
  'system-read',
  'allow',
  'the read or search tool on read-only system files: /usr, /lib, /bin, /etc/os-release, /proc/cpuinfo…',
  'toolchains and headers are public and read-only',
  (s, env) =>
    s.kind === 'file' && s.access === 'read' && (isSystemReadable(s.path) || inContext(s.path, env)),
);

export const worktreeFiles = builtin(
  'worktree-files',
  'allow',
  'read, write, edit or search inside the worktree',
  'the worktree is the agent’s own checkout',
  (s, env) => s.kind === 'file' && s.access !== 'other' && within(env.worktree, s.path),
);

export const privateTmp = builtin(
  'private-tmp',
  'allow',
  'read, write, edit or search below /tmp',
  'the sandbox gives each session its own /tmp, so scratch files there reach nobody else',
  (s, env) => s.kind === 'file' && s.access !== 'other' && isPrivateTmp(s.path, env, s.access === 'read'),
);

/** Inside a read-only context rig mounted for this session. */
function inContext(path: string, env: ResolvedEnv): boolean {
  return env.readOnly.some((root) => within(root, path));
}

/** Tools that touch nothing outside the agent's own head: its to-do list, plan mode, sub-agents
 * (whose own calls pass the policy one by one). */
const bookkeepingTools = new Set(['todowrite', 'todoread', 'exitplanmode', 'agent', 'task']);

export const agentBookkeeping = builtin(
  'agent-bookkeeping',
  'allow',
  'the agent’s own bookkeeping tools with no path or command: TodoWrite, ExitPlanMode, sub-agents',
  'these change nothing outside the agent; a sub-agent’s calls are judged one by one',
  (s) => s.kind === 'bare' && bookkeepingTools.has(s.call.tool),
);
