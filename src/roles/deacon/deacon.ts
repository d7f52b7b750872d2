// The Deacon, the town's patrol: expires sessions whose process died (committing their work so far
// and handing their bead back for re-dispatch), reaps step processes that outlived their session,
// and signs ledger checkpoints periodically. Deterministic: one `tick()` per patrol, every action a
// ledger event with its reason.
import { existsSync } from 'node:fs';
import { writeTx } from '../../db/open.js';
import { createCheckpoint, listCheckpoints, loadTownKey } from '../../ledger/index.js';
import type { TownServices } from '../../town/services.js';
import { commitPolecatWork } from '../polecat/polecat-done.js';
import { endSessionRow, getPolecat, movePolecat, runningSessions } from '../polecat/index.js';
import { processLive } from '../../town/process-live.js';
import type { TownConfig } from '../../town/config.js';
import { loadTownConfig } from '../../town/index.js';
import { enforceTownBudget } from '../budget/town-budget.js';

export interface DeaconReport {
  expired: string[];
  reaped: number[];
  checkpoint: boolean;
  /** Why the town is over its daily budget, when it is. */
  overBudget?: string;
}

export interface DeaconOptions {
  town: TownServices;
  actor?: string;
  /** Sign a checkpoint when the last one is older than this and events were added (default 5 min). */
  checkpointEveryMs?: number;
  /** How long a hooked bead may wait for its session before it counts as stranded (default 10 s). */
  strandedAfterMs?: number;
  /** town.yaml budgets; read each patrol when not given. */
  budgets?: TownConfig['budgets'];
  /** Whether a process is alive; injectable for tests. */
  alive?: (pid: number) => boolean;
}

export { processLive as processAlive } from '../../town/process-live.js';

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export class Deacon {
  private readonly actor: string;
  private readonly alive: (pid: number) => boolean;

  constructor(private readonly options: DeaconOptions) {
    this.actor = options.actor ?? 'deacon';
    this.alive = options.alive ?? processLive;
  }

  async tick(now = new Date()): Promise<DeaconReport> {
    const expired = await this.expireDeadSessions();
    await this.releaseStrandedBeads(now);
    const reaped = this.reapOrphans();
    const checkpoint = this.maybeCheckpoint(now);
    const budgets = this.options.budgets ?? (await loadTownConfig(this.options.town.paths.root)).budgets;
    const overBudget = enforceTownBudget(this.options.town, budgets, now, this.actor);
    return { expired, reaped, checkpoint, ...(overBudget === undefined ? {} : { overBudget }) };
  }

  private async expireDeadSessions(): Promise<string[]> {
    const { town } = this.options;
    const expired: string[] = [];
    for (const session of runningSessions(town.db)) {
      if (session.pid !== null && this.alive(session.pid)) continue;
      const polecat = getPolecat(town.db, { rig: session.rig, name: session.polecat });
      // What is left of the session goes first: nothing of it may change the work tree while the
      // town's git reads it.
      if (session.pgid !== null && session.pgid !== process.pid && groupAlive(session.pgid))
        this.kill(session.pgid);
      let commit: string | undefined;
      if (polecat !== undefined && polecat.state !== 'idle' && existsSync(polecat.worktree)) {
        const saved = await commitPolecatWork(
          town,
          {
            rig: session.rig,
            polecat: session.polecat,
            bead: { id: session.bead_id },
            spec: { worktree: polecat.worktree },
            branch: polecat.branch,
          },
          session.id,
          `WIP: session ${session.id} died`,
        ).catch(() => undefined);
        commit = saved?.commit;
      }
      const actor = `${session.rig}/polecats/${session.polecat}`;
      const bead = await town.beads.get(session.bead_id);
      // The session may have ended itself meanwhile: then it is not ours to expire.
      const ended = writeTx(town.db, () => {
        const moved = endSessionRow(town.db, session.id, {
          outcome: 'crashed',
          recordedBy: 'deacon.session_expired',
          ifRunning: true,
        });
        if (!moved) return false;
        town.ledger.append({
          kind: 'deacon.session_expired',
          actor: this.actor,
          bead_id: session.bead_id,
          session_id: session.id,
          payload: { reason: `session process ${session.pid ?? '?'} is gone`, commit: commit ?? null },
        });
        return true;
      });
      if (!ended) continue;
      if (bead && (bead.status === 'in_progress' || bead.status === 'hooked') && bead.assignee === actor) {
        await town.beads.addComment(
          bead.id,
          `The session ${session.id} died; its work so far is committed${commit ? ` (${commit.slice(0, 12)})` : ''}. Back in the queue.`,
          { actor: this.actor },
        );
        await town.beads.update(bead.id, { status: 'open', assignee: null }, { actor: this.actor });
      }
      movePolecat(
        town.db,
        { rig: session.rig, name: session.polecat },
        { to: 'stopped' },
        { from: ['working', 'review'], beadId: session.bead_id, recordedBy: 'deacon.session_expired' },
      );
      expired.push(session.id);
    }
    return expired;
  }

  /**
   * A working polecat with no live session whose bead waited past the grace (its sling died between
   * the hook and the session, or before the hook) is stopped, and its bead — when still hooked or in
   * progress on it — goes back to the queue. Decided from the polecat's row and the bead's fields.
   */
  private async releaseStrandedBeads(now: Date): Promise<void> {
    const { town } = this.options;
    const graceMs = this.options.strandedAfterMs ?? 10_000;
    const cutoff = new Date(now.getTime() - graceMs).toISOString();
    const stranded = town.db
      .prepare<[string, string], { rig: string; name: string; bead_id: string }>(
        `SELECT p.rig, p.name, p.bead_id FROM polecats p JOIN beads b ON b.id = p.bead_id
          WHERE p.state = 'working' AND p.updated_at < ? AND b.updated_at < ?
            AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.bead_id = b.id AND s.state = 'running')
            AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = b.id AND l.label = 'gt:review')`,
      )
      .all(cutoff, cutoff);
    for (const held of stranded) {
      const assignee = `${held.rig}/polecats/${held.name}`;
      const bead = await town.beads.get(held.bead_id);
      const hooked =
        bead !== undefined &&
        (bead.status === 'hooked' || bead.status === 'in_progress') &&
        bead.assignee === assignee;
      if (hooked) {
        await town.beads.addComment(
          bead.id,
          `No session is working on this bead for ${assignee}; back in the queue.`,
          {
            actor: this.actor,
          },
        );
        await town.beads.update(bead.id, { status: 'open', assignee: null }, { actor: this.actor });
      }
      writeTx(town.db, () => {
        const moved = movePolecat(
          town.db,
          { rig: held.rig, name: held.name },
          { to: 'stopped' },
          { from: ['working'], beadId: held.bead_id, recordedBy: 'deacon.released' },
        );
        if (!moved && !hooked) return;
        town.ledger.append({
          kind: 'deacon.released',
          actor: this.actor,
          bead_id: held.bead_id,
          payload: {
            assignee,
            rig: held.rig,
            polecat: held.name,
            bead_requeued: hooked,
            reason: hooked
              ? 'hooked or in progress with no live session'
              : 'polecat held a bead it never hooked',
          },
        });
      });
    }
  }

  private reapOrphans(): number[] {
    const { town } = this.options;
    const ended = town.db
      .prepare<[], { id: string; bead_id: string; pgid: number }>(
        `SELECT id, bead_id, pgid FROM sessions WHERE state = 'ended' AND pgid IS NOT NULL`,
      )
      .all();
    const reaped: number[] = [];
    for (const row of ended) {
      if (row.pgid === process.pid || !groupAlive(row.pgid)) continue;
      this.kill(row.pgid);
      reaped.push(row.pgid);
      town.ledger.append({
        kind: 'deacon.reaped',
        actor: this.actor,
        bead_id: row.bead_id,
        session_id: row.id,
        payload: { pgid: row.pgid, reason: 'step processes outlived their session' },
      });
    }
    return reaped;
  }

  private kill(pgid: number): void {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private maybeCheckpoint(now: Date): boolean {
    const { town } = this.options;
    const every = this.options.checkpointEveryMs ?? 5 * 60_000;
    const last = listCheckpoints(town.db).at(-1);
    const head = town.ledger.head().seq;
    if (last && (last.size >= head - 1 || now.getTime() - Date.parse(last.time) < every)) return false;
    if (head === 0 || !existsSync(town.paths.keys)) return false;
    createCheckpoint(town.ledger, loadTownKey(town.paths.keys), this.actor, now);
    return true;
  }
}
