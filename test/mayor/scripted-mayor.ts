// Shared by the Mayor's tests: a town whose default agent is `anthropic` pointed at the scripted
// model server, and helpers to read what the Mayor's tools answered from the model's requests.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RecordedRequest } from '../support/model-server.js';

export async function pointTownAt(
  root: string,
  url: string,
  agent = 'anthropic',
  extra: Record<string, unknown> = {},
): Promise<void> {
  const file = join(root, 'town.yaml');
  const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  config.default_agent = agent;
  config.agents = {
    [agent]: { base_url: url, model: 'claude-sonnet-4-5', api_key_env: 'MAYOR_TEST_KEY', ...extra },
  };
  await writeFile(file, stringify(config));
}

interface WireMessage {
  role: string;
  content: string | { type: string; text?: string; content?: unknown }[];
}

function messagesOf(request: RecordedRequest): WireMessage[] {
  return ((request.body as { messages?: WireMessage[] }).messages ?? []).filter((m) => m.role !== 'system');
}

/** How many assistant turns the conversation already has. */
export function assistantTurns(request: RecordedRequest): number {
  return messagesOf(request).filter((m) => m.role === 'assistant').length;
}

/**
 * The tool results that end the conversation, parsed as JSON (the town tools answer JSON): the
 * last message's tool_result blocks (Anthropic), or the trailing `tool` messages (Chat Completions).
 */
export function lastResults(request: RecordedRequest): Record<string, unknown>[] {
  const messages = messagesOf(request);
  const last = messages.at(-1);
  if (!last) return [];
  const parse = (text: unknown) =>
    JSON.parse(typeof text === 'string' ? text : '{}') as Record<string, unknown>;
  if (last.role === 'tool') {
    const tail: WireMessage[] = [];
    for (let n = messages.length - 1; n >= 0 && messages[n]!.role === 'tool'; n--) tail.unshift(messages[n]!);
    return tail.map((m) => parse(m.content));
  }
  if (typeof last.content === 'string') return [];
  return last.content.filter((block) => block.type === 'tool_result').map((block) => parse(block.content));
}

/** Every user text of the conversation (the Overseer's lines). */
export function userTexts(request: RecordedRequest): string[] {
  return messagesOf(request)
    .filter((m) => m.role === 'user')
    .flatMap((m) =>
      typeof m.content === 'string'
        ? [m.content]
        : m.content.filter((b) => b.type === 'text').map((b) => b.text ?? ''),
    );
}
