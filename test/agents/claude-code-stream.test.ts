// Claude Code's stream-json, replayed from a recording of the real binary (2.1.197) against the
// scripted model server: two turns, the second started by a nudge. Every line parses; the events
// are the session's transcript (reasoning, messages, tool calls and their verdicts), one usage
// event per turn whose cost is the turn's share of Claude's running total, and the session id once.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStreamLine, StreamTranslator, toolRequestOf } from '../../src/agents/claude-code/index.js';
import type { Translated } from '../../src/agents/claude-code/stream-events.js';
import type { AgentEvent, ToolVerdict } from '../../src/agents/index.js';

const recorded = readFileSync(new URL('./fixtures/claude-code-stream.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const worktree = '/town/web/polecats/nux';

const verdict = (callId: string, decision: 'allow' | 'deny', rule: string, reason: string): ToolVerdict => ({
  callId,
  decision,
  policyDecision: decision,
  rule,
  reason,
});

const verdicts = new Map<string, ToolVerdict>([
  ['toolu_01Write', verdict('toolu_01Write', 'allow', 'builtin:worktree-files', 'the worktree is its own')],
  ['toolu_02Bash', verdict('toolu_02Bash', 'allow', 'builtin:dev-commands', 'everyday command')],
  ['toolu_03Sudo', verdict('toolu_03Sudo', 'deny', 'builtin:privilege', 'agents never run as root')],
  ['toolu_04Fail', verdict('toolu_04Fail', 'allow', 'builtin:dev-commands', 'everyday command')],
]);

function replay(lookup: (id: string) => ToolVerdict | undefined = (id) => verdicts.get(id)): Translated[] {
  const translator = new StreamTranslator(worktree, lookup);
  return recorded.map((text) => {
    const parsed = parseStreamLine(text);
    if ('problem' in parsed) throw new Error(parsed.problem);
    return translator.translate(parsed.line);
  });
}

const events = (all: Translated[]): AgentEvent[] => all.flatMap((t) => t.events);

describe('claude-code stream', () => {
  it('turns a recorded session into the transcript, in order', () => {
    const out = events(replay());
    expect(out.map((e) => e.type)).toEqual([
      'agent_session',
      'reasoning',
      'message',
      'tool_call',
      'tool_result',
      'tool_call',
      'tool_result',
      'tool_call',
      'tool_result',
      'tool_call',
      'tool_result',
      'message',
      'usage',
      'message',
      'usage',
    ]);
    const session = out[0];
    expect(session?.type === 'agent_session' ? session.id : '').toMatch(/^[0-9a-f-]{36}$/);
    expect(out.slice(1, 4)).toEqual([
      { type: 'reasoning', text: 'The bead wants hello.txt.' },
      { type: 'message', text: 'Writing hello.txt.' },
      {
        type: 'tool_call',
        request: {
          callId: 'toolu_01Write',
          tool: 'write',
          path: `${worktree}/hello.txt`,
          content: 'hello\n',
          agentTool: 'Write',
          input: { file_path: `${worktree}/hello.txt`, content: 'hello\n' },
        },
      },
    ]);
    const results = out.flatMap((e) => (e.type === 'tool_result' ? [e.outcome] : []));
    expect(results).toMatchObject([
      { callId: 'toolu_01Write', status: 'ok', rule: 'builtin:worktree-files' },
      { callId: 'toolu_02Bash', status: 'ok', output: 'hello' },
      {
        callId: 'toolu_03Sudo',
        status: 'denied',
        decision: 'deny',
        rule: 'builtin:privilege',
        output: 'denied by builtin:privilege: agents never run as another user or as root',
      },
      { callId: 'toolu_04Fail', status: 'error', decision: 'allow', output: 'Exit code 3' },
    ]);
  });

  it('reports each turn’s tokens and its share of the running cost', () => {
    const usage = events(replay()).flatMap((e) => (e.type === 'usage' ? [e] : []));
    expect(usage.map(({ costUsd: _cost, ...counts }) => counts)).toEqual([
      {
        type: 'usage',
        model: 'claude-sonnet-4-5',
        inputTokens: 7000,
        outputTokens: 160,
        cacheReadTokens: 300,
        cacheWriteTokens: 40,
      },
      {
        type: 'usage',
        model: 'claude-sonnet-4-5',
        inputTokens: 1700,
        outputTokens: 8,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
    ]);
    // Claude's totals were 0.02364 after the first turn and 0.02886 after the second.
    expect(usage[0]?.costUsd).toBeCloseTo(0.02364, 8);
    expect(usage[1]?.costUsd).toBeCloseTo(0.02886 - 0.02364, 8);
  });

  it('marks turn ends, the echoes of our own messages, and calls that ran unjudged', () => {
    const all = replay();
    expect(all.flatMap((t) => (t.result ? [t.result] : []))).toEqual([
      { ok: true, summary: 'Wrote hello.txt.' },
      { ok: true, summary: 'Noted: tests next.' },
    ]);
    // The task and the nudge, each echoed when Claude took it.
    expect(all.filter((t) => t.replayed)).toHaveLength(2);
    expect(all.some((t) => t.ungoverned !== undefined)).toBe(false);
    // Without the hook's verdicts, the calls that succeeded ran without the policy.
    const unjudged = replay(() => undefined).flatMap((t) => (t.ungoverned ? [t.ungoverned] : []));
    expect(unjudged).toEqual(['Write (toolu_01Write)', 'Bash (toolu_02Bash)']);
  });

  it('reads a failed turn and lines it does not know', () => {
    const translator = new StreamTranslator(worktree, () => undefined);
    const failed = parseStreamLine(
      JSON.stringify({
        type: 'result',
        subtype: 'error_during_execution',
        is_error: true,
        errors: ['API Error: 401 invalid x-api-key'],
        total_cost_usd: 0,
        usage: { input_tokens: 0, output_tokens: 0 },
      }),
    );
    if ('problem' in failed) throw new Error(failed.problem);
    expect(translator.translate(failed.line).result).toEqual({
      ok: false,
      summary: 'error_during_execution: API Error: 401 invalid x-api-key',
    });
    expect(parseStreamLine('{"type":"stream_event","event":{}}')).toEqual({
      line: { type: 'other', original: 'stream_event' },
    });
    const junk = parseStreamLine('not json');
    expect('problem' in junk ? junk.problem : '').toContain('not JSON');
  });
});

describe('claude-code tools in the policy’s vocabulary', () => {
  it('maps each tool to what the policy judges', () => {
    const map = (name: string, input: Record<string, unknown>) => {
      const { input: _input, callId: _id, ...rest } = toolRequestOf('t', name, input, worktree);
      return rest;
    };
    expect(map('Bash', { command: 'ls', description: 'list' })).toEqual({
      tool: 'run',
      command: 'ls',
      agentTool: 'Bash',
    });
    expect(map('Read', { file_path: '/etc/hosts' })).toEqual({
      tool: 'read',
      path: '/etc/hosts',
      agentTool: 'Read',
    });
    expect(map('Edit', { file_path: 'a.ts', old_string: 'x', new_string: 'y' })).toEqual({
      tool: 'edit',
      path: 'a.ts',
      oldText: 'x',
      newText: 'y',
      agentTool: 'Edit',
    });
    expect(map('NotebookEdit', { notebook_path: 'n.ipynb', new_source: '' })).toMatchObject({
      tool: 'edit',
      path: 'n.ipynb',
    });
    expect(map('Grep', { pattern: 'TODO' })).toEqual({
      tool: 'search',
      path: worktree,
      pattern: 'TODO',
      agentTool: 'Grep',
    });
    expect(map('Glob', { pattern: '**/*.ts', path: '/usr' })).toMatchObject({ tool: 'search', path: '/usr' });
    expect(map('WebFetch', { url: 'https://example.com', prompt: 'read' })).toEqual({
      tool: 'network',
      agentTool: 'WebFetch',
    });
    expect(map('TodoWrite', { todos: [] })).toEqual({ tool: 'todowrite', agentTool: 'TodoWrite' });
    expect(map('mcp__town__sling', {})).toEqual({ tool: 'mcp__town__sling', agentTool: 'mcp__town__sling' });
  });
});
