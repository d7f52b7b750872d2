// Stalls: a `working` polecat whose session has not beaten for `stall_after_seconds` is nudged; one
// more silent period after the nudge, it is stopped (its process group killed, if recorded) and its
// bead handed back to the queue — or, past `max_redispatch` stalls, to the Overseer. The decision is a
// pure function of the clock, the heartbeat and the last nudge; the rest carries it out.
import { readFileSync } from 'node:fs';
import { writeTx } from '../../db/open.js';
import { liveMembers, reapGroup } from '../../sandbox/process-group.js';
import { queueNudge } from '../comms/nudges.js';
import type { PatrolContext, WitnessAction } from './witness-actions.js';
import { escalatedLabel, handBack, reworkLabel } from './witness-actions.js';
import type { PolecatRow, SessionRow } from '../polecat/index.js';
import { getSession } from '../polecat/index.js';
import { reviewLabel } from '../polecat/polecat-done.js';
import { WitnessEvent, countEvents, lastNudgeAt } from './witness-history.js';

export type StallDecision = 'healthy' | 'nudge' | 'waiting' | 'stop';

export interface StallInput {
  now: Date;
  heartbeat: Date;
  /** When the Witness last nudged this session, if it did. */
  lastNudge: Date | undefined;
  stallMs: number;
}

export function stallDecision({ now, heartbeat, lastNudge, stallMs }: StallInput): StallDecision {
  if (now.getTime() - heartbeat.getTime() < stallMs) return 'healthy';
  // Activity after the last nudge earns a fresh nudge rather than a stop.
  if (lastNudge === undefined || lastNudge.getTime() < heartbeat.getTime()) return 'nudge';
  return now.getTime() - lastNudge.getTime() >= stallMs ? 'stop' : 'waiting';
}

export async function patrolStall(ctx: PatrolContext, polecat: PolecatRow): Promise<WitnessAction[]> {
  const { town } = ctx;
  if (polecat.state === 'idle') return [];
  const session = polecat.session_id === null ? undefined : getSession(town.db, polecat.session_id);
  const heartbeat = new Date(session?.heartbeat_at ?? polecat.updated_at);
  const decision = stallDecision({
    now: ctx.now,
    heartbeat,
    lastNudge: session ? lastNudgeAt(town.db, session.id) : undefined,
    stallMs: ctx.settings.stall_after_seconds * 1000,
  });
  const base = { polecat: polecat.name, beadId: polecat.bead_id };
  if (decision === 'healthy' || decision === 'waiting') return [];
  const silentFor = Math.round((ctx.now.getTime() - heartbeat.getTime()) / 1000);
  if (decision === 'nudge') {
    if (!session) return stop(ctx, polecat, undefined, silentFor);
    const beadId = polecat.bead_id;
    writeTx(town.db, () => {
      town.ledger.append({
        kind: WitnessEvent.nudged,
        actor: ctx.actor,
        bead_id: beadId,
        session_id: session.id,
        payload: {
          polecat: polecat.name,
          at: ctx.now.toISOString(),
          heartbeat_at: session.heartbeat_at,
          silent_seconds: silentFor,
        },
      });
      // Through the nudges table, so the process running the session puts it into the live agent.
      queueNudge(town, {
        rig: ctx.rig.name,
        polecat: polecat.name,
        sessionId: session.id,
        beadId,
        from: ctx.actor,
        kind: 'nudge',
        text: stallNudgeText(silentFor),
      });
    });
    return [{ type: 'nudged', ...base, sessionId: session.id }];
  }
  return stop(ctx, polecat, session, silentFor);
}

/** What the Witness says to an agent that went quiet. */
export function stallNudgeText(silentFor: number): string {
  return `No activity from you for ${silentFor} s. If you are stuck, say what blocks you (or mail the overseer: gt mail send overseer -s <subject> -m <text>); otherwise carry on and finish the bead. Silence until the next patrol stops this session.`;
}

async function stop(
  ctx: PatrolContext,
  polecat: PolecatRow,
  session: SessionRow | undefined,
  silentFor: number,
): Promise<WitnessAction[]> {
  const beadId = polecat.bead_id ?? '';
  const pgid = session?.state === 'running' ? session.pgid : null;
  const killed = pgid === null ? false : await ctx.killGroup(pgid);
  const stalls = countEvents(ctx.town.db, beadId, WitnessEvent.stopped);
  const stopEvent = {
    kind: WitnessEvent.stopped,
    payload: { reason: 'stalled', pgid, killed, silent_seconds: silentFor },
  };
  const why = `polecat ${polecat.name} was silent for ${silentFor} s (stall_after_seconds ${ctx.settings.stall_after_seconds})${session ? ' and did not answer a nudge' : ' with no session'}`;
  const stopped: WitnessAction = {
    type: 'stopped',
    polecat: polecat.name,
    beadId,
    sessionId: session?.id ?? null,
    killed,
  };
  const common = {
    polecat,
    beadId,
    removeLabels: [reviewLabel],
    ...(session ? { endSession: { id: session.id, outcome: 'stalled' as const } } : {}),
  };
  if (stalls >= ctx.settings.max_redispatch) {
    const raised = await handBack(ctx, {
      ...common,
      comment: `Witness: ${why}. It stalled ${stalls + 1} time(s), past max_redispatch (${ctx.settings.max_redispatch}), so the Overseer decides what happens next.`,
      status: 'blocked',
      addLabel: escalatedLabel,
      removeLabels: [reviewLabel, reworkLabel],
      events: [
        stopEvent,
        { kind: WitnessEvent.escalated, payload: { reason: 'stalled', limit: 'max_redispatch' } },
      ],
      escalation: {
        key: `witness.stall:${beadId}`,
        kind: 'stall_limit',
        rig: ctx.rig.name,
        beadId,
        summary: `${beadId} stalled ${stalls + 1} time(s); last on polecat ${polecat.name}`,
      },
    });
    const escalated: WitnessAction = {
      type: 'escalated',
      polecat: polecat.name,
      beadId,
      reason: 'stalled',
      escalationId: raised?.id ?? 0,
      count: raised?.count ?? 0,
    };
    return [stopped, escalated];
  }
  const round = stalls + 1;
  await handBack(ctx, {
    ...common,
    comment: `Witness: ${why}. Stopped it; the bead is back in the queue (re-dispatch ${round} of ${ctx.settings.max_redispatch}).`,
    status: 'open',
    events: [stopEvent, { kind: WitnessEvent.redispatched, payload: { reason: 'stalled', round } }],
  });
  return [stopped, { type: 'redispatched', polecat: polecat.name, beadId, round }];
}

/** Kills a session's process group and waits for it; never our own group. True when it was alive. */
export async function killSessionGroup(pgid: number): Promise<boolean> {
  if (pgid <= 1 || pgid === process.pid || pgid === ownProcessGroup()) return false;
  if ((await liveMembers(pgid)).length === 0) return false;
  await reapGroup(pgid);
  return true;
}

function ownProcessGroup(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}
