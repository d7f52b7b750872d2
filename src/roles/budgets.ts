// Budgets of a polecat session (policy.yaml `budgets.session`) and of its bead across sessions
// (`budgets.bead`): wall time and tool calls here; tokens and money arrive with the model runtimes.
// A spent budget refuses the next call and ends the session; the caller commits what was done.
import type { Db } from '../db/open.js';
import type { Policy } from '../policy/index.js';

export interface BudgetState {
  /** Milliseconds this session may run, if limited. */
  readonly wallMs: number | undefined;
  readonly toolCalls: number;
  /** Checked before each call: why it must be refused, if it must. */
  check(): string | undefined;
  /** Why the session was stopped for budget, if it was. */
  exceeded(): string | undefined;
  countToolCall(db: Db, sessionId: string): void;
  markWallExceeded(): void;
}

export function budgetState(db: Db, policy: Policy, beadId: string, startedMs: number): BudgetState {
  const previous = db
    .prepare<[string], { calls: number | null; ms: number | null }>(
      `SELECT sum(tool_calls) AS calls,
              sum((julianday(coalesce(ended_at, heartbeat_at)) - julianday(started_at)) * 86400000) AS ms
         FROM sessions WHERE bead_id = ?`,
    )
    .get(beadId);
  const usedCalls = previous?.calls ?? 0;
  const usedMs = previous?.ms ?? 0;
  const { bead, session } = policy.budgets;
  const callLimit = min(
    session.tool_calls,
    bead.tool_calls === undefined ? undefined : bead.tool_calls - usedCalls,
  );
  const wallMs = min(
    session.wall_seconds === undefined ? undefined : session.wall_seconds * 1000,
    bead.wall_seconds === undefined ? undefined : Math.max(0, bead.wall_seconds * 1000 - usedMs),
  );
  let calls = 0;
  let refused: string | undefined;
  let wallSpent = false;
  const wallReason = () => `wall-time budget spent (${Math.round((Date.now() - startedMs) / 1000)} s)`;
  return {
    wallMs,
    get toolCalls() {
      return calls;
    },
    check() {
      if (wallSpent) return wallReason();
      if (callLimit !== undefined && calls >= callLimit) {
        refused = `tool-call budget spent (${calls} of ${callLimit} calls)`;
        return refused;
      }
      return undefined;
    },
    exceeded: () => (wallSpent ? wallReason() : refused),
    countToolCall(target, sessionId) {
      calls++;
      target.prepare('UPDATE sessions SET tool_calls = ? WHERE id = ?').run(calls, sessionId);
    },
    markWallExceeded() {
      wallSpent = true;
    },
  };
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
