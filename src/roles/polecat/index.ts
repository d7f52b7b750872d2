// The polecat subsystem's public face. For now it holds the two lifecycles a polecat owns — the
// polecat itself (idle → working → review | stopped → idle) and its agent sessions (running →
// ended) — with their transition tables, per-state row types and the one mover of each. The rest
// of the polecat's files join this folder when src/roles is split by subsystem.
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
