// roles/polecat: Polecats: slinging a bead to a worker, its worktree and session, the agent's environment and
// prompt, handoff, what blocks work from running, and the end of a session (done, failed, killed).
// Layer rule: may import comms, budget and gateway; never the Witness, Refinery, Convoy or Deacon.
// Only the names below are used outside this folder; everything else is internal.

export type {
  HoldingPolecat,
  IdlePolecat,
  PolecatGuard,
  PolecatKey,
  PolecatMove,
  PolecatRow,
  PolecatState,
  RawPolecatRow,
  ReviewPolecat,
  StoppedPolecat,
  WorkingPolecat,
} from './lifecycle.js';
export {
  getPolecat,
  listPolecats,
  movePolecat,
  parsePolecat,
  polecatByWorktree,
  polecatStates,
  polecatTransitions,
} from './lifecycle.js';
export type {
  EndedSession,
  RawSessionRow,
  RunningSession,
  SessionEnd,
  SessionEndMove,
  SessionEndOutcome,
  SessionRow,
  SessionStart,
  SessionState,
} from './session-lifecycle.js';
export {
  endSession,
  endSessionRow,
  getSession,
  parseSession,
  recordAgentRef,
  runningSessions,
  sessionOutcomes,
  sessionStates,
  sessionTransitions,
  startSession,
  touchSession,
} from './session-lifecycle.js';
export { stopAllSessions } from './active-sessions.js';
export { awaitsOverseer, gastownExtra, stepsOf } from './bead-steps.js';
export { isCapacityError } from './capacity.js';
export { commitPolecatWork, reviewLabel, reworkLabel } from './polecat-done.js';
export { polecatNamePattern } from './polecat-names.js';
export { sling } from './sling.js';
export type { SlingRequest, SlingResult } from './sling.js';
export { assertWorkCanRun, findExecutable, workBlockers } from './work-blockers.js';
export type { WorkBlocker } from './work-blockers.js';
