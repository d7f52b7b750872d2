// Holds Codex to the policy twice over. First, its PreToolUse hook: every command, patch and MCP
// call is judged before it runs (a deny goes back to the model as the tool's answer). Second, the
// JSONL: each command, file change, MCP call or web search that Codex reports must match a call the
// hook cleared; one that does not (hooks switched off, a tool the hook does not cover, a Codex that
// changed its ways) is judged the moment it shows up, with Codex paused meanwhile, and a deny kills
// Codex — by then the call has begun, which the summary says. Results go to the ledger through
// `report` against the call the hook (or the audit) authorized. Neither layer sees text typed into
// a running process (`write_stdin`): see docs/agents-codex.md.
import type { AgentEvent, ToolGateway, ToolReport, ToolRequest, ToolVerdict } from '../runtime.js';
import type { CodexItem } from './events.js';
import type { HookDecision } from './hook-server.js';
import type { HookInput } from './tool-requests.js';
import { absolutePath, fileTool, requestsFromHook, unwrapShell } from './tool-requests.js';

interface Cleared {
  requests: ToolRequest[];
  verdicts: ToolVerdict[];
  /** The raw command, for matching a command_execution item. */
  command?: string;
  /** Absolute paths, for matching a file_change item. */
  paths?: string[];
  agentTool?: string;
}

export interface GovernorOptions {
  tools: ToolGateway;
  worktree: string;
  emit(event: AgentEvent): void;
  /** Holds Codex still while an unseen call is judged, and lets it go again. */
  pause(): void;
  resume(): void;
  /** Ends Codex at once; the session ends as a failure with this summary. */
  kill(summary: string): void;
}

/**
 * How Codex gives up (the model runtimes' `give_up` tool): the prompt tells it to run
 * `gt-give-up "<reason>"`. The command never runs; the session ends as a failure with the reason.
 */
export const giveUpCommand = 'gt-give-up';
const giveUpPattern = /^\s*gt-give-up(?:\s+([\s\S]*))?$/;

/** The reason in a `gt-give-up` command, or undefined for any other command. */
export function giveUpReason(command: string): string | undefined {
  const match = giveUpPattern.exec(command);
  if (!match) return undefined;
  const reason = (match[1] ?? '').trim().replace(/^(['"])([\s\S]*)\1$/, '$2');
  return reason === '' ? 'no reason given' : reason;
}

const maxOutput = 64 * 1024;
const clip = (text: string) => (text.length > maxOutput ? `${text.slice(0, maxOutput)}\n… (clipped)` : text);

export class CodexGovernor {
  private readonly pending: Cleared[] = [];
  private readonly items = new Map<string, Cleared>();
  private hookCalls = 0;
  private killed = false;
  private lastDenial: string | undefined;

  constructor(private readonly options: GovernorOptions) {}

  /** The hook's question: may this call run? */
  async preToolUse(input: HookInput): Promise<HookDecision> {
    this.hookCalls += 1;
    const requests = requestsFromHook(input, `hook-${this.hookCalls}`);
    const givenUp = this.givingUp(requests[0]?.command);
    if (givenUp !== undefined) return { requests, verdicts: [givenUp] };
    const cwd = input.cwd ?? this.options.worktree;
    const verdicts = await this.judge(requests);
    if (verdicts.every((verdict) => verdict.decision === 'allow')) {
      const first = requests[0];
      const files = requests.filter((request) => request.path !== undefined);
      this.pending.push({
        requests,
        verdicts,
        ...(first?.tool === 'run' && first.command !== undefined ? { command: first.command } : {}),
        ...(files.length > 0 ? { paths: files.map((request) => absolutePath(request.path ?? '', cwd)) } : {}),
        ...(first?.agentTool === undefined ? {} : { agentTool: first.agentTool }),
      });
    }
    return { requests, verdicts };
  }

  /** A `gt-give-up` ends the session (its answer to the hook blocks the command itself). */
  private givingUp(command: string | undefined): ToolVerdict | undefined {
    const reason = command === undefined ? undefined : giveUpReason(command);
    if (reason === undefined) return undefined;
    if (!this.killed) {
      this.killed = true;
      const denied = this.lastDenial === undefined ? '' : ` (last denied call: ${this.lastDenial})`;
      this.options.kill(`gave up: ${reason}${denied}`);
    }
    return {
      callId: giveUpCommand,
      decision: 'deny',
      policyDecision: 'deny',
      rule: giveUpCommand,
      reason: 'the session ends here, as you asked',
    };
  }

  /** Judges requests in order, stopping at the first deny (which the gateway has recorded). */
  private async judge(requests: readonly ToolRequest[]): Promise<ToolVerdict[]> {
    const verdicts: ToolVerdict[] = [];
    for (const request of requests) {
      this.options.emit({ type: 'tool_call', request });
      const verdict = await this.options.tools.authorize(request);
      verdicts.push(verdict);
      if (verdict.decision === 'deny') {
        this.lastDenial = `${verdict.rule}: ${verdict.reason}`;
        this.options.emit({
          type: 'tool_result',
          outcome: {
            callId: request.callId,
            status: 'denied',
            decision: verdict.policyDecision,
            rule: verdict.rule,
            reason: verdict.reason,
            output: `denied by ${verdict.rule}: ${verdict.reason}`,
          },
        });
        break;
      }
    }
    return verdicts;
  }

  private take(match: (cleared: Cleared) => boolean): Cleared | undefined {
    const index = this.pending.findIndex(match);
    return index < 0 ? undefined : this.pending.splice(index, 1)[0];
  }

  /** What the hook did not clear, judged now with Codex paused; a deny kills Codex. */
  private async audit(item: CodexItem, requests: ToolRequest[], what: string): Promise<void> {
    this.options.pause();
    try {
      const verdicts = await this.judge(requests);
      this.items.set(item.id, { requests, verdicts });
      const denied = verdicts.find((verdict) => verdict.decision === 'deny');
      if (denied !== undefined && !this.killed) {
        this.killed = true;
        this.options.kill(
          `codex ran ${what} without the policy's clearance, and the policy denies it ` +
            `(${denied.rule}: ${denied.reason}); it had already started when it was judged, and codex was killed`,
        );
      }
    } finally {
      this.options.resume();
    }
  }

  /** An item appeared (item.started, or item.completed for items that never start). */
  async started(item: CodexItem): Promise<void> {
    if (this.items.has(item.id)) return;
    const { worktree } = this.options;
    switch (item.type) {
      case 'command_execution': {
        const command = unwrapShell(item.command);
        if (this.givingUp(command) !== undefined) return;
        const cleared = this.take((c) => c.command === command || c.command === item.command);
        if (cleared) this.items.set(item.id, cleared);
        else {
          const request = { callId: `codex-${item.id}`, tool: 'run', command, agentTool: 'exec_command' };
          await this.audit(item, [request], `\`${command}\``);
        }
        return;
      }
      case 'file_change': {
        const paths = item.changes.map((change) => absolutePath(change.path, worktree));
        const cleared = this.take(
          (c) => c.paths !== undefined && paths.every((path) => c.paths?.includes(path)),
        );
        if (cleared) this.items.set(item.id, cleared);
        else {
          const requests = item.changes.map((change, index) => ({
            callId: `codex-${item.id}${item.changes.length > 1 ? `#${index + 1}` : ''}`,
            tool: fileTool(change.kind),
            path: absolutePath(change.path, worktree),
            agentTool: 'apply_patch',
          }));
          await this.audit(item, requests, `a change to ${paths.join(', ')}`);
        }
        return;
      }
      case 'mcp_tool_call': {
        const name = `mcp__${item.server}__${item.tool}`;
        const cleared = this.take((c) => c.agentTool === name);
        if (cleared) this.items.set(item.id, cleared);
        else {
          const input = typeof item.arguments === 'object' && item.arguments !== null ? item.arguments : {};
          const request = {
            callId: `codex-${item.id}`,
            tool: 'mcp',
            agentTool: name,
            input: input as Record<string, unknown>,
          };
          await this.audit(item, [request], `the MCP tool ${name}`);
        }
        return;
      }
      case 'web_search': {
        const request = {
          callId: `codex-${item.id}`,
          tool: 'network',
          agentTool: 'web_search',
          input: { query: item.query },
        };
        await this.audit(item, [request], `a web search for "${item.query}"`);
        return;
      }
      default:
        return;
    }
  }

  /** An item finished: its result goes to the ledger against the call that was authorized. */
  async completed(item: CodexItem): Promise<void> {
    await this.started(item);
    const cleared = this.items.get(item.id);
    if (cleared === undefined) return;
    this.items.delete(item.id);
    const result = resultOf(item);
    if (result === undefined) return;
    cleared.requests.forEach((request, index) => {
      const verdict = cleared.verdicts[index];
      if (verdict === undefined || verdict.decision !== 'allow') return;
      const report: ToolReport = { callId: request.callId, ...result };
      this.options.tools.report(report);
      this.options.emit({
        type: 'tool_result',
        outcome: { ...report, decision: verdict.policyDecision, rule: verdict.rule, reason: verdict.reason },
      });
    });
  }
}

function resultOf(item: CodexItem): Omit<ToolReport, 'callId'> | undefined {
  switch (item.type) {
    case 'command_execution':
      return {
        status: item.exitCode === 0 ? 'ok' : 'error',
        output: clip(item.output),
        ...(item.exitCode === undefined ? {} : { exitCode: item.exitCode }),
      };
    case 'file_change':
      return {
        status: item.status === 'completed' ? 'ok' : 'error',
        output: item.changes.map((change) => `${change.kind} ${change.path}`).join('\n'),
      };
    case 'mcp_tool_call':
      return {
        status: item.status === 'completed' ? 'ok' : 'error',
        output: clip(item.error ?? JSON.stringify(item.result)),
      };
    case 'web_search':
      return { status: 'ok', output: `searched the web for "${item.query}"` };
    default:
      return undefined;
  }
}
