// Towns and rigs: finding the town a command runs in, `gt install`, town.yaml / rig.yaml schemas,
// and rig add / list / remove. Rules: git only through `src/git/`; YAML only through zod schemas;
// rig changes are all-or-nothing (staged under `.gt/tmp/`, row inserted last).
export { locateTown, isTown, rigForPath } from './locate.js';
export type { LocateOptions } from './locate.js';
export { townPaths, rigPaths } from './paths.js';
export type { TownPaths, RigPaths } from './paths.js';
export { installTown } from './install.js';
export type { InstallOptions } from './install.js';
export { agentConfigOf, loadTownConfig, townConfigSchema, agentNames } from './config.js';
export type { TownConfig, AgentName } from './config.js';
export { loadRigConfig, rigConfigSchema, mergeModes } from './rig-config.js';
export type { RigConfig, MergeMode } from './rig-config.js';
export {
  checkRigName,
  derivePrefix,
  rigNamePattern,
  rigPrefixPattern,
  reservedRigNames,
} from './rig-names.js';
export { listRigs, getRig } from './rig-store.js';
export type { RigRow, RigJournal } from './rig-store.js';
export { addRig } from './rig-add.js';
export type { AddRigInput } from './rig-add.js';
export { removeRig } from './rig-remove.js';
export { rigViews } from './rig-view.js';
export type { RigView } from './rig-view.js';
