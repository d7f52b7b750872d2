// Delivers nudges and handoffs into one live session. The process running the session watches the
// `nudges` table for rows meant for it: `gt nudge` and `gt handoff` run in other processes, whose
// ledger appends this process cannot hear, so it polls (one indexed query every few hundred ms) and
// also wakes at once on its own ledger's `polecat.nudged` / `polecat.handoff` (the daemon's Witness).
// A nudge goes to the agent through `AgentSession.nudge` — a structured message, never typed keys —
// and only then is marked delivered; a handoff is marked delivered and the session is stopped.
import type { TownServices } from '../../town/services.js';
import type { NudgeRow } from './nudges.js';
import { markNudgeDelivered, pendingNudges } from './nudges.js';

export const defaultNudgePollMs = 300;

export interface NudgeDeliveryOptions {
  town: Pick<TownServices, 'db' | 'ledger'>;
  rig: string;
  polecat: string;
  sessionId: string;
  beadId: string;
  /** Puts a message into the live session (AgentSession.nudge). */
  nudge: (text: string) => Promise<void>;
  /** Stops the session so that a new one takes over (reason `handoff`). */
  handoff: (row: NudgeRow) => void;
  pollMs?: number;
}

export interface NudgeDelivery {
  /** Stops watching; call when the session ends. */
  stop(): void;
}

/** The message the agent receives for a nudge: who sent it, then what they said. */
export function nudgeMessage(row: Pick<NudgeRow, 'from_actor' | 'text'>): string {
  return `Nudge from ${row.from_actor}: ${row.text}`;
}

export function startNudgeDelivery(options: NudgeDeliveryOptions): NudgeDelivery {
  const { town } = options;
  const actor = `${options.rig}/polecats/${options.polecat}`;
  const delivery = { sessionId: options.sessionId, actor, beadId: options.beadId };
  let stopped = false;
  let busy = false;
  let again = false;

  const deliver = async (row: NudgeRow): Promise<void> => {
    if (row.kind === 'handoff') {
      if (markNudgeDelivered(town, row, delivery)) {
        stopped = true;
        options.handoff(row);
      }
      return;
    }
    await options.nudge(nudgeMessage(row));
    markNudgeDelivered(town, row, delivery);
  };

  const tick = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        for (const row of pendingNudges(town.db, options.rig, options.polecat, options.sessionId)) {
          if (stopped) return;
          await deliver(row);
        }
      } while (again && !stopped);
    } catch {
      // The session is ending or the database is busy: the row stays pending for the next tick.
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void tick(), options.pollMs ?? defaultNudgePollMs);
  timer.unref();
  const unsubscribe = town.ledger.subscribe((event) => {
    // Called inside the appending transaction: look once it has committed.
    if (!stopped && event.session_id === options.sessionId && event.kind.startsWith('polecat.'))
      setImmediate(() => void tick());
  });
  void tick();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
