// What a Witness patrol can do, and the one way it hands a bead back: a comment that says why, the
// labels that say where it stands, the bead unassigned (open for another round, or blocked for the
// Overseer), the polecat stopped. The polecat's change, the Witness's ledger event and any escalation
// commit in one transaction, last, so a crash part-way is simply redone by the next patrol.
import { writeTx } from '../../db/open.js';
import type { RunnerChoice } from '../../sandbox/index.js';
import type { TownConfig } from '../../town/config.js';
import type { RigRow } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import type { EscalationInput } from '../comms/escalations.js';
import { raiseEscalation } from '../comms/escalations.js';
import type { PolecatRow } from '../polecat/index.js';
import type { SessionEndOutcome } from '../polecat/index.js';
import { endSessionRow, movePolecat } from '../polecat/index.js';
import type { WitnessEvent } from './witness-history.js';
import type { MergeQueue } from './witness-queue.js';

export type WitnessSettings = TownConfig['witness'];

export { reworkLabel } from '../polecat/polecat-done.js';
export const escalatedLabel = 'gt:escalated';

export type WitnessAction =
  | {
      type: 'verified';
      polecat: string;
      beadId: string;
      head: string;
      commitsAhead: number;
      checked: boolean;
    }
  | { type: 'rework'; polecat: string; beadId: string; reason: string; round: number }
  | {
      type: 'escalated';
      polecat: string;
      beadId: string;
      reason: string;
      escalationId: number;
      count: number;
    }
  | { type: 'nudged'; polecat: string; beadId: string; sessionId: string }
  | { type: 'stopped'; polecat: string; beadId: string; sessionId: string | null; killed: boolean }
  | { type: 'redispatched'; polecat: string; beadId: string; round: number }
  | { type: 'error'; polecat: string; beadId: string | null; message: string };

/** Everything one patrol works with; built once per tick. */
export interface PatrolContext {
  town: TownServices;
  root: string;
  rig: RigRow;
  actor: string;
  queue: MergeQueue;
  settings: WitnessSettings;
  now: Date;
  /** The sandbox runner for check commands, or why there is none. */
  runner: RunnerChoice;
  checkTimeoutMs: number;
  /** Kills a session's process group; true when something was killed. */
  killGroup: (pgid: number) => Promise<boolean>;
}

export interface HandBack {
  polecat: PolecatRow;
  beadId: string;
  comment: string;
  /** `open`: back in the queue for another round; `blocked`: waits for the Overseer. */
  status: 'open' | 'blocked';
  addLabel?: string;
  removeLabels: string[];
  /** The Witness's ledger events for this hand-back, in order (the last one carries the escalation). */
  events: { kind: WitnessEvent; payload: Record<string, unknown> }[];
  escalation?: EscalationInput;
  /** A session to mark ended (a stalled one) in the same transaction. */
  endSession?: { id: string; outcome: SessionEndOutcome };
}

/** Hands a bead back; returns the escalation it raised or folded into, if any. */
export async function handBack(
  ctx: PatrolContext,
  back: HandBack,
): Promise<{ id: number; count: number } | undefined> {
  const { town, actor } = ctx;
  await town.beads.addComment(back.beadId, back.comment, { actor });
  for (const label of back.removeLabels) await town.beads.removeLabel(back.beadId, label, { actor });
  if (back.addLabel !== undefined) await town.beads.addLabel(back.beadId, back.addLabel, { actor });
  await town.beads.update(back.beadId, { status: back.status, assignee: null }, { actor });
  // The events say why the polecat stops; the last one records the move.
  const recordedBy = back.events.at(-1)?.kind;
  return writeTx(town.db, () => {
    const raised = back.escalation ? raiseEscalation(town, back.escalation, actor) : undefined;
    if (back.endSession && recordedBy !== undefined) {
      endSessionRow(town.db, back.endSession.id, {
        outcome: back.endSession.outcome,
        recordedBy,
        at: ctx.now,
        ifRunning: true,
      });
    }
    movePolecat(
      town.db,
      { rig: back.polecat.rig, name: back.polecat.name },
      { to: 'stopped' },
      {
        from: ['working', 'review'],
        beadId: back.beadId,
        ...(recordedBy === undefined ? {} : { recordedBy }),
      },
    );
    back.events.forEach((event, n) => {
      const last = n === back.events.length - 1;
      town.ledger.append({
        kind: event.kind,
        actor,
        bead_id: back.beadId,
        ...(back.polecat.session_id === null ? {} : { session_id: back.polecat.session_id }),
        payload: {
          ...event.payload,
          polecat: back.polecat.name,
          session: back.polecat.session_id,
          bead_status: back.status,
          ...(last && raised ? { escalation: raised.id, escalation_count: raised.count } : {}),
        },
      });
    });
    return raised ? { id: raised.id, count: raised.count } : undefined;
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
