// Launching a convoy and dispatching its beads. A dispatch pass slings every bead of the convoy that
// is ready (per the bead store), one after another with the rigs taking turns, each to its rig —
// back to the polecat that holds its earlier work when there is one — within the capacity caps; a
// bead over a cap waits for the next pass. The daemon runs a pass whenever it likes; `launch` runs them until nothing moves.
import { existsSync } from 'node:fs';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { TownServices } from '../../town/services.js';
import { awaitsOverseer } from '../polecat/bead-steps.js';
import { isCapacityError } from '../polecat/capacity.js';
import type { ConvoyMember } from './convoy.js';
import { convoyMembers, requireConvoy } from './convoy.js';
import { landConvoyIfDone } from './convoy-progress.js';
import { moveConvoy } from './index.js';
import { listPolecats } from '../polecat/index.js';
import type { SlingRequest, SlingResult } from '../polecat/sling.js';
import { sling as realSling } from '../polecat/sling.js';
import type { WorkBlocker } from '../polecat/work-blockers.js';
import { assertWorkCanRun } from '../polecat/work-blockers.js';

export interface DispatchOptions {
  actor: string;
  home: string;
  agent?: string;
  /** Beads not to sling in this pass (already tried by the caller). */
  skip?: ReadonlySet<string>;
  /** Told once a polecat has the bead and its session starts. */
  onStart?: (info: { beadId: string; rig: string; polecat: string; branch: string }) => void;
  /** What keeps work from running (the daemon's tick found them): those beads wait, still ready. */
  blockers?: readonly WorkBlocker[];
  /** The sling to use (default: the real one, running the session in the foreground). */
  sling?: (request: SlingRequest) => Promise<SlingResult>;
}

export interface DispatchReport {
  convoyId: string;
  slung: { beadId: string; rig: string; polecat: string; outcome: string; summary: string }[];
  /** Ready beads held back by a capacity cap, with the cap's message. */
  waiting: { beadId: string; rig: string; reason: string }[];
  failed: { beadId: string; rig: string; error: string }[];
  /** Ready beads left ready because a blocker stands in the way (escalated by the daemon). */
  blocked?: { beadId: string; rig: string; reason: string }[];
  landed: boolean;
}

/** One dispatch pass over a launched convoy; lands it when every bead is closed. */
export async function dispatchConvoy(
  town: TownServices,
  root: string,
  convoyId: string,
  options: DispatchOptions,
): Promise<DispatchReport> {
  const convoy = requireConvoy(town.db, convoyId);
  const report: DispatchReport = { convoyId, slung: [], waiting: [], failed: [], landed: false };
  if (convoy.state === 'open') {
    throw new GasTownError(ErrorCode.conflict, `convoy ${convoyId} is not launched yet`, {
      ids: { convoy: convoyId },
    });
  }
  if (await landConvoyIfDone(town, convoyId, options.actor)) return { ...report, landed: true };
  // A formula's human steps and gates are ready for the Overseer, not for a polecat.
  const ready = new Set(
    (await town.beads.ready()).filter((bead) => !awaitsOverseer(bead)).map((bead) => bead.id),
  );
  const sling = options.sling ?? realSling;
  // Slings start one after another (each holds its polecat before the next picks one); their
  // sessions then run side by side, each bounded by the capacity checks in `sling`.
  const sessions: Promise<void>[] = [];
  for (const member of inRigTurns(convoyMembers(town.db, convoyId))) {
    if (!ready.has(member.bead_id) || options.skip?.has(member.bead_id)) continue;
    const blocker = options.blockers?.find((b) => b.rig === undefined || b.rig === member.rig);
    if (blocker) {
      (report.blocked ??= []).push({ beadId: member.bead_id, rig: member.rig, reason: blocker.message });
      continue;
    }
    const polecat = previousPolecat(town, member);
    let started: () => void = () => undefined;
    const startedOrFailed = new Promise<void>((resolve) => (started = resolve));
    const session = sling({
      town,
      root,
      beadId: member.bead_id,
      rig: member.rig,
      actor: options.actor,
      home: options.home,
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(polecat === undefined ? {} : { polecat }),
      onStart: (info) => {
        started();
        options.onStart?.({ beadId: member.bead_id, rig: member.rig, ...info });
      },
    }).then(
      (result) => {
        report.slung.push({
          beadId: member.bead_id,
          rig: member.rig,
          polecat: result.polecat,
          outcome: result.outcome,
          summary: result.summary,
        });
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (isCapacityError(error))
          report.waiting.push({ beadId: member.bead_id, rig: member.rig, reason: message });
        else report.failed.push({ beadId: member.bead_id, rig: member.rig, error: message });
      },
    );
    sessions.push(session);
    await Promise.race([startedOrFailed, session]);
  }
  await Promise.all(sessions);
  report.landed = await landConvoyIfDone(town, convoyId, options.actor);
  return report;
}

/**
 * Marks the convoy launched (once, with its ledger event) and dispatches it: one pass with `once`,
 * else passes until one slings nothing new (a bead is tried at most once per launch).
 */
export async function launchConvoy(
  town: TownServices,
  root: string,
  convoyId: string,
  options: DispatchOptions & { once?: boolean },
): Promise<DispatchReport> {
  // Nothing is launched when the town cannot run its beads: say what is missing, now.
  await assertWorkCanRun({
    root,
    rigs: convoyMembers(town.db, convoyId).map((m) => m.rig),
    ...(options.agent === undefined ? {} : { agent: options.agent }),
    env: process.env,
  });
  markConvoyLaunched(town, convoyId, options.actor);
  const tried = new Set(options.skip);
  const total: DispatchReport = { convoyId, slung: [], waiting: [], failed: [], landed: false };
  for (;;) {
    const pass = await dispatchConvoy(town, root, convoyId, { ...options, skip: tried });
    total.slung.push(...pass.slung);
    total.failed.push(...pass.failed);
    total.waiting = pass.waiting;
    total.landed = pass.landed;
    for (const bead of [...pass.slung, ...pass.failed]) tried.add(bead.beadId);
    if (options.once || pass.landed || pass.slung.length + pass.failed.length === 0) return total;
  }
}

/** Marks an open convoy launched (a daemon's dispatcher then slings its ready beads). */
export function markConvoyLaunched(town: TownServices, convoyId: string, actor: string): void {
  moveConvoy(town, convoyId, {
    to: 'launched',
    from: ['open'],
    event: (convoy) => ({ kind: 'convoy.launched', actor, payload: { id: convoyId, name: convoy.name } }),
  });
}

/**
 * The members taking turns by rig (each rig's in convoy order): every rig's polecats, Witness and
 * Refinery get work from the start, instead of one rig waiting until another's beads are all slung.
 */
function inRigTurns(members: readonly ConvoyMember[]): ConvoyMember[] {
  const byRig = new Map<string, ConvoyMember[]>();
  for (const member of members) byRig.set(member.rig, [...(byRig.get(member.rig) ?? []), member]);
  const turns: ConvoyMember[] = [];
  for (let round = 0; turns.length < members.length; round++) {
    for (const queue of byRig.values()) if (round < queue.length) turns.push(queue[round]!);
  }
  return turns;
}

/** The stopped polecat of the bead's rig that last worked on it, when its worktree is still there. */
function previousPolecat(town: TownServices, member: ConvoyMember): string | undefined {
  return listPolecats(town.db, member.rig).find(
    (p) =>
      p.state === 'stopped' && p.bead_id === member.bead_id && p.worktree !== null && existsSync(p.worktree),
  )?.name;
}
