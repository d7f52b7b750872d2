// The convoy subsystem's public face. For now it holds the convoy's lifecycle (open → launched →
// landed) with its transition table, per-state row types and its one mover. The convoy's commands,
// dispatcher and progress join this folder when src/roles is split by subsystem.
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
