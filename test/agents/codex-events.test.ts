// Codex's JSONL as the real binary prints it (fixtures captured from codex-cli 0.169.0 by
// fixtures/capture-codex-jsonl.ts): every line parses into a typed event; commands come out of
// their `bash -lc` wrapping whichever quotes Codex chose; the audit judges each command and file
// change no hook cleared, reports results against the authorized call, and kills on a deny.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodexEvent } from '../../src/agents/codex/events.js';
import { parseCodexLine } from '../../src/agents/codex/events.js';
import { CodexGovernor, giveUpReason } from '../../src/agents/codex/governor.js';
import { patchPaths, requestsFromHook, unwrapShell } from '../../src/agents/codex/tool-requests.js';
import type { AgentEvent, ToolReport, ToolRequest, ToolVerdict } from '../../src/agents/index.js';

const fixture = (name: string): CodexEvent[] =>
  readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .map(parseCodexLine)
    .filter((event): event is CodexEvent => event !== undefined);

describe('parsing codex exec --json', () => {
  it('reads every line of a real session into typed events', () => {
    const events = fixture('codex-exec.jsonl');
    expect(events.map((e) => e.type)).not.toContain('other');
    expect(events[0]).toMatchObject({
      type: 'thread.started',
      threadId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
    const items = events.flatMap((e) => ('item' in e ? [{ event: e.type, ...e.item }] : []));
    expect(items).toContainEqual(
      expect.objectContaining({
        type: 'reasoning',
        text: 'One command for hello.txt, one patch for notes.txt.',
      }) as unknown,
    );
    expect(items).toContainEqual(
      expect.objectContaining({ type: 'agent_message', text: 'Both files exist.' }) as unknown,
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        event: 'item.completed',
        type: 'command_execution',
        command: `/bin/bash -c "echo 'hello' > hello.txt && cat hello.txt"`,
        exitCode: 0,
        output: expect.stringContaining('hello\n') as unknown,
        status: 'completed',
      }) as unknown,
    );
    expect(items).toContainEqual(
      expect.objectContaining({ type: 'command_execution', exitCode: 3, status: 'failed' }) as unknown,
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        type: 'file_change',
        status: 'completed',
        changes: [{ path: expect.stringMatching(/\/notes\.txt$/) as unknown, kind: 'add' }],
      }) as unknown,
    );
    expect(events.at(-1)).toEqual({
      type: 'turn.completed',
      usage: {
        inputTokens: 4550,
        cachedInputTokens: 100,
        cacheWriteInputTokens: 0,
        outputTokens: 100,
        reasoningOutputTokens: 13,
      },
    });
  });

  it('reads a failed turn and its error', () => {
    const events = fixture('codex-exec-failed.jsonl');
    expect(events.map((e) => e.type)).toEqual([
      'thread.started',
      'item.completed',
      'item.completed',
      'turn.started',
      'error',
      'turn.failed',
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'turn.failed',
      message: expect.stringContaining('scripted bad request') as unknown,
    });
  });

  it('skips blank and non-JSON lines and keeps unknown ones', () => {
    expect(parseCodexLine('')).toBeUndefined();
    expect(parseCodexLine('Reading prompt from stdin...')).toBeUndefined();
    expect(parseCodexLine('{"type":"thread.renamed","name":"x"}')).toEqual({
      type: 'other',
      raw: { type: 'thread.renamed', name: 'x' },
    });
  });
});

describe('commands and patches in the policy vocabulary', () => {
  it('unwraps bash -lc in either quoting, and leaves other commands alone', () => {
    expect(unwrapShell(`/bin/bash -lc "echo 'hello' > hello.txt && cat hello.txt"`)).toBe(
      "echo 'hello' > hello.txt && cat hello.txt",
    );
    expect(unwrapShell(`/bin/bash -lc 'echo "a" '"'"'b'"'"''`)).toBe(`echo "a" 'b'`);
    expect(unwrapShell('/bin/sh -c "printf \\"%s\\" \\$HOME"')).toBe('printf "%s" $HOME');
    expect(unwrapShell('ls -la')).toBe('ls -la');
    expect(unwrapShell("/bin/bash -lc 'unbalanced")).toBe("/bin/bash -lc 'unbalanced");
  });

  it('reads the reason out of gt-give-up, and nothing out of other commands', () => {
    expect(giveUpReason('gt-give-up "sudo is not allowed"')).toBe('sudo is not allowed');
    expect(giveUpReason("  gt-give-up 'no network'")).toBe('no network');
    expect(giveUpReason('gt-give-up')).toBe('no reason given');
    expect(giveUpReason('gt-give-upx now')).toBeUndefined();
    expect(giveUpReason('echo gt-give-up')).toBeUndefined();
  });

  it('reads the paths a patch touches, and turns a hook call into one request per path', () => {
    const patch =
      '*** Begin Patch\n*** Update File: a.ts\n@@\n-x\n+y\n*** Move to: b.ts\n*** Delete File: c.ts\n*** End Patch';
    expect(patchPaths(patch)).toEqual([
      { path: 'a.ts', kind: 'update' },
      { path: 'b.ts', kind: 'add' },
      { path: 'c.ts', kind: 'delete' },
    ]);
    const hook = {
      tool_name: 'Bash',
      tool_use_id: 'call_1',
      tool_input: { command: `apply_patch <<'EOF'\n${patch}\nEOF\n` },
    };
    expect(requestsFromHook(hook, 'x')).toEqual([
      { callId: 'call_1#1', tool: 'edit', path: 'a.ts', agentTool: 'apply_patch' },
      { callId: 'call_1#2', tool: 'write', path: 'b.ts', agentTool: 'apply_patch' },
      { callId: 'call_1#3', tool: 'write', path: 'c.ts', agentTool: 'apply_patch' },
    ]);
    expect(
      requestsFromHook({ tool_name: 'Bash', tool_use_id: 'c2', tool_input: { command: 'npm test' } }, 'x'),
    ).toEqual([{ callId: 'c2', tool: 'run', command: 'npm test', agentTool: 'exec_command' }]);
    expect(
      requestsFromHook({ tool_name: 'view_image', tool_use_id: 'v', tool_input: { path: 'a.png' } }, 'x'),
    ).toEqual([{ callId: 'v', tool: 'read', path: 'a.png', agentTool: 'view_image' }]);
    expect(requestsFromHook({ tool_name: 'mcp__town__sling', tool_input: { bead: 'b' } }, 'h1')).toEqual([
      { callId: 'h1', tool: 'mcp', agentTool: 'mcp__town__sling', input: { bead: 'b' } },
    ]);
  });
});

function governed(deny: (request: ToolRequest) => boolean) {
  const asked: ToolRequest[] = [];
  const reports: ToolReport[] = [];
  const emitted: AgentEvent[] = [];
  const kills: string[] = [];
  const pauses: string[] = [];
  const governor = new CodexGovernor({
    worktree: '/work/wt',
    tools: {
      call: () => Promise.reject(new Error('codex runs its own tools')),
      authorize: (request): Promise<ToolVerdict> => {
        asked.push(request);
        const denied = deny(request);
        return Promise.resolve({
          callId: request.callId,
          decision: denied ? 'deny' : 'allow',
          policyDecision: denied ? 'deny' : 'allow',
          rule: denied ? 'builtin:test-deny' : 'builtin:test-allow',
          reason: denied ? 'not this one' : 'fine',
        });
      },
      report: (report) => reports.push(report),
    },
    emit: (event) => emitted.push(event),
    pause: () => pauses.push('pause'),
    resume: () => pauses.push('resume'),
    kill: (summary) => kills.push(summary),
  });
  const feed = async (events: CodexEvent[]) => {
    for (const event of events) {
      if (event.type === 'item.started') await governor.started(event.item);
      if (event.type === 'item.completed') await governor.completed(event.item);
    }
  };
  return { governor, asked, reports, emitted, kills, pauses, feed };
}

describe('the audit of what codex did', () => {
  it('judges each command and file change no hook cleared, and reports their results', async () => {
    const run = governed(() => false);
    await run.feed(fixture('codex-exec.jsonl'));
    expect(run.asked.map((r) => [r.tool, r.command ?? r.path])).toEqual([
      ['run', "echo 'hello' > hello.txt && cat hello.txt"],
      ['write', expect.stringMatching(/\/notes\.txt$/) as unknown],
      ['run', 'exit 3'],
    ]);
    expect(run.reports.map((r) => [r.status, r.exitCode])).toEqual([
      ['ok', 0],
      ['ok', undefined],
      ['error', 3],
    ]);
    expect(run.kills).toEqual([]);
    expect(run.pauses).toEqual(['pause', 'resume', 'pause', 'resume', 'pause', 'resume']);
  });

  it('lets a command the hook cleared through without asking again', async () => {
    const run = governed(() => false);
    await run.governor.preToolUse({
      tool_name: 'Bash',
      tool_use_id: 'call_9',
      tool_input: { command: "echo 'hello' > hello.txt && cat hello.txt" },
    });
    await run.feed(fixture('codex-exec.jsonl').slice(0, 8));
    expect(run.asked.map((r) => r.callId)).toEqual(['call_9']);
    expect(run.reports).toMatchObject([{ callId: 'call_9', status: 'ok', exitCode: 0 }]);
    expect(run.pauses).toEqual([]);
  });

  it('kills codex when a command it already started is denied, naming the rule', async () => {
    const run = governed((request) => request.command === 'exit 3');
    await run.feed(fixture('codex-exec.jsonl'));
    expect(run.kills).toHaveLength(1);
    expect(run.kills[0]).toContain('`exit 3`');
    expect(run.kills[0]).toContain('builtin:test-deny: not this one');
    expect(run.kills[0]).toContain('had already started');
    expect(run.emitted).toContainEqual({
      type: 'tool_result',
      outcome: expect.objectContaining({ status: 'denied', rule: 'builtin:test-deny' }) as unknown,
    });
  });

  it('answers the hook with a deny the model can read', async () => {
    const run = governed(() => true);
    const decision = await run.governor.preToolUse({
      tool_name: 'Bash',
      tool_use_id: 'c',
      tool_input: { command: 'sudo true' },
    });
    expect(decision.verdicts).toMatchObject([{ decision: 'deny', rule: 'builtin:test-deny' }]);
    expect(run.kills).toEqual([]);
  });
});
