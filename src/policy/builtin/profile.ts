// The built-in profile, in order: the first rule that matches a part decides it. Denials come
// first, then the rules that ask, then what is allowed; whatever is left takes the policy default.
import type { Rule } from '../rule.js';
import { dynamicCode, pipeToShell, unparseable } from './code.js';
import {
  agentBookkeeping,
  commandWriteOutside,
  fileWriteOutside,
  outsideWorktree,
  systemRead,
  worktreeFiles,
} from './confinement.js';
import {
  disk,
  dockerPrivileged,
  forkBomb,
  modeOutside,
  power,
  privilege,
  rmOutside,
  unknownTarget,
} from './destructive.js';
import { devCommands, worktreeExecutable } from './dev.js';
import { gitDestructiveOutside, gitForcePush } from './git-rules.js';
import { networkDefault, networkPrivate, networkRegistries } from './hosts.js';
import { network } from './network.js';
import { townCommands } from './town-commands.js';
import { systemPackages, userInstalls } from './packages.js';
import { gitHooks, secrets, systemWrite, townConfig } from './protected.js';

export const builtinRules: readonly Rule[] = [
  unparseable,
  secrets,
  townConfig,
  gitHooks,
  systemWrite,
  privilege,
  forkBomb,
  disk,
  power,
  pipeToShell,
  systemPackages,
  gitForcePush,
  gitDestructiveOutside,
  rmOutside,
  modeOutside,
  dockerPrivileged,
  fileWriteOutside,
  unknownTarget,
  dynamicCode,
  userInstalls,
  networkPrivate,
  networkRegistries,
  networkDefault,
  network,
  commandWriteOutside,
  outsideWorktree,
  systemRead,
  worktreeFiles,
  agentBookkeeping,
  townCommands,
  worktreeExecutable,
  devCommands,
];
