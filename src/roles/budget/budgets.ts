// Budgets of a polecat session (policy.yaml `budgets.session`), of its bead across sessions
// (`budgets.bead`), of each convoy holding the bead (`budgets.convoy`, summed over the convoy's
// beads) and of the whole town today (town.yaml `budgets.tokens_per_day` / `usd_per_day`): wall
// time and tool calls, tokens and USD. A spent budget refuses the next tool call (rule `budget`)
// and ends the session; the caller commits what was done. Tokens and USD are re-checked after each
// usage report, from the `usage` table, so every process sees the same numbers.
import type { Db } from '../../db/open.js';
import type { Policy } from '../../policy/index.js';
import type { TownConfig } from '../../town/config.js';
import { convoysOf, usageSpend, type Spend, type SpendScope } from './costs.js';
import type { PriceTable } from './prices.js';
import { recordUsage, type UsageReport } from './usage.js';

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
  /**
   * Records a usage report (see usage.ts) and re-checks the token and USD budgets: returns why the
   * session must stop, when one is spent. From then on `check` refuses every call.
   */
  recordUsage(
    town: Parameters<typeof recordUsage>[0],
    report: UsageReport,
    prices?: PriceTable,
  ): string | undefined;
  /** Why a token or USD budget is spent, if one is (also before the first report: bead, convoy, town). */
  usageSpent(): string | undefined;
  /**
   * The same, counting `inFlightTokens` more: the tokens a model call reports while it streams,
   * before its usage is recorded (the egress gate cuts the call when this says so).
   */
  usageSpentWith(inFlightTokens: number): string | undefined;
}

export interface BudgetOptions {
  /** town.yaml `budgets` (daily caps for the whole town). */
  town?: TownConfig['budgets'];
  sessionId?: string;
  /** The clock for the town's day (tests). */
  now?: () => Date;
}

export function budgetState(
  db: Db,
  policy: Policy,
  beadId: string,
  startedMs: number,
  options: BudgetOptions = {},
): BudgetState {
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
  const checkUsage = (inFlightTokens = 0) =>
    usageOverBudget(
      db,
      policy,
      beadId,
      options.sessionId,
      options.town,
      (options.now ?? (() => new Date()))(),
      inFlightTokens,
    );
  let usageRefused = checkUsage();
  return {
    wallMs,
    get toolCalls() {
      return calls;
    },
    check() {
      if (wallSpent) return wallReason();
      if (usageRefused !== undefined) return usageRefused;
      if (callLimit !== undefined && calls >= callLimit) {
        refused = `tool-call budget spent (${calls} of ${callLimit} calls)`;
        return refused;
      }
      return undefined;
    },
    exceeded: () => (wallSpent ? wallReason() : (usageRefused ?? refused)),
    countToolCall(target, sessionId) {
      calls++;
      target.prepare('UPDATE sessions SET tool_calls = ? WHERE id = ?').run(calls, sessionId);
    },
    markWallExceeded() {
      wallSpent = true;
    },
    recordUsage(town, report, prices) {
      recordUsage(town, report, prices === undefined ? {} : { prices });
      usageRefused ??= checkUsage();
      return usageRefused;
    },
    usageSpent: () => usageRefused,
    usageSpentWith: (inFlightTokens) =>
      usageRefused ?? (inFlightTokens > 0 ? checkUsage(inFlightTokens) : undefined),
  };
}

/** The first token or USD budget that is spent: the session's, the bead's, a convoy's, the town's today. */
export function usageOverBudget(
  db: Db,
  policy: Policy,
  beadId: string,
  sessionId: string | undefined,
  town: TownConfig['budgets'] | undefined,
  now: Date,
  inFlightTokens = 0,
): string | undefined {
  const { session, bead, convoy } = policy.budgets;
  const day = now.toISOString().slice(0, 10);
  const checks: Array<[string, SpendScope, { tokens?: number | undefined; usd?: number | undefined }]> = [];
  if (sessionId !== undefined) checks.push(['session', { session: sessionId }, session]);
  checks.push(['bead', { bead: beadId }, bead]);
  if (convoy !== undefined && (convoy.tokens !== undefined || convoy.usd !== undefined)) {
    for (const id of convoysOf(db, beadId)) checks.push([`convoy ${id}`, { convoy: id }, convoy]);
  }
  if (town !== undefined)
    checks.push([`town daily (${day})`, { day }, { tokens: town.tokens_per_day, usd: town.usd_per_day }]);
  for (const [name, scope, limits] of checks) {
    if (limits.tokens === undefined && limits.usd === undefined) continue;
    const spend = usageSpend(db, scope);
    const over = overLimit(name, { ...spend, tokens: spend.tokens + inFlightTokens }, limits);
    if (over !== undefined) return over;
  }
  return undefined;
}

function overLimit(
  name: string,
  spend: Spend,
  limits: { tokens?: number | undefined; usd?: number | undefined },
): string | undefined {
  if (limits.tokens !== undefined && spend.tokens >= limits.tokens)
    return `${name} token budget spent (${spend.tokens} of ${limits.tokens} tokens)`;
  if (limits.usd !== undefined && spend.usd >= limits.usd)
    return `${name} USD budget spent ($${spend.usd.toFixed(4)} of $${limits.usd})`;
  return undefined;
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
