// The lines `codex exec --json` prints, read into typed events. Codex's JSONL (codex-rs
// exec_events.rs) has thread.started, turn.started/completed/failed, item.started/updated/
// completed and error; items are agent_message, reasoning, command_execution, file_change,
// mcp_tool_call, web_search, todo_list and error. Unknown lines and items are kept as `other`
// rather than dropped, so a newer Codex degrades to less detail, never to silence.

export interface FileChange {
  path: string;
  kind: string;
}

export type CodexItem =
  | { id: string; type: 'agent_message'; text: string }
  | { id: string; type: 'reasoning'; text: string }
  | {
      id: string;
      type: 'command_execution';
      command: string;
      output: string;
      exitCode: number | undefined;
      status: string;
    }
  | { id: string; type: 'file_change'; changes: FileChange[]; status: string }
  | {
      id: string;
      type: 'mcp_tool_call';
      server: string;
      tool: string;
      arguments: unknown;
      status: string;
      error: string | undefined;
      result: unknown;
    }
  | { id: string; type: 'web_search'; query: string }
  | { id: string; type: 'todo_list'; items: { text: string; completed: boolean }[] }
  | { id: string; type: 'error'; message: string }
  | { id: string; type: 'other'; raw: Record<string, unknown> };

export interface CodexUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

export type CodexEvent =
  | { type: 'thread.started'; threadId: string }
  | { type: 'turn.started' }
  | { type: 'turn.completed'; usage: CodexUsage }
  | { type: 'turn.failed'; message: string }
  | { type: 'item.started' | 'item.updated' | 'item.completed'; item: CodexItem }
  | { type: 'error'; message: string }
  | { type: 'other'; raw: Record<string, unknown> };

type Json = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

function itemOf(raw: Json): CodexItem {
  const id = str(raw['id']);
  const status = str(raw['status']);
  switch (raw['type']) {
    case 'agent_message':
      return { id, type: 'agent_message', text: str(raw['text']) };
    case 'reasoning':
      return { id, type: 'reasoning', text: str(raw['text']) };
    case 'command_execution':
      return {
        id,
        type: 'command_execution',
        command: str(raw['command']),
        output: str(raw['aggregated_output']),
        exitCode: typeof raw['exit_code'] === 'number' ? raw['exit_code'] : undefined,
        status,
      };
    case 'file_change':
      return {
        id,
        type: 'file_change',
        changes: (Array.isArray(raw['changes']) ? raw['changes'] : []).map((change) => ({
          path: str(obj(change)['path']),
          kind: str(obj(change)['kind']),
        })),
        status,
      };
    case 'mcp_tool_call': {
      const error = obj(raw['error'])['message'];
      return {
        id,
        type: 'mcp_tool_call',
        server: str(raw['server']),
        tool: str(raw['tool']),
        arguments: raw['arguments'] ?? null,
        status,
        error: typeof error === 'string' ? error : undefined,
        result: raw['result'] ?? null,
      };
    }
    case 'web_search':
      return { id, type: 'web_search', query: str(raw['query']) };
    case 'todo_list':
      return {
        id,
        type: 'todo_list',
        items: (Array.isArray(raw['items']) ? raw['items'] : []).map((entry) => ({
          text: str(obj(entry)['text']),
          completed: obj(entry)['completed'] === true,
        })),
      };
    case 'error':
      return { id, type: 'error', message: str(raw['message']) };
    default:
      return { id, type: 'other', raw };
  }
}

/** One JSONL line; undefined for a blank or non-JSON line (Codex prints none, but a wrapper might). */
export function parseCodexLine(line: string): CodexEvent | undefined {
  if (line.trim() === '') return undefined;
  let raw: Json;
  try {
    raw = obj(JSON.parse(line));
  } catch {
    return undefined;
  }
  switch (raw['type']) {
    case 'thread.started':
      return { type: 'thread.started', threadId: str(raw['thread_id']) };
    case 'turn.started':
      return { type: 'turn.started' };
    case 'turn.completed': {
      const usage = obj(raw['usage']);
      return {
        type: 'turn.completed',
        usage: {
          inputTokens: num(usage['input_tokens']),
          cachedInputTokens: num(usage['cached_input_tokens']),
          cacheWriteInputTokens: num(usage['cache_write_input_tokens']),
          outputTokens: num(usage['output_tokens']),
          reasoningOutputTokens: num(usage['reasoning_output_tokens']),
        },
      };
    }
    case 'turn.failed':
      return { type: 'turn.failed', message: str(obj(raw['error'])['message']) || 'the turn failed' };
    case 'item.started':
    case 'item.updated':
    case 'item.completed':
      return { type: raw['type'], item: itemOf(obj(raw['item'])) };
    case 'error':
      return { type: 'error', message: str(raw['message']) };
    default:
      return { type: 'other', raw };
  }
}

/** A to-do list as one readable message. */
export function todoText(items: { text: string; completed: boolean }[]): string {
  return ['plan:', ...items.map((entry) => `[${entry.completed ? 'x' : ' '}] ${entry.text}`)].join('\n');
}
