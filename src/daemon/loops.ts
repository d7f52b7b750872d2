// The loops one town runs: per rig a Witness (verifies "done", watches for stalls) and a Refinery
// (one merge at a time), the convoy dispatcher (slings ready beads of launched convoys, lands them),
// the Mayor's reports to the Overseer, and the Deacon's patrol for the whole town. Built from the
// rigs registered when the daemon starts.
import { homedir } from 'node:os';
import { reportConvoys } from '../mayor/reports.js';
import { reconcileBlockedEscalations } from '../roles/deacon/blocked-escalations.js';
import { dispatchConvoy } from '../roles/convoy/convoy-dispatch.js';
import { workBlockers } from '../roles/polecat/work-blockers.js';
import { listConvoys } from '../roles/convoy/convoy.js';
import { Deacon } from '../roles/deacon/deacon.js';
import { PrWatch } from '../roles/refinery/pr-watch.js';
import { Refinery } from '../roles/refinery/refinery.js';
import { refineryMergeQueue } from '../roles/refinery/merge-queue.js';
import { Witness } from '../roles/witness/witness.js';
import { listRigs } from '../town/index.js';
import type { Db } from '../db/open.js';
import type { Ledger } from '../ledger/index.js';
import type { TownConfig } from '../town/config.js';
import type { TownServices } from '../town/services.js';
import type { Logger } from './logger.js';
import type { Loop } from './supervisor.js';

export interface LoopOptions {
  tickMs: number;
  /** Sessions dispatched by convoys run in this process, as this actor. */
  actor?: string;
  /** town.yaml budgets, read once when the daemon starts. */
  budgets?: TownConfig['budgets'];
}

export function townLoops(
  town: TownServices,
  root: string,
  env: Record<string, string | undefined>,
  logger: Logger,
  options: LoopOptions,
): Loop[] {
  const { tickMs } = options;
  const deacon = new Deacon({ town, ...(options.budgets ? { budgets: options.budgets } : {}) });
  const loops: Loop[] = [
    {
      name: 'deacon',
      intervalMs: tickMs,
      tick: async () => {
        const report = await deacon.tick();
        if (report.expired.length + report.reaped.length > 0 || report.checkpoint)
          logger.log('info', 'deacon patrol', { ...report });
      },
    },
  ];
  const queue = refineryMergeQueue(town);
  for (const rig of listRigs(town.db)) {
    const witness = new Witness({ town, root, rig: rig.name, queue });
    const refinery = new Refinery({ town, root, rig: rig.name, env });
    const log = logger.child({ rig: rig.name });
    loops.push({
      name: `witness:${rig.name}`,
      intervalMs: tickMs,
      tick: async () => {
        const report = await witness.tick();
        if (report.actions.length > 0) log.log('info', 'witness patrol', { actions: report.actions });
      },
    });
    const prWatch = new PrWatch({ town, root, rig: rig.name, env });
    loops.push({
      name: `pr-watch:${rig.name}`,
      intervalMs: tickMs,
      tick: async () => {
        const events = await prWatch.tick();
        if (events.some((e) => e.outcome !== 'waiting')) log.log('info', 'pull requests', { events });
      },
    });
    loops.push({
      name: `refinery:${rig.name}`,
      intervalMs: tickMs,
      tick: async () => {
        for (let outcome = await refinery.tick(); outcome !== 'idle'; outcome = await refinery.tick()) {
          log.log('info', 'refinery', { outcome, request: refinery.lastRequest?.id });
          // Given back after a git error: the next tick tries again, not this one.
          if (outcome === 'requeued') break;
        }
      },
    });
  }
  loops.push({
    name: 'convoys',
    intervalMs: tickMs,
    tick: async () => {
      // No silent stall: what keeps work from running is escalated once per cause (and closed
      // when it goes away); the beads it holds up stay ready.
      const rigs = listRigs(town.db).map((rig) => rig.name);
      const blockers = await workBlockers({ root, rigs, env });
      const changed = reconcileBlockedEscalations(town, blockers, 'deacon');
      if (changed.raised.length + changed.resolved.length > 0)
        logger.log('warn', 'work blocked', {
          raised: changed.raised.map((e) => e.summary),
          resolved: changed.resolved.map((e) => e.key),
        });
      for (const convoy of listConvoys(town.db).filter((c) => c.state === 'launched')) {
        const report = await dispatchConvoy(town, root, convoy.id, {
          actor: options.actor ?? 'mayor',
          home: env.HOME ?? homedir(),
          blockers,
        });
        if (report.slung.length + report.failed.length > 0 || report.landed)
          logger.log('info', 'convoy dispatch', { ...report });
      }
    },
  });
  // The Mayor's reports: mail to the Overseer when a launched convoy lands or gets stuck.
  const settled = new Set<string>();
  loops.push({
    name: 'mayor',
    intervalMs: tickMs,
    tick: async () => {
      for (const report of await reportConvoys(town, { settled }))
        logger.log('info', 'mayor report', { ...report });
    },
  });
  return loops;
}

/**
 * Wakes the loop that has new work as soon as the ledger says so, instead of at its next tick:
 * a polecat done → its rig's Witness; a queued merge → its Refinery; a merge, a rework or an ended
 * session → the convoy dispatcher (dependents may be ready, beads may need slinging again); a
 * landing, an escalation or a failed merge → the Mayor, who reports it.
 */
export function wakeOnEvents(ledger: Ledger, wake: (loop: string) => void): () => void {
  return ledger.subscribe((event) => {
    for (const loop of loopsToWake({ kind: event.kind, rig: event.payload.rig })) wake(loop);
  });
}

/**
 * The same for events other processes append — a convoy launched or a merge queued from the CLI,
 * `gt done` run by an agent — which never reach `ledger.subscribe` here: SQLite's data_version
 * changes when another connection commits, so polling it every `pollMs` costs next to nothing
 * until one does, and then the events after the last one seen are read and routed as above.
 */
export function wakeOnExternalEvents(db: Db, wake: (loop: string) => void, pollMs = 200): () => void {
  const version = db.prepare('PRAGMA data_version').pluck();
  const head = db.prepare('SELECT coalesce(max(seq), 0) FROM ledger').pluck();
  const after = db.prepare<[number], { seq: number; kind: string; rig: unknown }>(
    `SELECT seq, kind, json_extract(payload, '$.rig') AS rig FROM ledger WHERE seq > ? ORDER BY seq`,
  );
  let seen = head.get() as number;
  let last = version.get();
  const timer = setInterval(() => {
    const now = version.get();
    if (now === last) return;
    last = now;
    const loops = new Set<string>();
    for (const event of after.all(seen)) {
      seen = event.seq;
      for (const loop of loopsToWake(event)) loops.add(loop);
    }
    for (const loop of loops) wake(loop);
  }, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The loops an event has work for, from its kind and its `rig` field (never from the actor's name).
 * A rig's event without the field (one written before it was added) wakes nothing: the loop's own
 * interval still picks the work up.
 */
export function loopsToWake(event: { kind: string; rig: unknown }): string[] {
  const rig = typeof event.rig === 'string' && event.rig !== '' ? event.rig : undefined;
  const rigLoop = (loop: string): string[] => (rig === undefined ? [] : [`${loop}:${rig}`]);
  switch (event.kind) {
    case 'polecat.done':
      return rigLoop('witness');
    case 'merge.queued':
      return rigLoop('refinery');
    case 'merge.pr_opened':
      return rigLoop('pr-watch');
    case 'merge.pr_changes_requested':
      return ['convoys', 'mayor'];
    case 'convoy.launched':
    case 'merge.merged':
    case 'merge.rework':
    case 'witness.rework':
    case 'session.ended':
      return ['convoys'];
    case 'convoy.landed':
    case 'escalation.raised':
    case 'merge.failed':
    case 'merge.pr_closed':
      return ['mayor'];
    default:
      return [];
  }
}
