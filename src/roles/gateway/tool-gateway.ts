// The one door through which a polecat's session acts: each tool call is judged by the policy,
// parked for the Overseer when the answer is `ask`, run in the sandbox when allowed, counted
// against the session's budget, and recorded in the ledger (call, decision with its rule, result).
import type { ToolGateway, ToolOutcome, ToolReport, ToolRequest, ToolVerdict } from '../../agents/index.js';
import type { Ledger } from '../../ledger/index.js';
import { newSpanId } from '../../ledger/index.js';
import type { Policy } from '../../policy/index.js';
import { evaluate } from '../../policy/index.js';
import type { SandboxRunner, SandboxSpec } from '../../sandbox/index.js';
import { contextMounts } from '../../sandbox/index.js';
import { parkApproval, waitForDecision } from './approvals.js';
import { isFrozen } from '../budget/town-state.js';
import { runFileTool } from './file-tools.js';

export interface SessionIdentity {
  sessionId: string;
  sessionSpan: string;
  beadId: string;
  rig: string;
  polecat: string;
  agent: string;
}

export interface GatewayOptions {
  ledger: Ledger;
  policy: Policy;
  runner: SandboxRunner;
  spec: SandboxSpec;
  session: SessionIdentity;
  home: string;
  /** Called before each call; returns a reason to refuse it (budget spent, session stopping). */
  budgetCheck: () => string | undefined;
  /** A spent token or USD budget, counting a model call's tokens still streaming (the egress gate). */
  usageCheck?: (inFlightTokens: number) => string | undefined;
  onToolCall: () => void;
  stepTimeoutMs?: number;
  signal?: AbortSignal;
  approvalPollMs?: number;
}

const maxOutput = 64 * 1024;

export function createToolGateway(options: GatewayOptions): ToolGateway {
  const { ledger, session } = options;
  const actor = `${session.rig}/polecats/${session.polecat}`;
  const record = (kind: string, span: string, payload: Record<string, unknown>) =>
    ledger.append({
      kind,
      actor,
      bead_id: session.beadId,
      session_id: session.sessionId,
      span_id: span,
      parent_span_id: session.sessionSpan,
      payload,
    });
  // Calls the agent runs itself are reported after the fact; their result joins the call's span.
  const spans = new Map<string, string>();

  const authorize = async (request: ToolRequest): Promise<ToolVerdict & { span: string }> => {
    const span = newSpanId();
    const refusal = options.budgetCheck();
    const decided = refusal
      ? { decision: 'deny' as const, rule: 'budget', reason: refusal }
      : evaluate(
          options.policy,
          {
            tool: request.tool,
            command: request.command,
            path: request.path,
            host: request.host,
            port: request.port,
            privateAddress: request.privateAddress,
            agent: session.agent,
            rig: session.rig,
            role: 'polecat',
          },
          {
            worktree: options.spec.worktree,
            home: options.home,
            townRoot: options.spec.townRoot,
            // Where the agent reaches them: the sandbox's read-only mounts, else the snapshots.
            readOnly: contextMounts(options.spec).map((mount) =>
              options.runner.mode === 'none' ? mount.source : mount.path,
            ),
          },
        );
    options.onToolCall();
    record('tool.call', span, {
      tool: request.tool,
      call_id: request.callId,
      agent_tool: request.agentTool,
      command: request.command,
      path: request.path,
      pattern: request.pattern,
      host: request.host,
      port: request.port,
      private_address: request.privateAddress,
      decision: decided.decision,
      rule: decided.rule,
      reason: decided.reason,
      part: 'part' in decided ? decided.part : undefined,
    });
    const verdict = { callId: request.callId, policyDecision: decided.decision, span };
    if (decided.decision !== 'ask') return { ...verdict, ...decided, decision: decided.decision };
    const approval = parkApproval(
      ledger,
      {
        session_id: session.sessionId,
        bead_id: session.beadId,
        rig: session.rig,
        polecat: session.polecat,
        tool: request.tool,
        // A destination is shown (and `approve --always` allows it) as `host:port`.
        command:
          request.command ??
          (request.host === undefined ? undefined : `${request.host}:${request.port ?? ''}`),
        ...('part' in decided && decided.part !== undefined ? { part: decided.part } : {}),
        path: request.path,
        rule: decided.rule,
        reason: decided.reason,
      },
      options.policy.approvals.timeout_seconds,
    );
    const status = await waitForDecision(ledger, approval.id, {
      pollMs: options.approvalPollMs,
      signal: options.signal,
    });
    const rule = `approval:${approval.id}`;
    if (status === 'approved') {
      return { ...verdict, decision: 'allow', rule, reason: `approved by the Overseer (${decided.rule})` };
    }
    const reason = status === 'expired' ? 'nobody answered in time' : 'denied by the Overseer';
    return { ...verdict, decision: 'deny', rule, reason };
  };

  const deny = (verdict: ToolVerdict & { span: string }) =>
    record('tool.result', verdict.span, {
      call_id: verdict.callId,
      status: 'denied',
      rule: verdict.rule,
      reason: verdict.reason,
    });

  return {
    record(kind, payload) {
      record(kind, newSpanId(), payload);
    },

    modelBudget(inFlightTokens) {
      return options.usageCheck?.(inFlightTokens);
    },

    async authorize(request) {
      const { span, ...verdict } = await authorize(request);
      if (verdict.decision === 'deny') deny({ ...verdict, span });
      else spans.set(request.callId, span);
      return verdict;
    },

    report(result: ToolReport) {
      const span = spans.get(result.callId) ?? newSpanId();
      spans.delete(result.callId);
      record('tool.result', span, {
        call_id: result.callId,
        status: result.status,
        exit_code: result.exitCode,
        output: result.output,
      });
    },

    async call(request: ToolRequest): Promise<ToolOutcome> {
      const verdict = await authorize(request);
      const base = {
        callId: request.callId,
        decision: verdict.policyDecision,
        rule: verdict.rule,
        reason: verdict.reason,
      };
      if (verdict.decision !== 'allow') {
        deny(verdict);
        return { ...base, status: 'denied', output: `denied by ${verdict.rule}: ${verdict.reason}` };
      }
      // An e-stop holds new steps until the thaw.
      while (isFrozen(ledger.db, session.rig) && !options.signal?.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (request.tool !== 'run' || request.command === undefined) {
        const result = await runFileTool(request, options.spec, options.runner, options.signal);
        record('tool.result', verdict.span, { call_id: request.callId, ...result });
        return { ...base, ...result, output: clip(result.output) };
      }
      const result = await options.runner.run(options.spec, request.command, {
        onSpawn: (proc) => {
          ledger.db.prepare('UPDATE sessions SET pgid = ? WHERE id = ?').run(proc.pgid, session.sessionId);
        },
        ...(options.stepTimeoutMs === undefined ? {} : { timeoutMs: options.stepTimeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      const output = clip(result.stdout + (result.stderr ? `\n${result.stderr}` : ''));
      const status = result.exitCode === 0 && !result.timedOut && !result.aborted ? 'ok' : 'error';
      record('tool.result', verdict.span, {
        call_id: request.callId,
        status,
        exit_code: result.exitCode,
        timed_out: result.timedOut,
        stdout: result.stdout,
        stderr: result.stderr,
      });
      return { ...base, status, exitCode: result.exitCode, output };
    },
  };
}

function clip(text: string): string {
  return text.length > maxOutput
    ? `${text.slice(0, maxOutput)}\n… (${text.length - maxOutput} more characters in the ledger)`
    : text;
}
