// Keeps a conversation within the model's context window. Tokens are estimated at four characters
// each; past the limit the oldest bulky parts become short stubs, in this order: tool results, tool
// call inputs (a written file's content), assistant text and thinking, other user text. The first
// user message (the task) and the newest turns stay whole, and no message is removed, so every tool
// call keeps its result (both providers insist on the pairing).
import type { ModelMessage, ModelTool } from './types.js';

export const estimateTokens = (value: unknown): number =>
  Math.ceil((typeof value === 'string' ? value.length : JSON.stringify(value).length) / 4);

export interface TrimOptions {
  system: string;
  tools: readonly ModelTool[];
  /** The model's context window in tokens. */
  contextTokens: number;
  /** The share of the window the conversation may fill before trimming (default 0.8). */
  fill?: number;
  /** Newest messages never trimmed (default 4: the last two rounds of call and result). */
  keepLast?: number;
}

export interface TrimResult {
  /** Parts replaced by stubs. */
  trimmed: number;
  before: number;
  after: number;
}

const stubAbove = 240;
const stub = (what: string, chars: number) =>
  `[${chars} characters of ${what} trimmed to keep the conversation within the model's context]`;

/** Shortens old parts of `messages` in place until the estimate fits; says what it did. */
export function trimToFit(messages: ModelMessage[], options: TrimOptions): TrimResult {
  const limit = Math.floor(options.contextTokens * (options.fill ?? 0.8));
  const fixed = estimateTokens(options.system) + estimateTokens(options.tools);
  const sizes = messages.map((m) => estimateTokens(m));
  let total = fixed + sizes.reduce((a, b) => a + b, 0);
  const before = total;
  let trimmed = 0;
  const last = messages.length - (options.keepLast ?? 4);
  const passes: ((m: ModelMessage) => ModelMessage | undefined)[] = [
    trimToolResults,
    trimToolInputs,
    trimAssistant,
    trimUser,
  ];
  for (const pass of passes) {
    for (let i = 1; i < last && total > limit; i += 1) {
      const message = messages[i];
      const shorter = message && pass(message);
      if (!shorter) continue;
      const size = estimateTokens(shorter);
      total += size - (sizes[i] ?? 0);
      sizes[i] = size;
      messages[i] = shorter;
      trimmed += 1;
    }
  }
  return { trimmed, before, after: total };
}

function trimToolResults(message: ModelMessage): ModelMessage | undefined {
  if (message.role !== 'tool' || !message.results.some((r) => r.output.length > stubAbove)) return undefined;
  return {
    role: 'tool',
    results: message.results.map((r) =>
      r.output.length > stubAbove ? { ...r, output: stub('tool output', r.output.length) } : r,
    ),
  };
}

function trimToolInputs(message: ModelMessage): ModelMessage | undefined {
  if (message.role !== 'assistant') return undefined;
  let changed = false;
  const toolCalls = message.toolCalls.map((call) => {
    const input: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(call.input)) {
      const long = typeof value === 'string' && value.length > stubAbove;
      changed ||= long;
      input[name] = long ? stub(name, value.length) : value;
    }
    return { ...call, input };
  });
  return changed ? { ...message, toolCalls } : undefined;
}

function trimAssistant(message: ModelMessage): ModelMessage | undefined {
  if (message.role !== 'assistant') return undefined;
  if (message.text.length <= stubAbove && !message.thinking) return undefined;
  const { thinking: _dropped, ...rest } = message;
  return {
    ...rest,
    text: message.text.length > stubAbove ? stub('text', message.text.length) : message.text,
  };
}

function trimUser(message: ModelMessage): ModelMessage | undefined {
  if (message.role !== 'user' || message.text.length <= stubAbove) return undefined;
  return { role: 'user', text: stub('message', message.text.length) };
}
