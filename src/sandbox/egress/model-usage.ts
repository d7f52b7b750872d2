// Reads a model response as it passes through the gate, without holding it whole: an incremental
// server-sent-events parser that keeps only the partial line it is in, and picks out the model, the
// token usage and the stop reason from the Anthropic Messages, OpenAI Chat and OpenAI Responses
// shapes. A JSON (non-streamed) reply is read the same way from its whole body, which is bounded.

export interface ModelUsage {
  model?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  stopReason?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function emptyUsage(): ModelUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** Folds one usage object (any of the three APIs' spellings) into `into`; later counts replace earlier. */
function foldUsage(into: ModelUsage, usage: unknown): void {
  if (!isObject(usage)) return;
  const input = num(usage['input_tokens']) ?? num(usage['prompt_tokens']);
  const output = num(usage['output_tokens']) ?? num(usage['completion_tokens']);
  if (input !== undefined && input > 0) into.inputTokens = input;
  if (output !== undefined) into.outputTokens = output;
  const read = num(usage['cache_read_input_tokens']);
  const write = num(usage['cache_creation_input_tokens']);
  if (read !== undefined) into.cacheReadTokens = read;
  if (write !== undefined) into.cacheWriteTokens = write;
}

/** Folds one JSON message (an SSE event's data, or a whole reply) into `into`. */
export function foldMessage(into: ModelUsage, message: unknown): void {
  if (!isObject(message)) return;
  const inner = isObject(message['message'])
    ? message['message']
    : isObject(message['response'])
      ? message['response']
      : message;
  if (typeof inner['model'] === 'string') into.model = inner['model'];
  foldUsage(into, inner['usage']);
  if (inner !== message) foldUsage(into, message['usage']);
  const delta = message['delta'];
  const stop =
    (isObject(delta) ? delta['stop_reason'] : undefined) ??
    inner['stop_reason'] ??
    (Array.isArray(message['choices']) && isObject(message['choices'][0])
      ? message['choices'][0]['finish_reason']
      : undefined) ??
    (message['type'] === 'response.completed' ? inner['status'] : undefined);
  if (typeof stop === 'string') into.stopReason = stop;
}

/**
 * Feeds on a `text/event-stream` body chunk by chunk; `onUpdate` runs after each event that carried
 * usage. Only the unfinished line is kept between chunks.
 */
export class SseUsageReader {
  readonly usage: ModelUsage = emptyUsage();
  private partial = '';
  private data: string[] = [];
  private readonly decoder = new TextDecoder();

  constructor(private readonly onUpdate: (usage: ModelUsage) => void = () => undefined) {}

  push(chunk: Uint8Array): void {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    // A line longer than this is not usage we can use; drop it rather than grow without bound.
    if (this.partial.length > 1 << 20) this.partial = '';
    for (const raw of lines) this.line(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith('data:')) this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }

  private dispatch(): void {
    const data = this.data.join('\n');
    this.data = [];
    if (data === '' || data === '[DONE]') return;
    if (!/usage|model|stop_reason|finish_reason|response\.completed/.test(data)) return;
    try {
      const before = this.usage.inputTokens + this.usage.outputTokens;
      foldMessage(this.usage, JSON.parse(data) as unknown);
      if (this.usage.inputTokens + this.usage.outputTokens !== before) this.onUpdate(this.usage);
    } catch {
      // Not JSON: nothing to count.
    }
  }
}
