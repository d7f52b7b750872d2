// What the town spent, from the `usage` table: grouped for `gt costs` and the dashboard
// (costsBy, costTotals), and summed for one budget (usageSpend). Pure SQL and types.
// Tokens here are every token a model call reported (uncached input, cache reads and writes, output).
import type { Db } from '../../db/open.js';

export const costGroupings = ['bead', 'convoy', 'rig', 'agent', 'day', 'model'] as const;
export type CostGrouping = (typeof costGroupings)[number];

export interface CostTotals {
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  /** All four token counts together. */
  tokens: number;
  cost_usd: number;
  /** Distinct sessions that reported usage. */
  sessions: number;
  /** Usage reports of models without a price (counted at $0). */
  unpriced: number;
}

export interface CostRow extends CostTotals {
  /** The bead, convoy, rig, agent, UTC day or model; null when the usage has none (no convoy…). */
  key: string | null;
}

const keyOf: Record<CostGrouping, string> = {
  bead: 'u.bead_id',
  convoy: 'cb.convoy_id',
  rig: 'u.rig',
  agent: 'u.agent',
  day: 'u.day',
  model: 'u.model',
};

const sums = `coalesce(sum(u.input_tokens), 0) AS input_tokens,
  coalesce(sum(u.cache_read_tokens), 0) AS cache_read_tokens,
  coalesce(sum(u.cache_write_tokens), 0) AS cache_write_tokens,
  coalesce(sum(u.output_tokens), 0) AS output_tokens,
  coalesce(sum(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens + u.output_tokens), 0) AS tokens,
  coalesce(sum(u.cost_usd), 0) AS cost_usd,
  count(DISTINCT u.session_id) AS sessions,
  coalesce(sum(u.unpriced), 0) AS unpriced`;

export function isCostGrouping(value: string): value is CostGrouping {
  return (costGroupings as readonly string[]).includes(value);
}

/**
 * Spending grouped by `by`, since `since` (a UTC day `YYYY-MM-DD` or an ISO instant, inclusive).
 * Days come in order; other groupings most expensive first. A bead in two convoys counts in both,
 * so add rows up with costTotals, not by hand.
 */
export function costsBy(db: Db, by: CostGrouping, since?: string): CostRow[] {
  const join = by === 'convoy' ? 'LEFT JOIN convoy_beads cb ON cb.bead_id = u.bead_id' : '';
  const order = by === 'day' ? 'key' : 'cost_usd DESC, tokens DESC, key';
  const rows = db
    .prepare<unknown[], CostRow>(
      `SELECT ${keyOf[by]} AS key, ${sums} FROM usage u ${join}
        ${since === undefined ? '' : 'WHERE u.at >= ?'}
        GROUP BY ${keyOf[by]} ORDER BY ${order}`,
    )
    .all(...(since === undefined ? [] : [since]));
  return rows.map(tidy);
}

export function costTotals(db: Db, since?: string): CostTotals {
  const row = db
    .prepare<unknown[], CostTotals>(
      `SELECT ${sums} FROM usage u ${since === undefined ? '' : 'WHERE u.at >= ?'}`,
    )
    .get(...(since === undefined ? [] : [since]));
  return tidy(row ?? emptyTotals());
}

/** What one budget's scope has spent so far. */
export type SpendScope =
  | { session: string }
  | { bead: string }
  | { convoy: string }
  /** A UTC day, `YYYY-MM-DD`. */
  | { day: string };

export interface Spend {
  tokens: number;
  usd: number;
}

export function usageSpend(db: Db, scope: SpendScope): Spend {
  const [where, value] =
    'session' in scope
      ? ['u.session_id = ?', scope.session]
      : 'bead' in scope
        ? ['u.bead_id = ?', scope.bead]
        : 'convoy' in scope
          ? ['u.bead_id IN (SELECT bead_id FROM convoy_beads WHERE convoy_id = ?)', scope.convoy]
          : ['u.day = ?', scope.day];
  const row = db
    .prepare<[string], { tokens: number; cost_usd: number }>(`SELECT ${sums} FROM usage u WHERE ${where}`)
    .get(value);
  return { tokens: row?.tokens ?? 0, usd: row?.cost_usd ?? 0 };
}

/** The convoys a bead belongs to (budgets.convoy applies to each). */
export function convoysOf(db: Db, beadId: string): string[] {
  return db
    .prepare<[string], { convoy_id: string }>(
      'SELECT convoy_id FROM convoy_beads WHERE bead_id = ? ORDER BY convoy_id',
    )
    .all(beadId)
    .map((row) => row.convoy_id);
}

function emptyTotals(): CostTotals {
  return {
    input_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    tokens: 0,
    cost_usd: 0,
    sessions: 0,
    unpriced: 0,
  };
}

/** Sums of many REALs drift in the last digits: keep micro-dollars. */
function tidy<T extends CostTotals>(row: T): T {
  return { ...row, cost_usd: Math.round(row.cost_usd * 1e6) / 1e6 };
}
