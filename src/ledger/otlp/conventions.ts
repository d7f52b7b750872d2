// The span conventions of the ledger: which event kinds open and close spans, what their payloads
// carry, and the attribute names the OTLP export writes (OpenTelemetry GenAI `gen_ai.*` plus our
// own `gastown.*`). Producers of these events import the kinds and payload types from here.
import { z } from 'zod';

/** Event kinds that open or close a span. Every other kind becomes a short span of its own. */
export const spanEventKinds = {
  /** Opens an agent session span: span_id = the session span, session_id set. */
  sessionStarted: 'session.started',
  /** Closes the session span of the same span_id. */
  sessionEnded: 'session.ended',
  /** Opens a tool span: its own span_id, parent_span_id = the session span. */
  toolCall: 'tool.call',
  /** Closes the tool span of the same span_id. */
  toolResult: 'tool.result',
} as const;
export type SpanEventKind = (typeof spanEventKinds)[keyof typeof spanEventKinds];

/** The kind that closes a span opened by `kind`, for the two opening kinds. */
export const closingKindOf = {
  [spanEventKinds.sessionStarted]: spanEventKinds.sessionEnded,
  [spanEventKinds.toolCall]: spanEventKinds.toolResult,
} as const;
export type OpeningKind = keyof typeof closingKindOf;
export type ClosingKind = (typeof closingKindOf)[OpeningKind];

export const openingKindOf = {
  [spanEventKinds.sessionEnded]: spanEventKinds.sessionStarted,
  [spanEventKinds.toolResult]: spanEventKinds.toolCall,
} as const satisfies Record<ClosingKind, OpeningKind>;

export function isOpeningKind(kind: string): kind is OpeningKind {
  return Object.hasOwn(closingKindOf, kind);
}

export function isClosingKind(kind: string): kind is ClosingKind {
  return Object.hasOwn(openingKindOf, kind);
}

// Payloads. Each field is tolerant on its own: a malformed field is dropped, never the event.
const text = z.string().min(1).optional().catch(undefined);
const count = z.number().int().nonnegative().optional().catch(undefined);

export const sessionStartedPayload = z.looseObject({ agent: text, runtime: text, model: text });
export const sessionEndedPayload = z.looseObject({
  outcome: text,
  cost_usd: z.number().nonnegative().optional().catch(undefined),
  usage: z.looseObject({ input_tokens: count, output_tokens: count }).optional().catch(undefined),
});
export const toolCallPayload = z.looseObject({ tool: text, call_id: text, decision: text, rule: text });
export const toolResultPayload = z.looseObject({ call_id: text, status: text });

export type SessionStartedPayload = z.output<typeof sessionStartedPayload>;
export type SessionEndedPayload = z.output<typeof sessionEndedPayload>;
export type ToolCallPayload = z.output<typeof toolCallPayload>;
export type ToolResultPayload = z.output<typeof toolResultPayload>;

/** OpenTelemetry GenAI semantic-convention attributes (incubating, so kept here, not imported). */
export const genAiAttr = {
  operationName: 'gen_ai.operation.name',
  agentName: 'gen_ai.agent.name',
  requestModel: 'gen_ai.request.model',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
} as const;

export const genAiOperation = { invokeAgent: 'invoke_agent', executeTool: 'execute_tool' } as const;

/** `error.type`, set with an error status when an outcome or tool status reports a failure. */
export const errorTypeAttr = 'error.type';

export const gastownAttr = {
  town: 'gastown.town',
  beadId: 'gastown.bead.id',
  rig: 'gastown.rig',
  actor: 'gastown.actor',
  sessionId: 'gastown.session.id',
  costUsd: 'gastown.cost_usd',
  /** The seq of the event the span comes from (its opening event for session and tool spans). */
  seq: 'gastown.ledger.seq',
  /** The seq of the closing event of a session or tool span. */
  endSeq: 'gastown.ledger.end_seq',
  eventKind: 'gastown.event.kind',
  summary: 'gastown.event.summary',
  runtime: 'gastown.runtime',
  outcome: 'gastown.outcome',
  toolStatus: 'gastown.tool.status',
  policyDecision: 'gastown.policy.decision',
  policyRule: 'gastown.policy.rule',
} as const;

/** Outcomes and tool statuses that mark a span as failed. A policy denial is not a failure. */
export const failureWords: ReadonlySet<string> = new Set([
  'error',
  'errored',
  'fail',
  'failed',
  'failure',
  'crashed',
  'timeout',
  'timed_out',
  'aborted',
  'killed',
]);
