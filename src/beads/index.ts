// Beads: the town's work items, compatible with classic beads (`bd`). Rules: no terminal, HTTP or
// process I/O here; all SQL stays behind `BeadStore`; every mutation is one transaction that hands
// its change to the recorder (the ledger).
export type { Bead, Comment, Dependency, Extra } from './model.js';
export {
  Status,
  statuses,
  issueTypes,
  dependencyTypes,
  blockingDependencyTypes,
  hqPrefix,
  defaultPriority,
} from './model.js';
export type {
  BeadStore,
  BeadPatch,
  NewBead,
  ListFilter,
  ReadyFilter,
  SortPolicy,
  BlockedBead,
  DependencyView,
  TreeNode,
  Stats,
  ImportResult,
  ChangeContext,
  ClaimOptions,
} from './store.js';
export { sortPolicies } from './store.js';
export type { BeadChange, ChangeKind, ChangeRecorder } from './changes.js';
export { SqliteBeadStore } from './sqlite/sqlite-store.js';
export type { SqliteBeadStoreOptions } from './sqlite/sqlite-store.js';
export { parseJsonl, toJsonl, beadToJson, beadFromJson } from './jsonl.js';
export { isValidBeadId, isValidPrefix, prefixOf, hashLengthFor } from './ids.js';
export { fieldSchemas } from './validate.js';
