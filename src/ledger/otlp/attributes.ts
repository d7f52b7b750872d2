// The attributes of each kind of exported span: `gastown.*` on every span, GenAI `gen_ai.*` on
// agent sessions and tool calls, and the error status a failed outcome or tool status sets.
import { describeEvent, eventCost } from '../describe.js';
import type { LedgerEvent } from '../event.js';
import {
  errorTypeAttr,
  failureWords,
  gastownAttr,
  genAiAttr,
  genAiOperation,
  sessionEndedPayload,
  sessionStartedPayload,
  toolCallPayload,
  toolResultPayload,
} from './conventions.js';

export type SpanAttributes = Record<string, string | number | boolean>;

/** What a span says about itself besides its ids and times. */
export interface SpanContent {
  name: string;
  attributes: SpanAttributes;
  /** Set when the span failed: the status message (and `error.type`). */
  error?: string;
}

/** `<rig>/...` actors name their rig first; `overseer`, `mayor` and the like name none. */
export function rigOf(actor: string): string | undefined {
  return /^([^/\s]+)\/\S/.exec(actor)?.[1];
}

function put(attributes: SpanAttributes, key: string, value: string | number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/** The `gastown.*` attributes every span carries, from the event the span comes from. */
export function baseAttributes(event: LedgerEvent): SpanAttributes {
  const attributes: SpanAttributes = { [gastownAttr.seq]: event.seq, [gastownAttr.actor]: event.actor };
  put(attributes, gastownAttr.beadId, event.bead_id);
  put(attributes, gastownAttr.rig, rigOf(event.actor));
  put(attributes, gastownAttr.sessionId, event.session_id);
  return attributes;
}

/** Cost and token counts, when the event reports them (`cost_usd`, `usage.*`). */
function putCost(attributes: SpanAttributes, event: LedgerEvent): void {
  const cost = eventCost(event);
  const { payload } = event;
  if (typeof payload.cost_usd === 'number' || typeof payload.total_cost_usd === 'number') {
    attributes[gastownAttr.costUsd] = cost.usd;
  }
  const usage = payload.usage;
  if (usage !== null && typeof usage === 'object') {
    const reported = usage as Record<string, unknown>;
    if (typeof reported.input_tokens === 'number') attributes[genAiAttr.inputTokens] = cost.inputTokens;
    if (typeof reported.output_tokens === 'number') attributes[genAiAttr.outputTokens] = cost.outputTokens;
  }
}

function failure(attributes: SpanAttributes, word: string | undefined): string | undefined {
  if (word === undefined || !failureWords.has(word.toLowerCase())) return undefined;
  attributes[errorTypeAttr] = word;
  return word;
}

/** `invoke_agent <agent>` from `session.started` and its `session.ended`. */
export function sessionContent(opened: LedgerEvent, closed: LedgerEvent): SpanContent {
  const start = sessionStartedPayload.parse(opened.payload);
  const end = sessionEndedPayload.parse(closed.payload);
  const attributes = baseAttributes(opened);
  attributes[gastownAttr.endSeq] = closed.seq;
  attributes[genAiAttr.operationName] = genAiOperation.invokeAgent;
  put(attributes, genAiAttr.agentName, start.agent);
  put(attributes, genAiAttr.requestModel, start.model);
  put(attributes, gastownAttr.runtime, start.runtime);
  put(attributes, gastownAttr.outcome, end.outcome);
  putCost(attributes, closed);
  const error = failure(attributes, end.outcome);
  const name =
    start.agent === undefined ? genAiOperation.invokeAgent : `${genAiOperation.invokeAgent} ${start.agent}`;
  return { name, attributes, ...(error === undefined ? {} : { error }) };
}

/** `execute_tool <tool>` from `tool.call` and its `tool.result`. */
export function toolContent(opened: LedgerEvent, closed: LedgerEvent): SpanContent {
  const call = toolCallPayload.parse(opened.payload);
  const result = toolResultPayload.parse(closed.payload);
  const attributes = baseAttributes(opened);
  attributes[gastownAttr.endSeq] = closed.seq;
  attributes[genAiAttr.operationName] = genAiOperation.executeTool;
  put(attributes, genAiAttr.toolName, call.tool);
  put(attributes, genAiAttr.toolCallId, call.call_id ?? result.call_id);
  put(attributes, gastownAttr.policyDecision, call.decision);
  put(attributes, gastownAttr.policyRule, call.rule);
  put(attributes, gastownAttr.toolStatus, result.status);
  putCost(attributes, closed);
  const error = failure(attributes, result.status);
  const name =
    call.tool === undefined ? genAiOperation.executeTool : `${genAiOperation.executeTool} ${call.tool}`;
  return { name, attributes, ...(error === undefined ? {} : { error }) };
}

/** Any other event: a zero-length span named by its kind. */
export function eventContent(event: LedgerEvent): SpanContent {
  const attributes = baseAttributes(event);
  attributes[gastownAttr.eventKind] = event.kind;
  attributes[gastownAttr.summary] = describeEvent(event);
  putCost(attributes, event);
  return { name: event.kind, attributes };
}
