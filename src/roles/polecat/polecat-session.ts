// One polecat session from start to end: claim the hooked bead, run the agent with the tool
// gateway inside its budgets, then commit. Success marks the bead ready for review; failure or an
// exhausted budget commits the work so far on the polecat's branch (never lost), puts the bead back
// to `open` with a comment, and — for budgets — raises an escalation.
import { randomBytes } from 'node:crypto';
import type { AgentConfig, AgentEvent, AgentRuntime, SessionContextRig } from '../../agents/index.js';
import type { Bead } from '../../beads/index.js';
import { newSpanId } from '../../ledger/index.js';
import type { Policy } from '../../policy/index.js';
import type { SandboxRunner, SandboxSpec } from '../../sandbox/index.js';
import { contextMountPath } from '../../sandbox/index.js';
import type { TownServices } from '../../town/services.js';
import { loadTownConfig } from '../../town/index.js';
import { budgetState, type BudgetState } from '../budget/budgets.js';
import { priceTable } from '../budget/prices.js';
import { commitPolecatWork, markReadyForReview } from './polecat-done.js';
import type { SessionEndOutcome } from './index.js';
import { endSession, movePolecat, recordAgentRef, startSession, touchSession } from './index.js';
import { createToolGateway } from '../gateway/tool-gateway.js';
import { raiseEscalation } from '../comms/escalations.js';
import { registerSession } from './active-sessions.js';
import { stepsOf } from './bead-steps.js';
import { agentEnv } from './agent-env.js';
import { startNudgeDelivery } from '../comms/nudge-delivery.js';
import { refreshAgentShims } from '../../agents/shims.js';
import type { PreparedContextRig } from './context-rigs.js';
import { synthesisDescription } from './molecule-synthesis.js';

export interface PolecatRun {
  town: TownServices;
  rig: string;
  polecat: string;
  bead: Bead;
  runtime: AgentRuntime;
  policy: Policy;
  runner: SandboxRunner;
  spec: SandboxSpec;
  /** The context rigs `spec.contextRigs` mounts, with their branch and head (src/roles/polecat/context-rigs.ts). */
  contextRigs?: PreparedContextRig[];
  branch: string;
  home: string;
  approvalPollMs?: number;
  /** The agent's settings from `town.yaml`. */
  agentConfig?: AgentConfig;
  /** The caller's environment, passed on to the agent (default: this process's). */
  env?: Record<string, string | undefined>;
  /** The agent's own conversation to continue (handoff, crash recovery). */
  resume?: string;
  /** What the session starts with besides its hook: unread mail, the handoff note. */
  preamble?: string;
}

/** `handoff`: stopped so a new session continues the bead; the bead stays hooked on the polecat. */
export type SessionOutcome = Extract<
  SessionEndOutcome,
  'success' | 'failure' | 'budget_exceeded' | 'handoff'
>;

export interface SessionResult {
  sessionId: string;
  outcome: SessionOutcome;
  summary: string;
  commit?: string;
}

export async function runPolecatSession(run: PolecatRun): Promise<SessionResult> {
  const { town, bead } = run;
  const actor = `${run.rig}/polecats/${run.polecat}`;
  const sessionId = `ses-${randomBytes(6).toString('hex')}`;
  const span = newSpanId();
  const started = Date.now();
  // Prices and the town's daily caps from town.yaml: usage is priced and checked as it arrives.
  const townConfig = await loadTownConfig(town.paths.root);
  const prices = priceTable(townConfig.prices);
  const budget: BudgetState = budgetState(town.db, run.policy, bead.id, started, {
    sessionId,
    town: townConfig.budgets,
  });
  const contextRigs = contextViews(run);
  startSession(town, {
    sessionId,
    contextRigs: contextRigs.map(({ name, branch, head, note }) => ({
      name,
      branch,
      head,
      ...(note === undefined ? {} : { note }),
    })),
    span,
    rig: run.rig,
    polecat: run.polecat,
    beadId: bead.id,
    runtime: run.runtime.name,
    worktree: run.spec.worktree,
    branch: run.branch,
    ...(run.resume === undefined ? {} : { resume: run.resume }),
  });
  await town.beads.claim(bead.id, actor, { actor });
  const abort = new AbortController();
  const gateway = createToolGateway({
    ledger: town.ledger,
    policy: run.policy,
    runner: run.runner,
    spec: run.spec,
    home: run.home,
    session: {
      sessionId,
      sessionSpan: span,
      beadId: bead.id,
      rig: run.rig,
      polecat: run.polecat,
      agent: run.runtime.name,
    },
    budgetCheck: () => budget.check(),
    usageCheck: (inFlightTokens) => budget.usageSpentWith(inFlightTokens),
    onToolCall: () => budget.countToolCall(town.db, sessionId),
    signal: abort.signal,
    ...(run.approvalPollMs === undefined ? {} : { approvalPollMs: run.approvalPollMs }),
  });
  // `gt` and `bd` on the agent's PATH point at this town (a missing build only loses the shims).
  refreshAgentShims(run.spec.townRoot);
  // A convoy formula's synthesis starts with what its legs reported (files or final messages).
  const description = (await synthesisDescription(town, bead, run.spec.worktree, actor)) ?? bead.description;
  const session = run.runtime.start({
    sessionId,
    worktree: run.spec.worktree,
    task: {
      beadId: bead.id,
      title: bead.title,
      ...(description ? { description } : {}),
      steps: stepsOf(bead),
    },
    tools: gateway,
    config: run.agentConfig ?? {},
    sandbox: run.policy.sandbox,
    env: agentEnv({
      root: run.spec.townRoot,
      sessionId,
      beadId: bead.id,
      rig: run.rig,
      polecat: run.polecat,
      base: run.env ?? process.env,
    }),
    ...(run.resume === undefined ? {} : { resume: run.resume }),
    ...(run.preamble === undefined ? {} : { preamble: run.preamble }),
    ...(contextRigs.length === 0 ? {} : { contextRigs }),
  });
  const wallTimer =
    budget.wallMs === undefined
      ? undefined
      : setTimeout(() => {
          budget.markWallExceeded();
          abort.abort();
          void session.stop('wall-time budget spent');
        }, budget.wallMs);
  // A token or USD budget stops the session like the wall clock does; the next tool call is refused.
  const stopForBudget = (reason: string): void => {
    if (abort.signal.aborted) return;
    abort.abort();
    void session.stop(reason);
  };
  const spentAlready = budget.usageSpent();
  if (spentAlready !== undefined) stopForBudget(spentAlready);
  let stoppedFor: string | undefined;
  const stopFor = (reason: string): void => {
    stoppedFor = reason;
    abort.abort();
    void session.stop(reason);
  };
  const unregister = registerSession(sessionId, stopFor);
  // `gt nudge` / `gt handoff` and the Witness reach the live session through the nudges table.
  const delivery = startNudgeDelivery({
    town,
    rig: run.rig,
    polecat: run.polecat,
    sessionId,
    beadId: bead.id,
    nudge: (text) => session.nudge(text),
    handoff: () => stopFor('handoff'),
  });
  let done: Extract<AgentEvent, { type: 'done' }> | undefined;
  let lastOutput = '';
  try {
    for await (const event of session.events) {
      touchSession(town.db, sessionId);
      if (event.type === 'done') done = event;
      else if (event.type === 'tool_result') lastOutput = event.outcome.output;
      else if (event.type === 'agent_session') recordAgentRef(town.db, sessionId, event.id);
      else if (event.type === 'error')
        done = { type: 'done', outcome: 'failure', summary: `agent error: ${event.message}` };
      else if (event.type === 'usage') {
        const { type: _type, ...reported } = event;
        const over = budget.recordUsage(
          town,
          {
            ...reported,
            sessionId,
            beadId: bead.id,
            rig: run.rig,
            agent: run.runtime.name,
            actor,
            parentSpan: span,
          },
          prices,
        );
        if (over !== undefined) stopForBudget(over);
      } else recordAgentEvent(run, sessionId, span, event);
    }
  } finally {
    if (wallTimer) clearTimeout(wallTimer);
    unregister();
    delivery.stop();
  }
  const handedOff = stoppedFor === 'handoff' && done?.outcome !== 'success';
  if (stoppedFor !== undefined && done?.outcome !== 'success') {
    done = { type: 'done', outcome: 'failure', summary: `stopped: ${stoppedFor}` };
  }
  const spent = budget.exceeded();
  let outcome: SessionOutcome = spent
    ? 'budget_exceeded'
    : handedOff
      ? 'handoff'
      : done?.outcome === 'success'
        ? 'success'
        : 'failure';
  let summary = spent ?? done?.summary ?? 'the session ended without a result';
  const saved = await commitPolecatWork(
    town,
    run,
    sessionId,
    outcome === 'success' ? bead.title : `WIP: ${summary}`,
  );
  const commit = saved.commit;
  if (saved.tamper !== undefined) {
    // Whatever the agent said, a session that rewrote what host git relies on has failed.
    outcome = 'failure';
    summary = saved.tamper.message;
  }
  if (outcome === 'success') {
    await markReadyForReview(town, { beadId: bead.id, rig: run.rig, polecat: run.polecat, commit });
    // Unless the Witness or the Deacon handed the bead back meanwhile.
    movePolecat(
      town.db,
      { rig: run.rig, name: run.polecat },
      { to: 'review' },
      { from: ['working', 'review'], beadId: bead.id, recordedBy: 'polecat.done' },
    );
  } else if (outcome === 'handoff') {
    // The bead stays in progress on this polecat: the caller starts the next session on it. The
    // claim refreshes it, so the Deacon's grace for beads without a live session covers the gap.
    await town.beads.addComment(
      bead.id,
      `Handoff: session ${sessionId} stopped; its work so far is ${commit ? `committed on ${run.branch} (${commit.slice(0, 12)})` : 'unchanged'}. A new session continues.`,
      { actor },
    );
    await town.beads.claim(bead.id, actor, { actor });
  } else {
    await town.beads.addComment(bead.id, failureComment(summary, lastOutput, commit, run.branch), { actor });
    await town.beads.update(bead.id, { status: 'open', assignee: null }, { actor });
    movePolecat(
      town.db,
      { rig: run.rig, name: run.polecat },
      { to: 'stopped' },
      { from: ['working', 'review'], beadId: bead.id, recordedBy: 'bead.updated' },
    );
    if (outcome === 'budget_exceeded') {
      raiseEscalation(
        town,
        {
          key: `budget:${bead.id}`,
          kind: 'budget',
          rig: run.rig,
          beadId: bead.id,
          summary: `${summary}${commit ? ` (work so far: ${commit.slice(0, 12)})` : ''}`,
        },
        actor,
      );
    }
  }
  endSession(town, {
    sessionId,
    span,
    actor,
    beadId: bead.id,
    outcome,
    summary,
    commit,
    toolCalls: budget.toolCalls,
    durationMs: Date.now() - started,
  });
  return { sessionId, outcome, summary, ...(commit ? { commit } : {}) };
}

/** Where the agent sees each context rig: the sandbox's read-only mount, or (no sandbox) the snapshot. */
function contextViews(run: PolecatRun): SessionContextRig[] {
  const sandboxed = run.runner.mode !== 'none';
  return (run.contextRigs ?? []).map((rig) => ({
    ...rig,
    path: sandboxed ? contextMountPath(run.spec.worktree, rig.name) : rig.source,
  }));
}

function recordAgentEvent(run: PolecatRun, sessionId: string, span: string, event: AgentEvent): void {
  const kinds: Partial<Record<AgentEvent['type'], string>> = {
    message: 'agent.message',
    reasoning: 'agent.reasoning',
    tool_call: 'agent.tool_request',
  };
  const kind = kinds[event.type];
  if (kind === undefined || event.type === 'tool_call') return;
  const { type: _type, ...payload } = event;
  run.town.ledger.append({
    kind,
    actor: `${run.rig}/polecats/${run.polecat}`,
    bead_id: run.bead.id,
    session_id: sessionId,
    parent_span_id: span,
    payload,
  });
}

function failureComment(summary: string, output: string, commit: string | undefined, branch: string): string {
  const saved = commit
    ? `Work so far is committed on ${branch} (${commit.slice(0, 12)}).`
    : 'There was no work to commit.';
  const tail =
    output.trim() === '' ? '' : `\n\nLast output:\n${output.trim().split('\n').slice(-40).join('\n')}`;
  return `Polecat session failed: ${summary}\n${saved}${tail}`;
}
