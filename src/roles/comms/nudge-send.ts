// `gt nudge` and `gt handoff` from any process: find the polecat's live session and queue a row for
// the process that runs it (see nudge-delivery.ts). A polecat with no live session is refused, and
// nothing is queued: a nudge is a word to a running agent, while mail (`gt mail send`) is what waits
// for the next session.
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import { resolvePolecat } from './mail-address.js';
import type { NudgeKind, NudgeRow, NudgeTown } from './nudges.js';
import { liveSession, queueNudge } from './nudges.js';

export interface NudgeRequest {
  /** `<rig>/polecats/<name>` or `<rig>/<name>`. */
  address: string;
  from: string;
  text: string;
}

export interface QueuedNudge extends NudgeRow {
  actor: string;
  bead_id: string;
}

export function sendNudge(town: NudgeTown, request: NudgeRequest): QueuedNudge {
  if (request.text.trim() === '') throw invalidInput('nudge: the message is empty');
  return queueFor(town, request, 'nudge');
}

/** Asks the process running the polecat's session to cycle it (stop, commit, start anew). */
export function requestHandoff(
  town: NudgeTown,
  request: Omit<NudgeRequest, 'text'> & { note?: string },
): QueuedNudge {
  return queueFor(town, { ...request, text: request.note ?? 'handoff requested' }, 'handoff');
}

function queueFor(town: NudgeTown, request: NudgeRequest, kind: NudgeKind): QueuedNudge {
  // One transaction: the session checked is the session the row is queued for.
  return writeTx(town.db, () => queueInTx(town, request, kind));
}

function queueInTx(town: NudgeTown, request: NudgeRequest, kind: NudgeKind): QueuedNudge {
  const polecat = resolvePolecat(town.db, request.address);
  const live = liveSession(town.db, polecat.rig, polecat.polecat);
  if (!live) {
    const what = kind === 'nudge' ? 'nudge' : 'handoff';
    throw new GasTownError(
      ErrorCode.conflict,
      `${polecat.actor} has no live session, so there is no one to ${what}; nothing was queued` +
        (kind === 'nudge'
          ? ` (mail waits for its next session: gt mail send ${polecat.actor} -s <subject> -m <text>)`
          : ''),
      { ids: { polecat: polecat.actor } },
    );
  }
  if (kind === 'handoff') {
    const pending = town.db
      .prepare(`SELECT id FROM nudges WHERE session_id = ? AND kind = 'handoff' AND delivered_at IS NULL`)
      .get(live.id);
    if (pending)
      throw new GasTownError(ErrorCode.conflict, `session ${live.id} already has a handoff pending`, {
        ids: { polecat: polecat.actor, session: live.id },
      });
  }
  const row = queueNudge(town, {
    rig: polecat.rig,
    polecat: polecat.polecat,
    sessionId: live.id,
    beadId: live.bead_id,
    from: request.from,
    kind,
    text: request.text,
  });
  return { ...row, actor: polecat.actor, bead_id: live.bead_id };
}
