// Towns and rigs: finding the town a command runs in, `gt install`, town.yaml / rig.yaml schemas,
// rig add / list / remove / set / show, and the settings reference generated from the schemas.
// Rules: git only through `src/git/`; YAML only through zod schemas; rig changes are all-or-nothing
// (staged under `.gt/tmp/`, row inserted last; a setting is validated before the file is replaced).
export { locateTown, isTown, rigForPath } from './locate.js';
export type { LocateOptions } from './locate.js';
export { townPaths, rigPaths } from './paths.js';
export type { TownPaths, RigPaths } from './paths.js';
export { installTown } from './install.js';
export type { InstallOptions } from './install.js';
export { agentConfigOf, loadTownConfig, townConfigSchema, agentNames, mayorAgentNames } from './config.js';
export type { TownConfig, AgentName } from './config.js';
export { openTownStore, storeLocationOf } from './store-location.js';
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
export { changeRigSetting, rigSettings, settableRigKeys, fixedRigKeys } from './rig-settings.js';
export type { RigSettingChange, RigSettingsView, RigSettingJournal } from './rig-settings.js';
export { renderConfigReference, undocumentedKeys, configReferencePath } from './config-reference.js';
export type { RigView } from './rig-view.js';
