// Turns Claude Code's stream into our AgentEvents: text is a message, thinking is reasoning, each
// tool_use is a tool_call (for the transcript: the gateway records the call itself when the hook
// asks), each tool_result a tool_result carrying the gateway's verdict, and each turn's `result`
// a usage event. Claude reports its cost as a running total per process, so each usage event
// carries the difference since the last one.
import type { AgentEvent, ToolOutcome, ToolRequest, ToolVerdict } from '../runtime.js';
import { blocksOf } from './stream-lines.js';
import type { Block, ResultLine, StreamLine } from './stream-lines.js';
import { toolRequestOf } from './tool-map.js';

export interface TurnResult {
  ok: boolean;
  summary: string;
}

export interface Translated {
  events: AgentEvent[];
  /** Set by the line that ends a turn. */
  result?: TurnResult;
  /** The line echoes a user message we wrote (`--replay-user-messages`). */
  replayed?: boolean;
  /** A tool ran although the pre-tool hook never judged it (the hooks are not in force). */
  ungoverned?: string;
}

export class StreamTranslator {
  private sessionId: string | undefined;
  private model: string | undefined;
  private costSoFar = 0;
  private readonly requests = new Map<string, ToolRequest>();

  /** `verdictOf` answers what the gateway decided for a call, if the hook asked it. */
  constructor(
    private readonly cwd: string,
    private readonly verdictOf: (callId: string) => ToolVerdict | undefined,
  ) {}

  translate(line: StreamLine): Translated {
    switch (line.type) {
      case 'system':
        if (line.subtype !== 'init' || line.session_id === undefined || line.session_id === this.sessionId)
          return { events: [] };
        this.sessionId = line.session_id;
        return { events: [{ type: 'agent_session', id: line.session_id }] };
      case 'assistant':
        // Messages Claude makes up itself (an API error shown as text) say `<synthetic>`.
        if (line.message.model !== undefined && !line.message.model.startsWith('<'))
          this.model = line.message.model;
        return { events: blocksOf(line.message.content).flatMap((block) => this.said(block)) };
      case 'user':
        return line.isReplay === true
          ? { events: [], replayed: true }
          : this.toolResults(line.message.content);
      case 'result':
        return { events: [this.usage(line)], result: resultOf(line) };
      default:
        return { events: [] };
    }
  }

  private said(block: Block): AgentEvent[] {
    if (block.kind === 'text' && block.text.trim() !== '') return [{ type: 'message', text: block.text }];
    if (block.kind === 'thinking' && block.text.trim() !== '')
      return [{ type: 'reasoning', text: block.text }];
    if (block.kind !== 'tool_use') return [];
    const request = toolRequestOf(block.id, block.name, block.input, this.cwd);
    this.requests.set(block.id, request);
    return [{ type: 'tool_call', request }];
  }

  private toolResults(content: string | unknown[]): Translated {
    const events: AgentEvent[] = [];
    let ungoverned: string | undefined;
    for (const block of blocksOf(content)) {
      if (block.kind !== 'tool_result') continue;
      const verdict = this.verdictOf(block.id);
      const tool = this.requests.get(block.id)?.agentTool ?? 'a tool';
      this.requests.delete(block.id);
      if (verdict === undefined && !block.isError) ungoverned ??= `${tool} (${block.id})`;
      events.push({ type: 'tool_result', outcome: outcomeOf(block, verdict) });
    }
    return ungoverned === undefined ? { events } : { events, ungoverned };
  }

  private usage(line: ResultLine): AgentEvent {
    const usage = line.usage;
    const total = line.total_cost_usd;
    const model = this.model ?? modelOfUsage(line.modelUsage);
    const event: AgentEvent = {
      type: 'usage',
      ...(model === undefined ? {} : { model }),
      inputTokens: usage?.input_tokens ?? 0,
      outputTokens: usage?.output_tokens ?? 0,
      cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
    };
    if (total === undefined) return event;
    const costUsd = Math.max(0, total - this.costSoFar);
    this.costSoFar = Math.max(this.costSoFar, total);
    return { ...event, costUsd };
  }
}

function outcomeOf(
  block: Extract<Block, { kind: 'tool_result' }>,
  verdict: ToolVerdict | undefined,
): ToolOutcome {
  const denied = verdict?.decision === 'deny' || (verdict === undefined && block.isError);
  return {
    callId: block.id,
    status: denied ? 'denied' : block.isError ? 'error' : 'ok',
    decision: verdict?.policyDecision ?? (block.isError ? 'deny' : 'allow'),
    // A call the hook never saw was refused by Claude Code itself (its permission check or a
    // failed hook); one that ran anyway is flagged by `ungoverned`.
    rule: verdict?.rule ?? 'claude-code',
    reason: verdict?.reason ?? (block.isError ? 'refused before it reached the policy' : 'not judged'),
    output: block.output,
  };
}

/**
 * A turn's end in a sentence. Failures name their kind (`error_max_turns`…) unless it is the
 * misleading `success` Claude reports with `is_error` (a refused key), and the API status if any.
 */
function resultOf(line: ResultLine): TurnResult {
  const ok = !line.is_error && line.subtype === 'success';
  const detail = (line.result ?? line.errors?.join('; ') ?? '').trim() || line.subtype;
  if (ok) return { ok, summary: detail };
  const kind = line.subtype === 'success' || detail === line.subtype ? '' : `${line.subtype}: `;
  const status = line.api_error_status == null ? '' : ` (API status ${line.api_error_status})`;
  return { ok, summary: `${kind}${detail}${status}` };
}

/** `claude-sonnet-4-5[1m]` → `claude-sonnet-4-5`: the first model Claude Code counted. */
function modelOfUsage(models: Record<string, unknown> | undefined): string | undefined {
  const first = Object.keys(models ?? {})[0];
  return first?.replace(/\[[^\]]*\]$/, '');
}
