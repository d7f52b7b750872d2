// roles/witness: The Witness: checks a polecat's claim of done (runs the rig's checks on its branch), nudges
// stalled sessions, sends work back for rework, and hands verified branches to the merge queue.
// Layer rule: may import the layers below (comms, budget, gateway, polecat); the Refinery's queue arrives
// through the MergeQueue interface, never by import.
// Only the names below are used outside this folder; everything else is internal.

export { escalatedLabel } from './witness-actions.js';
export { WitnessEvent } from './witness-history.js';
export type { MergeQueue, MergeRequestInput } from './witness-queue.js';
export { Witness } from './witness.js';
export type { WitnessAction } from './witness.js';
