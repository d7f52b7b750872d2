// The planning tools: convoys (create, launch), slinging a bead to a rig, and whole plans. Nothing
// here runs a polecat session: launching marks the convoy launched and the town daemon's dispatcher
// slings its ready beads, so the MCP server stays a quick, short-lived process.
import { z } from 'zod';
import { readDaemon } from '../daemon/pid-file.js';
import { writeTxAsync } from '../db/open.js';
import { ErrorCode, GasTownError, invalidInput, notFound } from '../errors.js';
import { applyPlan } from '../mayor/plan-apply.js';
import { loadPlan } from '../mayor/plan-load.js';
import { createConvoy, listConvoys, requireConvoy } from '../roles/convoy/convoy.js';
import { markConvoyLaunched } from '../roles/convoy/convoy-dispatch.js';
import { agentNames, getRig, loadTownConfig } from '../town/index.js';
import type { McpContext } from './tool.js';
import { defineTool } from './tool.js';

export const createConvoyTool = defineTool({
  name: 'create_convoy',
  description:
    'Group beads into a convoy that lands together. Each bead goes to the rig its id prefix names; rig_for maps a bead id to another rig.',
  input: {
    title: z.string().min(1).max(100),
    beads: z.array(z.string().min(1)).min(1),
    rig_for: z.record(z.string(), z.string()).optional(),
  },
  run: async (args, ctx) => {
    const made = await createConvoy(
      ctx.town,
      { name: args.title, beads: args.beads, ...(args.rig_for ? { rigFor: args.rig_for } : {}) },
      ctx.actor,
    );
    return { convoy: made.convoy, members: made.added };
  },
});

export const launchConvoyTool = defineTool({
  name: 'launch_convoy',
  description:
    'Launch a convoy: the town daemon slings each of its beads to a polecat as soon as the bead is ready, and lands the convoy when all are merged. The Mayor reports to the Overseer when it lands or gets stuck.',
  input: { convoy: z.string().min(1).describe('the convoy id, cv-…') },
  run: (args, ctx) => {
    markConvoyLaunched(ctx.town, args.convoy, ctx.actor);
    return Promise.resolve({ convoy: requireConvoy(ctx.town.db, args.convoy), dispatch: dispatchNote(ctx) });
  },
});

export const slingTool = defineTool({
  name: 'sling',
  description:
    'Hand one bead to a rig. The bead joins a launched one-bead convoy ("sling <bead>") and the town daemon slings it to a polecat of that rig once it is ready. agent: the runtime; only the town default can be dispatched from here. The polecat reads the context rigs the bead names (create_bead / submit_plan `context_rigs`), each fetched to its latest head and mounted read-only.',
  input: {
    bead: z.string().min(1),
    rig: z.string().min(1),
    agent: z.enum(agentNames).optional(),
  },
  run: async (args, ctx) => {
    if (!getRig(ctx.town.db, args.rig)) throw notFound('rig', args.rig);
    const bead = await ctx.town.beads.require(args.bead);
    if (bead.status === 'closed' || bead.status === 'tombstone')
      throw new GasTownError(ErrorCode.conflict, `bead ${bead.id} is ${bead.status}; nothing to sling`);
    const config = await loadTownConfig(ctx.root);
    if (args.agent !== undefined && args.agent !== config.default_agent) {
      throw invalidInput(
        `agent ${args.agent}: the daemon dispatches with the town's default agent (${config.default_agent}); set default_agent in town.yaml, or the Overseer runs \`gt sling ${bead.id} ${args.rig} --agent ${args.agent}\``,
      );
    }
    const already = launchedConvoyOf(ctx, bead.id);
    if (already !== undefined)
      return {
        bead: bead.id,
        convoy: already,
        dispatch: dispatchNote(ctx),
        note: 'already in a launched convoy',
      };
    const convoy = await writeTxAsync(ctx.town.db, async () => {
      const made = await createConvoy(
        ctx.town,
        { name: `sling ${bead.id}`, beads: [bead.id], rigFor: { [bead.id]: args.rig } },
        ctx.actor,
      );
      markConvoyLaunched(ctx.town, made.convoy.id, ctx.actor);
      return made.convoy.id;
    });
    return { bead: bead.id, rig: args.rig, convoy, dispatch: dispatchNote(ctx) };
  },
});

export const submitPlanTool = defineTool({
  name: 'submit_plan',
  description: `Create a whole plan at once, atomically (nothing is created if anything is wrong). plan: YAML text:
convoy: {title, description?}            # optional
beads:
  - key: api                             # a local name other beads' depends_on can use
    title: Add the login endpoint
    rig: web
    description: …                       # optional; also type, priority (0-4), labels, acceptance
    steps: ["sh command", …]             # optional, for the script runtime
    depends_on: [other-key or bead id]   # optional
    context_rigs: [other rig]            # optional: rigs the work must read (read-only, ../.context/<rig>)
launch: true launches the convoy.`,
  input: { plan: z.string().min(1), launch: z.boolean().optional() },
  run: async (args, ctx) => {
    const checked = await loadPlan(ctx.town, args.plan, 'plan');
    const result = await applyPlan(ctx.town, checked, {
      source: 'submit_plan',
      actor: ctx.actor,
      ...(args.launch ? { launch: true } : {}),
    });
    return { ...result, ...(args.launch ? { dispatch: dispatchNote(ctx) } : {}) };
  },
});

function launchedConvoyOf(ctx: McpContext, beadId: string): string | undefined {
  const ids = ctx.town.db
    .prepare<[string], string>('SELECT convoy_id FROM convoy_beads WHERE bead_id = ?')
    .pluck()
    .all(beadId);
  return listConvoys(ctx.town.db).find((c) => c.state === 'launched' && ids.includes(c.id))?.id;
}

function dispatchNote(ctx: McpContext): string {
  return readDaemon(ctx.town.paths.gtDir)
    ? 'the town daemon slings each bead as soon as it is ready'
    : 'the town daemon is not running: the Overseer starts it with `gt up` (the beads wait until then)';
}
