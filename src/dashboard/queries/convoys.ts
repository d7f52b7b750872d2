// Every convoy with each bead's place (ready, working, review, closed, blocked), computed with one
// ready-set query for all of them rather than one per convoy.
import type { ConvoyBeadState, ConvoyBeadView } from '../../roles/convoy/convoy-progress.js';
import { beadState, convoyBeadStates } from '../../roles/convoy/convoy-progress.js';
import type { Convoy } from '../../roles/convoy/convoy.js';
import { convoyMembers, listConvoys } from '../../roles/convoy/convoy.js';
import type { TownServices } from '../../town/services.js';

export type ConvoyView = Convoy & {
  total: number;
  counts: Record<ConvoyBeadState, number>;
  beads: ConvoyBeadView[];
};

export async function convoysView(town: TownServices): Promise<ConvoyView[]> {
  const convoys = listConvoys(town.db);
  if (convoys.length === 0) return [];
  const ready = new Set((await town.beads.ready()).map((bead) => bead.id));
  const views: ConvoyView[] = [];
  for (const convoy of convoys.reverse()) {
    const beads: ConvoyBeadView[] = [];
    for (const member of convoyMembers(town.db, convoy.id)) {
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
    const counts = Object.fromEntries(convoyBeadStates.map((s) => [s, 0])) as Record<ConvoyBeadState, number>;
    for (const bead of beads) counts[bead.state] += 1;
    views.push({ ...convoy, total: beads.length, counts, beads });
  }
  return views;
}
