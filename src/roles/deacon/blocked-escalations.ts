// The daemon's side of "no silent stall": every tick it holds the town's blockers (see
// work-blockers.ts) against the open `work_blocked` escalations. A new cause raises ONE escalation
// (a cause still there on later ticks touches nothing: no count, no ledger event per tick); a
// cause that went away closes its escalation, and the dispatcher slings the waiting beads again.
import type { Escalation, EscalationTown } from '../comms/escalations.js';
import { closeEscalation, listEscalations, raiseEscalation } from '../comms/escalations.js';
import type { WorkBlocker } from '../polecat/work-blockers.js';

export const blockedKind = 'work_blocked';
const keyPrefix = 'work.blocked:';

export interface BlockedReconcile {
  raised: Escalation[];
  resolved: Escalation[];
}

/** The summary an escalation carries: what is missing, then the fix. */
export const blockerSummary = (blocker: WorkBlocker): string => `${blocker.message} — fix: ${blocker.fix}`;

export function reconcileBlockedEscalations(
  town: EscalationTown,
  blockers: readonly WorkBlocker[],
  actor: string,
): BlockedReconcile {
  const open = listEscalations(town.db).filter((e) => e.kind === blockedKind);
  const openKeys = new Set(open.map((e) => e.key));
  const current = new Set(blockers.map((b) => keyPrefix + b.key));
  const result: BlockedReconcile = { raised: [], resolved: [] };
  for (const blocker of blockers) {
    const key = keyPrefix + blocker.key;
    if (openKeys.has(key)) continue;
    openKeys.add(key);
    result.raised.push(
      raiseEscalation(
        town,
        {
          key,
          kind: blockedKind,
          ...(blocker.rig === undefined ? {} : { rig: blocker.rig }),
          summary: blockerSummary(blocker),
        },
        actor,
      ),
    );
  }
  for (const escalation of open)
    if (!current.has(escalation.key)) result.resolved.push(closeEscalation(town, escalation.id, actor));
  return result;
}

/** The open `work_blocked` escalations, for the demo's progress line and `gt status`. */
export function openBlockedEscalations(town: Pick<EscalationTown, 'db'>): Escalation[] {
  return listEscalations(town.db).filter((e) => e.kind === blockedKind);
}
