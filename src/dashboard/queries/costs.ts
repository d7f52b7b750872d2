// Costs for the page: by bead, rig, agent and day from the town's `usage` table through the shared
// costs module (the same numbers `gt costs` prints), trimmed to what a chart shows.
import type { Db } from '../../db/open.js';
import type { CostGrouping } from '../../roles/budget/costs.js';
import { costTotals, costsBy, usageSpend } from '../../roles/budget/costs.js';

export interface CostBar {
  key: string;
  usd: number;
  tokens: number;
  sessions: number;
}

export interface Costs {
  total: { usd: number; tokens: number; unpriced: number };
  by_bead: CostBar[];
  by_rig: CostBar[];
  by_agent: CostBar[];
  by_day: CostBar[];
}

export function costs(db: Db, limit: number): Costs {
  const bars = (by: CostGrouping): CostBar[] =>
    costsBy(db, by).map((row) => ({
      key: row.key ?? `(no ${by})`,
      usd: row.cost_usd,
      tokens: row.tokens,
      sessions: row.sessions,
    }));
  const total = costTotals(db);
  return {
    total: { usd: total.cost_usd, tokens: total.tokens, unpriced: total.unpriced },
    by_bead: bars('bead').slice(0, limit),
    by_rig: bars('rig').slice(0, limit),
    by_agent: bars('agent').slice(0, limit),
    // Days come oldest first: the chart shows the latest `limit` of them.
    by_day: bars('day').slice(-limit),
  };
}

/** What the beads' sessions spent (a bead and its descendants, for the trace page). */
export function beadsCost(db: Db, beadIds: readonly string[]): { usd: number; tokens: number } {
  let usd = 0;
  let tokens = 0;
  for (const id of beadIds) {
    const spend = usageSpend(db, { bead: id });
    usd += spend.usd;
    tokens += spend.tokens;
  }
  return { usd: Math.round(usd * 1e6) / 1e6, tokens };
}
