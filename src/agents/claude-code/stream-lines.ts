// The lines `claude -p --output-format stream-json --verbose` prints, validated at the boundary.
// Only the fields we use are described; everything else passes through untouched. Observed with
// Claude Code 2.1.197: each content block arrives as its own `assistant` line (the same message id
// repeated), a `system`/`init` line opens every turn, tool results come back as `user` lines, and
// each turn ends with one `result` whose `usage` covers that turn while `total_cost_usd` and
// `modelUsage` add up over the whole process.
import { z } from 'zod';

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()).catch({}),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))])
    .optional(),
  is_error: z.boolean().nullish(),
});

/** A content block in our terms; images, redacted thinking and the like are `other`. */
export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string }
  | { kind: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { kind: 'tool_result'; id: string; output: string; isError: boolean }
  | { kind: 'other' };

function blockOf(raw: unknown): Block {
  const text = textBlock.safeParse(raw);
  if (text.success) return { kind: 'text', text: text.data.text };
  const thinking = thinkingBlock.safeParse(raw);
  if (thinking.success) return { kind: 'thinking', text: thinking.data.thinking };
  const use = toolUseBlock.safeParse(raw);
  if (use.success) return { kind: 'tool_use', id: use.data.id, name: use.data.name, input: use.data.input };
  const result = toolResultBlock.safeParse(raw);
  if (!result.success) return { kind: 'other' };
  const { content } = result.data;
  const output =
    typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('\n');
  return { kind: 'tool_result', id: result.data.tool_use_id, output, isError: result.data.is_error ?? false };
}

/** A message's content as blocks (a plain string is one text block). */
export function blocksOf(content: string | unknown[]): Block[] {
  return typeof content === 'string' ? [{ kind: 'text', text: content }] : content.map(blockOf);
}

const systemLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.string(),
  session_id: z.string().optional(),
  model: z.string().optional(),
});

const assistantLine = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({ model: z.string().optional(), content: z.array(z.unknown()) }),
  error: z.string().optional(),
});

const userLine = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(z.unknown())]) }),
  /** Set on our own messages echoed back (`--replay-user-messages`). */
  isReplay: z.boolean().optional(),
});

const tokens = z.number().int().nonnegative().catch(0);

const resultLine = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  result: z.string().optional(),
  session_id: z.string().optional(),
  total_cost_usd: z.number().nonnegative().optional(),
  usage: z
    .looseObject({
      input_tokens: tokens,
      output_tokens: tokens,
      cache_read_input_tokens: tokens.optional(),
      cache_creation_input_tokens: tokens.optional(),
    })
    .optional(),
  modelUsage: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(z.string()).optional(),
  /** The HTTP status of the model API's refusal, when that ended the turn. */
  api_error_status: z.number().nullish(),
});

export type SystemLine = z.infer<typeof systemLine>;
export type AssistantLine = z.infer<typeof assistantLine>;
export type UserLine = z.infer<typeof userLine>;
export type ResultLine = z.infer<typeof resultLine>;

/** A line we understand, or one of a type we leave alone (hook progress, stream events…). */
export type StreamLine =
  SystemLine | AssistantLine | UserLine | ResultLine | { type: 'other'; original: string };

const schemas = { system: systemLine, assistant: assistantLine, user: userLine, result: resultLine };

/** One parsed line, or why it is not one (the caller reports it and goes on). */
export function parseStreamLine(text: string): { line: StreamLine } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: `not JSON: ${text.slice(0, 200)}` };
  }
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
  if (typeof type !== 'string') return { problem: `no type: ${text.slice(0, 200)}` };
  if (!Object.hasOwn(schemas, type)) return { line: { type: 'other', original: type } };
  const parsed = schemas[type as keyof typeof schemas].safeParse(json);
  if (!parsed.success) return { problem: `unexpected ${type} line: ${text.slice(0, 200)}` };
  return { line: parsed.data };
}
