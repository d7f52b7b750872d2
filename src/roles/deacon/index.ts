// roles/deacon: The Deacon: patrols the town — expires leases, reaps dead sessions, raises work-blocked
// escalations.
// Layer rule: the top role layer: may import every other role.
// Only the names below are used outside this folder; everything else is internal.

export { openBlockedEscalations, reconcileBlockedEscalations } from './blocked-escalations.js';
export { Deacon } from './deacon.js';
