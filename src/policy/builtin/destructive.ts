// Commands that take the machine or other people's files with them: privilege escalation, fork
// bombs, disk and power tools, deletions and mode changes outside the worktree, privileged
// containers — and, one step milder, destructive commands whose targets are only known at run time.
import { holdsWorktree, inWorktree } from '../paths.js';
import { builtin } from '../rule.js';
import type { CommandSubject, Subject } from '../subject.js';
import { commandArgs, known } from '../subject.js';
import { isPrivateTmp, isRawDevice } from './places.js';
import { gitPlace, isGitDestructive } from './git-rules.js';

const privileged = new Set(['sudo', 'su', 'doas', 'pkexec', 'run0', 'runuser']);
const diskTools = new Set([
  'mke2fs',
  'mkswap',
  'fdisk',
  'sfdisk',
  'cfdisk',
  'parted',
  'gdisk',
  'sgdisk',
  'wipefs',
  'blkdiscard',
]);
const powerTools = new Set(['shutdown', 'reboot', 'halt', 'poweroff', 'killall5']);
const destructiveNames = new Set([
  'rm',
  'rmdir',
  'unlink',
  'shred',
  'mv',
  'chmod',
  'chown',
  'chgrp',
  'chattr',
  'truncate',
]);

const command = (s: Subject): CommandSubject | undefined => (s.kind === 'command' ? s : undefined);

export const privilege = builtin(
  'privilege',
  'deny',
  'sudo, su, doas, pkexec, run0, runuser',
  'agents never run as another user or as root',
  (s) => s.kind === 'command' && privileged.has(s.name),
);

export const forkBomb = builtin(
  'fork-bomb',
  'deny',
  'a shell function that calls itself (`:(){ :|:& };:`)',
  'a self-recursive shell function is a fork bomb',
  (s) => s.kind === 'command' && s.part.inFunction !== undefined && s.name === s.part.inFunction,
);

export const disk = builtin(
  'disk',
  'deny',
  'mkfs*, fdisk, parted, wipefs…, or writing to a device such as `dd of=/dev/sda`',
  'formatting or overwriting disks destroys the machine’s data',
  (s) =>
    s.kind === 'command' &&
    (/^mkfs(\..+)?$/.test(s.name) ||
      diskTools.has(s.name) ||
      known(s.writes).some((p) => isRawDevice(p.path))),
);

export const power = builtin(
  'power',
  'deny',
  'shutdown, reboot, halt, poweroff, init 0/6, systemctl poweroff/reboot, kill -1',
  'agents do not stop the machine or every process on it',
  (s) => {
    const c = command(s);
    if (!c) return false;
    const args = commandArgs(c);
    if (powerTools.has(c.name)) return true;
    if (c.name === 'init' || c.name === 'telinit') return args[0] === '0' || args[0] === '6';
    if (c.name === 'systemctl')
      return args.some((a) => ['poweroff', 'reboot', 'halt', 'kexec', 'suspend', 'hibernate'].includes(a));
    return (c.name === 'kill' || c.name === 'pkill') && args.length > 1 && args.at(-1) === '-1';
  },
);

export const rmOutside = builtin(
  'rm-outside-worktree',
  'deny',
  'rm, rmdir, shred, mv or find -delete of a path outside the worktree (files below the private /tmp aside), or of the worktree itself (`rm -rf /`, `~`, `/*`, `..`)',
  'deleting outside the worktree destroys files that are not the agent’s',
  (s, env) =>
    s.kind === 'command' &&
    known(s.deletes).some(
      (p) => (!inWorktree(p, env) && !isPrivateTmp(p.path, env)) || holdsWorktree(p, env),
    ),
);

export const modeOutside = builtin(
  'chmod-outside-worktree',
  'deny',
  'chmod, chown, chgrp or chattr of a path outside the worktree',
  'changing owners and modes outside the worktree is not the agent’s business',
  (s, env) =>
    s.kind === 'command' && known(s.modes).some((p) => !inWorktree(p, env) && !isPrivateTmp(p.path, env)),
);

export const dockerPrivileged = builtin(
  'docker-privileged',
  'deny',
  'docker/podman run or create with --privileged, --pid=host, --cap-add ALL/SYS_ADMIN, or mounting / or the docker socket',
  'a privileged container is root on the host',
  (s) => {
    const c = command(s);
    if (!c || !['docker', 'podman', 'nerdctl'].includes(c.name)) return false;
    const args = commandArgs(c);
    if (!['run', 'create'].includes(args.find((a) => !a.startsWith('-')) ?? '')) return false;
    return args.some((arg, i) => {
      const next = args[i + 1] ?? '';
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : next;
      if (arg === '--privileged' || arg === '--privileged=true') return true;
      if (arg.startsWith('--pid') || arg.startsWith('--userns')) return value === 'host';
      if (arg.startsWith('--cap-add')) return /^(ALL|SYS_ADMIN)$/i.test(value);
      if (arg === '-v' || arg.startsWith('--volume') || arg.startsWith('--mount'))
        return /^\/:|(^|[=,])source=\/(,|$)|docker\.sock/.test(value);
      return false;
    });
  },
);

export const unknownTarget = builtin(
  'unknown-target',
  'ask',
  'a write, delete or mode change whose path is only known at run time ($VAR, $(…), xargs, an unknown cd), or git reset --hard / clean -f in such a place',
  'the target cannot be checked before the command runs',
  (s, env) => {
    const c = command(s);
    if (!c) return false;
    if ([...c.writes, ...c.deletes, ...c.modes].some((p) => p === undefined)) return true;
    if (c.part.argsFromInput && destructiveNames.has(c.name)) return true;
    return isGitDestructive(c) && gitPlace(c, env) === undefined;
  },
);
