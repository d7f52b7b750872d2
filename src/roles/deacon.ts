// The Deacon, the town's patrol: expires sessions whose process died (committing their work so far
// and handing their bead back for re-dispatch), reaps step processes that outlived their session,
// and signs ledger checkpoints periodically. Deterministic: one `tick()` per patrol, every action a
// ledger event with its reason.
import { existsSync } from 'node:fs';
import { writeTx } from '../db/open.js';
import { createCheckpoint, listCheckpoints, loadTownKey } from '../ledger/index.js';
import type { TownServices } from '../town/services.js';
import { commitPolecatWork } from './polecat-done.js';
import { polecatBranch } from './work-tree-guard.js';
import { setPolecatState, type PolecatRow } from './polecat-rows.js';
import { processLive } from '../daemon/pid-file.js';
import type { TownConfig } from '../town/config.js';
import { loadTownConfig } from '../town/index.js';
import { enforceTownBudget } from './town-budget.js';

interface SessionRow {
  id: string;
  rig: string;
  polecat: string;
  bead_id: string;
  state: string;
  pid: number | null;
  pgid: number | null;
}

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

export { processLive as processAlive } from '../daemon/pid-file.js';

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
    const running = town.db.prepare<[], SessionRow>(`SELECT * FROM sessions WHERE state = 'running'`).all();
    const expired: string[] = [];
    for (const session of running) {
      if (session.pid !== null && this.alive(session.pid)) continue;
      const polecat = town.db
        .prepare<[string, string], PolecatRow>('SELECT * FROM polecats WHERE rig = ? AND name = ?')
        .get(session.rig, session.polecat);
      // What is left of the session goes first: nothing of it may change the work tree while the
      // town's git reads it.
      if (session.pgid !== null && session.pgid !== process.pid && groupAlive(session.pgid))
        this.kill(session.pgid);
      let commit: string | undefined;
      if (polecat?.worktree && existsSync(polecat.worktree)) {
        const saved = await commitPolecatWork(
          town,
          {
            rig: session.rig,
            polecat: session.polecat,
            bead: { id: session.bead_id },
            spec: { worktree: polecat.worktree },
            branch: polecat.branch ?? polecatBranch(session.polecat, session.bead_id),
          },
          session.id,
          `WIP: session ${session.id} died`,
        ).catch(() => undefined);
        commit = saved?.commit;
      }
      const actor = `${session.rig}/polecats/${session.polecat}`;
      const bead = await town.beads.get(session.bead_id);
      writeTx(town.db, () => {
        town.db
          .prepare(`UPDATE sessions SET state = 'ended', outcome = 'crashed', ended_at = ? WHERE id = ?`)
          .run(new Date().toISOString(), session.id);
        town.ledger.append({
          kind: 'deacon.session_expired',
          actor: this.actor,
          bead_id: session.bead_id,
          session_id: session.id,
          payload: { reason: `session process ${session.pid ?? '?'} is gone`, commit: commit ?? null },
        });
      });
      if (bead && (bead.status === 'in_progress' || bead.status === 'hooked') && bead.assignee === actor) {
        await town.beads.addComment(
          bead.id,
          `The session ${session.id} died; its work so far is committed${commit ? ` (${commit.slice(0, 12)})` : ''}. Back in the queue.`,
          { actor: this.actor },
        );
        await town.beads.update(bead.id, { status: 'open', assignee: null }, { actor: this.actor });
      }
      setPolecatState(town.db, session.rig, session.polecat, 'stopped');
      expired.push(session.id);
    }
    return expired;
  }

  /**
   * A bead hooked or in progress on a polecat with no live session and no finished work (its sling
   * died between the hook and the session) goes back to the queue; so does the polecat.
   */
  private async releaseStrandedBeads(now: Date): Promise<void> {
    const { town } = this.options;
    const graceMs = this.options.strandedAfterMs ?? 10_000;
    const cutoff = new Date(now.getTime() - graceMs).toISOString();
    const stranded = town.db
      .prepare<[string], { id: string; assignee: string }>(
        `SELECT b.id, b.assignee FROM beads b
          WHERE b.status IN ('hooked', 'in_progress') AND b.assignee LIKE '%/polecats/%' AND b.updated_at < ?
            AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.bead_id = b.id AND s.state = 'running')
            AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = b.id AND l.label = 'gt:review')`,
      )
      .all(cutoff);
    for (const bead of stranded) {
      const [rig, , polecat] = bead.assignee.split('/');
      await town.beads.addComment(
        bead.id,
        `No session is working on this bead for ${bead.assignee}; back in the queue.`,
        { actor: this.actor },
      );
      await town.beads.update(bead.id, { status: 'open', assignee: null }, { actor: this.actor });
      if (rig && polecat) {
        town.db
          .prepare(
            `UPDATE polecats SET state = 'stopped', updated_at = ? WHERE rig = ? AND name = ? AND state = 'working'`,
          )
          .run(now.toISOString(), rig, polecat);
      }
      town.ledger.append({
        kind: 'deacon.released',
        actor: this.actor,
        bead_id: bead.id,
        payload: { assignee: bead.assignee, reason: 'hooked or in progress with no live session' },
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
