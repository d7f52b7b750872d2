// The one door through which a polecat's session acts: each tool call is judged by the policy,
// parked for the Overseer when the answer is `ask`, run in the sandbox when allowed, counted
// against the session's budget, and recorded in the ledger (call, decision with its rule, result).
import type { ToolGateway, ToolOutcome, ToolRequest } from '../agents/index.js';
import type { Ledger } from '../ledger/index.js';
import { newSpanId } from '../ledger/index.js';
import type { Policy } from '../policy/index.js';
import { evaluate } from '../policy/index.js';
import type { SandboxRunner, SandboxSpec } from '../sandbox/index.js';
import { contextMounts } from '../sandbox/index.js';
import { parkApproval, waitForDecision } from './approvals.js';
import { isFrozen } from './town-state.js';

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

  return {
    async call(request: ToolRequest): Promise<ToolOutcome> {
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
              agent: session.agent,
              rig: session.rig,
              role: 'polecat',
            },
            {
              worktree: options.spec.worktree,
              home: options.home,
              townRoot: options.spec.townRoot,
              readOnly: contextMounts(options.spec).map((mount) => mount.path),
            },
          );
      options.onToolCall();
      record('tool.call', span, {
        tool: request.tool,
        call_id: request.callId,
        command: request.command,
        path: request.path,
        decision: decided.decision,
        rule: decided.rule,
        reason: decided.reason,
        part: 'part' in decided ? decided.part : undefined,
      });
      let decision = decided;
      if (decided.decision === 'ask') {
        const approval = parkApproval(
          ledger,
          {
            session_id: session.sessionId,
            bead_id: session.beadId,
            rig: session.rig,
            polecat: session.polecat,
            tool: request.tool,
            command: request.command,
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
        decision =
          status === 'approved'
            ? {
                decision: 'allow',
                rule: `approval:${approval.id}`,
                reason: `approved by the Overseer (${decided.rule})`,
              }
            : {
                decision: 'deny',
                rule: `approval:${approval.id}`,
                reason: status === 'expired' ? 'nobody answered in time' : 'denied by the Overseer',
              };
      }
      const base = {
        callId: request.callId,
        decision: decided.decision,
        rule: decision.rule,
        reason: decision.reason,
      };
      if (decision.decision !== 'allow') {
        const outcome: ToolOutcome = {
          ...base,
          status: 'denied',
          output: `denied by ${decision.rule}: ${decision.reason}`,
        };
        record('tool.result', span, {
          call_id: request.callId,
          status: 'denied',
          rule: decision.rule,
          reason: decision.reason,
        });
        return outcome;
      }
      if (request.tool !== 'run' || request.command === undefined) {
        const output = `the ${request.tool} tool is not available to this runtime yet`;
        record('tool.result', span, { call_id: request.callId, status: 'error', output });
        return { ...base, status: 'error', output };
      }
      // An e-stop holds new steps until the thaw.
      while (isFrozen(ledger.db, session.rig) && !options.signal?.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 250));
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
      record('tool.result', span, {
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
