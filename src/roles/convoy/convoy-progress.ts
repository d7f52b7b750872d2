// How far a convoy has come: each bead's place (ready, working, review, closed, blocked), the counts,
// and landing — a convoy whose beads are all closed becomes `landed`, with its ledger event, once.
import type { Bead } from '../../beads/index.js';
import { Status } from '../../beads/index.js';
import type { TownServices } from '../../town/services.js';
import type { Convoy } from './convoy.js';
import { convoyMembers, requireConvoy } from './convoy.js';
import { moveConvoy } from './index.js';
import { reviewLabel } from '../polecat/polecat-done.js';

export const convoyBeadStates = ['ready', 'working', 'review', 'closed', 'blocked'] as const;
export type ConvoyBeadState = (typeof convoyBeadStates)[number];

export interface ConvoyBeadView {
  id: string;
  rig: string;
  title: string;
  /** The bead's status, or `missing` when it no longer exists. */
  status: string;
  state: ConvoyBeadState;
  assignee: string | null;
}

export interface ConvoyProgress {
  convoy: Convoy;
  total: number;
  counts: Record<ConvoyBeadState, number>;
  beads: ConvoyBeadView[];
  /** Every bead is closed: the convoy lands (or has landed). */
  complete: boolean;
}

export async function convoyProgress(town: TownServices, convoyId: string): Promise<ConvoyProgress> {
  const convoy = requireConvoy(town.db, convoyId);
  const members = convoyMembers(town.db, convoyId);
  const ready = new Set((await town.beads.ready()).map((bead) => bead.id));
  const beads: ConvoyBeadView[] = [];
  for (const member of members) {
    const bead = await town.beads.get(member.bead_id);
    beads.push({
      id: member.bead_id,
      rig: member.rig,
      title: bead?.title ?? '',
      status: bead?.status ?? 'missing',
      state: bead ? beadState(bead, ready) : 'blocked',
      assignee: bead?.assignee ?? null,
    });
  }
  const counts = Object.fromEntries(convoyBeadStates.map((state) => [state, 0])) as Record<
    ConvoyBeadState,
    number
  >;
  for (const bead of beads) counts[bead.state] += 1;
  return {
    convoy,
    total: beads.length,
    counts,
    beads,
    complete: beads.length > 0 && counts.closed === beads.length,
  };
}

export function beadState(bead: Bead, ready: ReadonlySet<string>): ConvoyBeadState {
  if (bead.status === Status.closed || bead.status === Status.tombstone) return 'closed';
  if (bead.status === Status.inProgress || bead.status === Status.hooked) {
    return bead.labels.includes(reviewLabel) ? 'review' : 'working';
  }
  return bead.status === Status.open && ready.has(bead.id) ? 'ready' : 'blocked';
}

/** Lands the convoy when every bead is closed; true when it is (now or already) landed. */
export async function landConvoyIfDone(
  town: TownServices,
  convoyId: string,
  actor: string,
): Promise<boolean> {
  const progress = await convoyProgress(town, convoyId);
  if (progress.convoy.state === 'landed') return true;
  if (!progress.complete) return false;
  moveConvoy(town, convoyId, {
    to: 'landed',
    from: ['open', 'launched'],
    event: (convoy) => ({
      kind: 'convoy.landed',
      actor,
      payload: { id: convoyId, name: convoy.name, beads: progress.beads.map((b) => b.id) },
    }),
  });
  return true;
}
