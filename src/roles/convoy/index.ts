// roles/convoy: Convoys: groups of beads launched together, dispatched as capacity allows, their progress and
// landing; molecules poured from formulas and their ends.
// Layer rule: may import every layer below; never the Deacon.
// Only the names below are used outside this folder; everything else is internal.

export type {
  Convoy,
  ConvoyMove,
  ConvoyState,
  LandedConvoy,
  LaunchedConvoy,
  OpenConvoy,
  RawConvoyRow,
} from './lifecycle.js';
export {
  convoyStates,
  convoyTransitions,
  findConvoy,
  insertConvoy,
  listConvoys,
  moveConvoy,
  parseConvoy,
  requireConvoy,
} from './lifecycle.js';
export { dispatchConvoy, markConvoyLaunched } from './convoy-dispatch.js';
export { beadState, convoyBeadStates, convoyProgress, landConvoyIfDone } from './convoy-progress.js';
export type { ConvoyBeadState, ConvoyBeadView, ConvoyProgress } from './convoy-progress.js';
export { convoyMembers, createConvoy } from './convoy.js';
export { approveMoleculeStep } from './molecule-approve.js';
