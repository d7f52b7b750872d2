// Records what a model call spent. One transaction writes the `usage` row (the table `gt costs`, the
// budgets and the Deacon read), adds to the session's totals and appends the `session.usage` ledger
// event, so the ledger and the tables never disagree. The cost is the agent's own figure when it
// reports one (`cost_source: agent`), else the price table's (`prices`); a model without a price
// costs 0 and is flagged `unpriced`.
//
// Tokens: `inputTokens` is the uncached input; cache reads and writes are counted apart. A session's
// `input_tokens` column holds every prompt token (uncached + cache read + cache write), so
// `input_tokens + output_tokens` is the session's token count as budgets measure it (usageTokens).
import { writeTx } from '../../db/open.js';
import type { Db } from '../../db/open.js';
import type { Ledger } from '../../ledger/index.js';
import { priceUsage, type PriceTable, defaultPrices } from './prices.js';

export interface UsageReport {
  sessionId?: string;
  beadId?: string;
  rig?: string;
  /** The agent runtime (`claude-code`, `anthropic`, …), or `mayor` for the Mayor's own calls. */
  agent: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** What the agent says the call cost; when absent the price table prices the tokens. */
  costUsd?: number;
  /** Who the ledger names (default: the agent). */
  actor?: string;
  /** The session's span, so the event sits under it in `gt trace`. */
  parentSpan?: string;
}

export type CostSource = 'agent' | 'prices';

export interface RecordedUsage {
  id: number;
  day: string;
  usd: number;
  tokens: number;
  costSource: CostSource;
  unpriced: boolean;
}

export interface RecordUsageOptions {
  prices?: PriceTable;
  now?: Date;
}

/** Every token of a report, as budgets and `gt costs` count them. */
export function usageTokens(
  report: Pick<UsageReport, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>,
): number {
  return (
    report.inputTokens + report.outputTokens + (report.cacheReadTokens ?? 0) + (report.cacheWriteTokens ?? 0)
  );
}

export function recordUsage(
  town: { db: Db; ledger: Ledger },
  report: UsageReport,
  options: RecordUsageOptions = {},
): RecordedUsage {
  const counts = {
    inputTokens: whole(report.inputTokens),
    outputTokens: whole(report.outputTokens),
    cacheReadTokens: whole(report.cacheReadTokens ?? 0),
    cacheWriteTokens: whole(report.cacheWriteTokens ?? 0),
  };
  const agentCost = report.costUsd !== undefined && Number.isFinite(report.costUsd) && report.costUsd >= 0;
  const priced = agentCost ? undefined : priceUsage(report.model, counts, options.prices ?? defaultPrices);
  const usd = agentCost ? (report.costUsd ?? 0) : (priced?.usd ?? 0);
  const costSource: CostSource = agentCost ? 'agent' : 'prices';
  const unpriced = priced?.unpriced ?? false;
  const at = (options.now ?? new Date()).toISOString();
  const day = at.slice(0, 10);
  const tokens = usageTokens(counts);
  const id = writeTx(town.db, () => {
    const row = town.db
      .prepare(
        `INSERT INTO usage (at, day, session_id, bead_id, rig, agent, model, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, cost_usd, cost_source, unpriced)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        at,
        day,
        report.sessionId ?? null,
        report.beadId ?? null,
        report.rig ?? null,
        report.agent,
        report.model ?? null,
        counts.inputTokens,
        counts.outputTokens,
        counts.cacheReadTokens,
        counts.cacheWriteTokens,
        usd,
        costSource,
        unpriced ? 1 : 0,
      );
    if (report.sessionId !== undefined) {
      town.db
        .prepare(
          `UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?,
             cost_usd = cost_usd + ? WHERE id = ?`,
        )
        .run(tokens - counts.outputTokens, counts.outputTokens, usd, report.sessionId);
    }
    town.ledger.append({
      kind: 'session.usage',
      actor: report.actor ?? report.agent,
      ts: at,
      ...(report.beadId === undefined ? {} : { bead_id: report.beadId }),
      ...(report.sessionId === undefined ? {} : { session_id: report.sessionId }),
      ...(report.parentSpan === undefined ? {} : { parent_span_id: report.parentSpan }),
      payload: {
        agent: report.agent,
        model: report.model ?? null,
        // The shape the trace, the feed and the OTLP export read: `cost_usd` and `usage.*`.
        usage: {
          input_tokens: counts.inputTokens,
          output_tokens: counts.outputTokens,
          cache_read_tokens: counts.cacheReadTokens,
          cache_write_tokens: counts.cacheWriteTokens,
        },
        tokens,
        cost_usd: usd,
        cost_source: costSource,
        ...(unpriced ? { unpriced: true } : {}),
        ...(priced?.pattern === undefined ? {} : { price: priced.pattern }),
      },
    });
    return Number(row.lastInsertRowid);
  });
  return { id, day, usd, tokens, costSource, unpriced };
}

/** Token counts arrive from agents' JSON: keep them whole and never negative. */
function whole(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
