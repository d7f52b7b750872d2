// The built-in profile, in order: the first rule that matches a part decides it. Denials come
// first, then the rules that ask, then what is allowed; whatever is left takes the policy default.
import type { Rule } from '../rule.js';
import { dynamicCode, pipeToShell, unparseable } from './code.js';
import {
  agentBookkeeping,
  commandWriteOutside,
  fileWriteOutside,
  outsideWorktree,
  privateTmp,
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
import { toolRunsCommands } from './tool-code.js';
import { remoteCode } from './remote-code.js';
import { systemPackages, userInstalls } from './packages.js';
import { gitDirWrite, gitHooks, secrets, systemWrite, townConfig } from './protected.js';
import { gitCodeEnv, gitConfigCode, gitOutside, gitRemoteProgram } from './git-code.js';

export const builtinRules: readonly Rule[] = [
  unparseable,
  secrets,
  townConfig,
  gitHooks,
  gitDirWrite,
  gitConfigCode,
  gitCodeEnv,
  gitRemoteProgram,
  systemWrite,
  privilege,
  forkBomb,
  disk,
  power,
  pipeToShell,
  systemPackages,
  gitForcePush,
  gitDestructiveOutside,
  gitOutside,
  rmOutside,
  modeOutside,
  dockerPrivileged,
  fileWriteOutside,
  unknownTarget,
  dynamicCode,
  toolRunsCommands,
  userInstalls,
  remoteCode,
  networkPrivate,
  networkRegistries,
  networkDefault,
  network,
  commandWriteOutside,
  outsideWorktree,
  privateTmp,
  systemRead,
  worktreeFiles,
  privateTmp,
  agentBookkeeping,
  townCommands,
  worktreeExecutable,
  devCommands,
];
