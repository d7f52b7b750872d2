// Every tool call goes into the ledger before it runs (`mcp.call`, its own span, child of the
// Overseer's request), and everything it changes hangs under that span; a failure adds
// `mcp.call_failed` on the same span. So `gt trace <bead>` shows which call made the bead and why.
import { newSpanId, withParentSpan } from '../ledger/index.js';
import { GasTownError } from '../errors.js';
import type { McpContext, TownTool } from './tool.js';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: string; code?: string };

export async function recordedCall(tool: TownTool, args: unknown, ctx: McpContext): Promise<CallOutcome> {
  const span = newSpanId();
  ctx.town.ledger.append({
    kind: 'mcp.call',
    actor: ctx.actor,
    span_id: span,
    ...(ctx.requestSpan === undefined ? {} : { parent_span_id: ctx.requestSpan }),
    payload: {
      tool: tool.name,
      arguments: args ?? {},
      ...(ctx.requestId === undefined ? {} : { request: ctx.requestId }),
    },
  });
  try {
    const value = await withParentSpan(span, () => tool.run(args as never, ctx));
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof GasTownError ? error.code : undefined;
    ctx.town.ledger.append({
      kind: 'mcp.call_failed',
      actor: ctx.actor,
      span_id: span,
      payload: { tool: tool.name, error: message, ...(code === undefined ? {} : { code }) },
    });
    return { ok: false, error: message, ...(code === undefined ? {} : { code }) };
  }
}
