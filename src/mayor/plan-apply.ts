// Creates a checked plan in one SQLite transaction: the `mayor.plan` event, every bead (with its
// steps and dependencies), the convoy and its members, and with `launch` the convoy's launch — so a
// failure anywhere leaves the town as it was. Every event inside names the plan's span as its parent.
import type { NewBead } from '../beads/index.js';
import { writeTxAsync } from '../db/open.js';
import { invalidInput } from '../errors.js';
import { newSpanId, withParentSpan } from '../ledger/index.js';
import { gastownExtra } from '../roles/polecat/bead-steps.js';
import type { Convoy } from '../roles/convoy/convoy.js';
import { createConvoy, requireConvoy } from '../roles/convoy/convoy.js';
import { markConvoyLaunched } from '../roles/convoy/convoy-dispatch.js';
import { listRigs } from '../town/index.js';
import type { TownServices } from '../town/services.js';
import { mayorActor } from './actor.js';
import type { CheckedPlan } from './plan-load.js';
import type { PlanBead } from './plan-schema.js';

export interface PlanOptions {
  /** Where the plan came from (the file, or `submit_plan`), for the ledger. */
  source: string;
  /** Who acts (default `mayor`). */
  actor?: string;
  /** Who handed the plan in, when not the Mayor itself (the Overseer running `gt mayor plan`). */
  submittedBy?: string;
  /** The Overseer's request this plan serves (`gt mayor ask`). */
  requestSpan?: string;
  /** Launch the convoy in the same transaction (the daemon's dispatcher then slings its beads). */
  launch?: boolean;
}

export interface PlannedBead {
  key: string;
  id: string;
  title: string;
  rig: string;
}

export interface PlanResult {
  /** The `mayor.plan` event's sequence number and span. */
  seq: number;
  span: string;
  beads: PlannedBead[];
  convoy?: Convoy;
}

export async function applyPlan(
  town: TownServices,
  checked: CheckedPlan,
  options: PlanOptions,
): Promise<PlanResult> {
  const { plan, order } = checked;
  if (options.launch && plan.convoy === undefined)
    throw invalidInput(`${checked.source.name}: --launch needs a convoy in the plan (convoy: {title: …})`);
  const actor = options.actor ?? mayorActor;
  const prefixes = new Map(listRigs(town.db).map((rig) => [rig.name, rig.prefix]));
  const span = newSpanId();
  return writeTxAsync(town.db, async () => {
    const event = town.ledger.append({
      kind: 'mayor.plan',
      actor,
      span_id: span,
      ...(options.requestSpan === undefined ? {} : { parent_span_id: options.requestSpan }),
      payload: {
        source: options.source,
        ...(options.submittedBy === undefined ? {} : { submitted_by: options.submittedBy }),
        convoy: plan.convoy ?? null,
        beads: plan.beads.map((b) => ({
          key: b.key,
          title: b.title,
          rig: b.rig,
          depends_on: b.depends_on ?? [],
        })),
        launch: options.launch === true,
      },
    });
    return withParentSpan(span, async () => {
      const ids = new Map<string, string>();
      for (const n of order) {
        const bead = plan.beads[n]!;
        const made = await town.beads.create(newBeadOf(bead, prefixes.get(bead.rig) ?? bead.rig, ids), {
          actor,
        });
        ids.set(bead.key, made.id);
      }
      const beads = plan.beads.map((b) => ({ key: b.key, id: ids.get(b.key)!, title: b.title, rig: b.rig }));
      const result: PlanResult = { seq: event.seq, span, beads };
      if (plan.convoy === undefined) return result;
      const made = await createConvoy(
        town,
        {
          name: plan.convoy.title,
          beads: beads.map((b) => b.id),
          rigFor: Object.fromEntries(beads.map((b) => [b.id, b.rig])),
        },
        actor,
      );
      if (options.launch) markConvoyLaunched(town, made.convoy.id, actor);
      return { ...result, convoy: requireConvoy(town.db, made.convoy.id) };
    });
  });
}

function newBeadOf(bead: PlanBead, prefix: string, ids: ReadonlyMap<string, string>): NewBead {
  const input: NewBead = { prefix, title: bead.title };
  if (bead.description !== undefined) input.description = bead.description;
  if (bead.acceptance !== undefined) input.acceptance_criteria = bead.acceptance;
  if (bead.type !== undefined) input.issue_type = bead.type;
  if (bead.priority !== undefined) input.priority = bead.priority;
  if (bead.labels !== undefined) input.labels = bead.labels;
  const deps = (bead.depends_on ?? []).map((ref) => ids.get(ref) ?? ref);
  if (deps.length > 0) input.dependencies = deps.map((id) => ({ type: 'blocks', depends_on_id: id }));
  const extra = gastownExtra(bead.steps ?? [], bead.context_rigs ?? []);
  if (Object.keys(extra).length > 0) input.extra = extra;
  return input;
}
