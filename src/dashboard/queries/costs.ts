// Costs by bead, rig, agent and day, summed from the ledger's `session.usage` events (the shape the
// Deacon's daily budget reads: `costUsd`/`inputTokens`/`outputTokens`, or `cost_usd`/`usage.*`).
// A read-only query of our own until a shared costs module exists: one scan, grouped in memory.
import type { Db } from '../../db/open.js';

export interface CostRow {
  key: string;
  usd: number;
  tokens: number;
  sessions: number;
}

export interface Costs {
  total: { usd: number; tokens: number };
  by_bead: CostRow[];
  by_rig: CostRow[];
  by_agent: CostRow[];
  by_day: CostRow[];
}

const usd = `coalesce(json_extract(payload, '$.costUsd'), json_extract(payload, '$.cost_usd'), 0)`;
const tokens = `coalesce(json_extract(payload, '$.inputTokens'), json_extract(payload, '$.usage.input_tokens'), 0)
  + coalesce(json_extract(payload, '$.outputTokens'), json_extract(payload, '$.usage.output_tokens'), 0)`;

export function costs(db: Db, limit: number): Costs {
  // One scan of the usage events (indexed by nothing but kind: they are few), then four groupings.
  const rows = db
    .prepare<
      [],
      { bead: string | null; actor: string; day: string; session: string | null; usd: number; tokens: number }
    >(
      `SELECT bead_id AS bead, actor, substr(ts, 1, 10) AS day, session_id AS session,
              ${usd} AS usd, ${tokens} AS tokens
         FROM ledger WHERE kind = 'session.usage'`,
    )
    .all();
  const group = (keyOf: (row: (typeof rows)[number]) => string): CostRow[] => {
    const map = new Map<string, CostRow & { seen: Set<string> }>();
    for (const row of rows) {
      const key = keyOf(row);
      const entry = map.get(key) ?? { key, usd: 0, tokens: 0, sessions: 0, seen: new Set<string>() };
      entry.usd += row.usd;
      entry.tokens += row.tokens;
      if (row.session !== null && !entry.seen.has(row.session)) {
        entry.seen.add(row.session);
        entry.sessions += 1;
      }
      map.set(key, entry);
    }
    return [...map.values()].map(({ seen: _seen, ...rest }) => ({ ...rest, usd: round(rest.usd) }));
  };
  const top = (list: CostRow[]) => list.sort((a, b) => b.usd - a.usd || b.tokens - a.tokens).slice(0, limit);
  return {
    total: {
      usd: round(rows.reduce((sum, r) => sum + r.usd, 0)),
      tokens: rows.reduce((sum, r) => sum + r.tokens, 0),
    },
    by_bead: top(group((r) => r.bead ?? '(no bead)')),
    by_rig: top(group((r) => r.actor.split('/')[0] ?? r.actor)),
    by_agent: top(group((r) => r.actor)),
    by_day: group((r) => r.day)
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(-limit),
  };
}

/** What the beads' sessions cost; counts both payload shapes, unlike the trace's per-event totals. */
export function beadsCost(db: Db, beadIds: readonly string[]): { usd: number; tokens: number } {
  const sum = db.prepare<[string], { usd: number | null; tokens: number | null }>(
    `SELECT sum(${usd}) AS usd, sum(${tokens}) AS tokens FROM ledger WHERE bead_id = ? AND kind = 'session.usage'`,
  );
  let total = { usd: 0, tokens: 0 };
  for (const id of beadIds) {
    const row = sum.get(id);
    total = { usd: total.usd + (row?.usd ?? 0), tokens: total.tokens + (row?.tokens ?? 0) };
  }
  return { usd: round(total.usd), tokens: total.tokens };
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;
