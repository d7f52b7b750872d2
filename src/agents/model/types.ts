// The provider-neutral shape of a conversation with a model, shared by the Anthropic and OpenAI
// clients and by the tool loop. Exports (stable; the Mayor's loop reuses them):
// - ModelMessage: a user text, an assistant turn (text, thinking, tool calls) or the results of one
//   turn's tool calls. The clients translate it into each provider's wire format.
// - ModelTool: a tool the model may call (name, description, JSON schema of its input).
// - ModelTurn: what one model call answered, with its usage.
// - ModelClient: one `complete` call per turn; `onDelta` sees text and thinking as they stream.
// Usage follows Anthropic's convention: `inputTokens` counts the uncached input only; tokens read
// from or written to the prompt cache are counted apart (the OpenAI client subtracts cached tokens).

export interface ModelTool {
  name: string;
  description: string;
  /** A JSON schema of type `object` for the tool's input. */
  inputSchema: Record<string, unknown>;
}

export interface ModelToolCall {
  /** The provider's id for the call (a result answers it by this id). */
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Set when the model's arguments were not a JSON object: the raw text, so the loop can say so. */
  invalidInput?: string;
}

/** A thinking block as the provider sent it; Anthropic needs it back verbatim (with its signature). */
export type ThinkingBlock = { text: string; signature?: string } | { redacted: string };

export interface ModelToolResult {
  callId: string;
  output: string;
  isError: boolean;
}

export type ModelMessage =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; thinking?: ThinkingBlock[]; toolCalls: ModelToolCall[] }
  | { role: 'tool'; results: ModelToolResult[] };

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface ModelTurn {
  text: string;
  /** The turn's reasoning as text (all thinking blocks joined). */
  thinking?: string;
  /** The thinking blocks to send back with the turn (Anthropic). */
  thinkingBlocks?: ThinkingBlock[];
  toolCalls: ModelToolCall[];
  usage: ModelUsage;
  /** The provider's own words: end_turn, tool_use, max_tokens, stop, tool_calls, length… */
  stopReason: string;
  /** The model that answered, as the provider names it. */
  model: string;
}

export interface ModelRequest {
  system: string;
  messages: readonly ModelMessage[];
  tools: readonly ModelTool[];
  maxOutputTokens: number;
  signal?: AbortSignal;
}

export type ModelDelta = { type: 'text'; text: string } | { type: 'thinking'; text: string };

export interface ModelClient {
  /** Where requests go, for messages (`http://127.0.0.1:11434/v1/chat/completions`). */
  readonly endpoint: string;
  readonly model: string;
  complete(request: ModelRequest, onDelta?: (delta: ModelDelta) => void): Promise<ModelTurn>;
}

/** Stop reasons that mean the reply was cut off at the output limit. */
export const truncatedStopReasons: ReadonlySet<string> = new Set(['max_tokens', 'length']);
