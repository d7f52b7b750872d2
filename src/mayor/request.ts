// The Overseer's request and the Mayor's answer in the ledger. The request opens a span; the Mayor's
// tool calls (in `gt mcp`), its thoughts, what each model call spent and its answer hang under it,
// so `gt trace` on any bead it made climbs back to these words.
import { randomBytes } from 'node:crypto';
import { newSpanId } from '../ledger/index.js';
import type { PriceTable } from '../roles/budget/prices.js';
import { recordUsage } from '../roles/budget/usage.js';
import type { TownServices } from '../town/services.js';
import { mayorActor } from './actor.js';

export interface MayorRequest {
  /** `rq-<hex>`: names the request in tool calls and the answer. */
  id: string;
  span: string;
  seq: number;
  text: string;
}

export interface MayorAnswer {
  text: string;
  outcome: 'success' | 'failure' | 'error';
  runtime: string;
  model?: string;
  turns?: number;
  usage?: { inputTokens: number; outputTokens: number };
  costUsd?: number;
}

type LedgerTown = Pick<TownServices, 'ledger'>;

/** What one model call of the Mayor spent (Claude Code: one whole run), as the runtimes report it. */
export interface MayorUsage {
  model?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  costUsd?: number;
}

/**
 * Into the `usage` table and the ledger like a polecat's spend, as agent `mayor` with no session,
 * bead or rig, so `gt costs` shows the Mayor and the town's daily budget counts it.
 */
export function recordMayorUsage(
  town: Pick<TownServices, 'db' | 'ledger'>,
  request: MayorRequest,
  usage: MayorUsage,
  prices?: PriceTable,
): void {
  recordUsage(
    town,
    {
      agent: mayorActor,
      actor: mayorActor,
      parentSpan: request.span,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ...(usage.model === undefined ? {} : { model: usage.model }),
      ...(usage.cacheReadTokens === undefined ? {} : { cacheReadTokens: usage.cacheReadTokens }),
      ...(usage.cacheWriteTokens === undefined ? {} : { cacheWriteTokens: usage.cacheWriteTokens }),
      ...(usage.costUsd === undefined ? {} : { costUsd: usage.costUsd }),
    },
    prices === undefined ? {} : { prices },
  );
}

export function recordRequest(town: LedgerTown, text: string, by: string): MayorRequest {
  const id = `rq-${randomBytes(4).toString('hex')}`;
  const span = newSpanId();
  const event = town.ledger.append({
    kind: 'mayor.request',
    actor: by,
    span_id: span,
    payload: { id, request: text },
  });
  return { id, span, seq: event.seq, text };
}

/** Something the Mayor said or thought on the way (not its final answer). */
export function recordThought(
  town: LedgerTown,
  request: MayorRequest,
  kind: 'message' | 'reasoning',
  text: string,
): void {
  town.ledger.append({
    kind: kind === 'message' ? 'agent.message' : 'agent.reasoning',
    actor: mayorActor,
    parent_span_id: request.span,
    payload: { text, request: request.id },
  });
}

export function recordAnswer(town: LedgerTown, request: MayorRequest, answer: MayorAnswer): void {
  town.ledger.append({
    kind: 'mayor.answer',
    actor: mayorActor,
    parent_span_id: request.span,
    payload: {
      request: request.id,
      text: answer.text,
      outcome: answer.outcome,
      runtime: answer.runtime,
      ...(answer.model === undefined ? {} : { model: answer.model }),
      ...(answer.turns === undefined ? {} : { turns: answer.turns }),
      ...(answer.usage === undefined
        ? {}
        : { usage: { input_tokens: answer.usage.inputTokens, output_tokens: answer.usage.outputTokens } }),
      ...(answer.costUsd === undefined ? {} : { cost_usd: answer.costUsd }),
    },
  });
}
