// The scripted model server's vocabulary (turns, recorded requests) and the pieces every wire
// format shares: ids in each provider's shape, SSE framing, splitting text into deltas, and the
// usage a turn reports when the script does not say.
import { randomBytes } from 'node:crypto';

export interface ScriptedToolCall {
  /** The call id as the provider shows it; default `toolu_…` (Anthropic) or `call_…` (OpenAI). */
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ScriptedTurn {
  /** Assistant text. */
  text?: string;
  /** Reasoning: an Anthropic thinking block, a Responses reasoning item, Chat `reasoning_content`. */
  thinking?: string;
  toolCalls?: ScriptedToolCall[];
  /**
   * Tokens the turn reports. `input` is the fresh (uncached) input, as Anthropic counts it; the
   * OpenAI APIs count cached tokens inside their input total, so they report
   * `input + cacheRead + cacheWrite` with `cached_tokens: cacheRead`. Default: estimated from sizes.
   */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  /** Answer with this HTTP error in the provider's format instead of a message. */
  error?: {
    status: number;
    message?: string;
    retryAfterSeconds?: number;
    /** Sets Anthropic's `x-should-retry` header, which its clients obey over the status. */
    shouldRetry?: boolean;
  };
  /** Wait this long before answering (stall tests); the turn is taken from the script at once. */
  delayMs?: number;
  /** Default: tool_use / tool_calls when there are tool calls, else end_turn / stop. */
  stopReason?: string;
}

export type Api = 'anthropic' | 'chat' | 'responses';

export interface RecordedRequest {
  /** The generation API that answered; `other` for models, count_tokens and unknown paths. */
  api: Api | 'other';
  method: string;
  /** The path without the query string (Claude Code adds `?beta=true`). */
  path: string;
  /** The query string, with its `?`, or ''. */
  query: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The parsed JSON body (the raw text when it is not JSON, null when empty). */
  body: unknown;
  stream: boolean;
}

export interface ResolvedUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What a wire format needs besides the turn. */
export interface WireContext {
  model: string;
  usage: ResolvedUsage;
  stream: boolean;
  /** The request body, for echoing fields (instructions, tools, stream_options). */
  body: Record<string, unknown>;
}

export type WireReply =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'sse'; headers: Record<string, string>; frames: string[] };

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A provider-shaped id: `prefix` + `length` random base62 characters. */
export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += base62[byte % base62.length];
  return id;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** One server-sent event; `event` is omitted for OpenAI Chat, which sends bare `data:` lines. */
export function sseFrame(event: string | undefined, data: unknown): string {
  const json = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${json}\n\n`;
}

/**
 * Splits text into up to `count` non-empty deltas on code-point boundaries, so clients exercise
 * their accumulation (and a surrogate pair is never torn). Empty text gives no deltas.
 */
export function deltas(text: string, count = 4): string[] {
  const points = Array.from(text);
  if (points.length === 0) return [];
  const size = Math.ceil(points.length / count);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out;
}

const estimate = (chars: number): number => Math.max(1, Math.ceil(chars / 4));

/** The turn's usage, or a plausible estimate (about four characters a token). */
export function resolveUsage(turn: ScriptedTurn, body: unknown): ResolvedUsage {
  if (turn.usage) {
    const { input, output, cacheRead = 0, cacheWrite = 0 } = turn.usage;
    return { input, output, cacheRead, cacheWrite };
  }
  const produced =
    (turn.text ?? '').length +
    (turn.thinking ?? '').length +
    (turn.toolCalls ?? []).reduce(
      (sum, call) => sum + call.name.length + JSON.stringify(call.input).length,
      0,
    );
  return {
    input: estimate(JSON.stringify(body ?? '').length),
    output: estimate(produced),
    cacheRead: 0,
    cacheWrite: 0,
  };
}

/** Reasoning tokens inside the output count (the OpenAI APIs report them separately). */
export function reasoningTokens(turn: ScriptedTurn, usage: ResolvedUsage): number {
  return turn.thinking ? Math.min(usage.output, estimate(turn.thinking.length)) : 0;
}

const anthropicToOpenAi: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** The stop reason in Anthropic's words (the script may use either vocabulary). */
export function anthropicStopReason(turn: ScriptedTurn): string {
  if (turn.stopReason !== undefined) {
    const known = Object.entries(anthropicToOpenAi).find(([, openAi]) => openAi === turn.stopReason);
    return turn.stopReason in anthropicToOpenAi || !known ? turn.stopReason : known[0];
  }
  return turn.toolCalls?.length ? 'tool_use' : 'end_turn';
}

/** The finish reason in OpenAI's words. */
export function openAiFinishReason(turn: ScriptedTurn): string {
  const reason = anthropicStopReason(turn);
  return anthropicToOpenAi[reason] ?? reason;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
