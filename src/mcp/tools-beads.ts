// The bead tools: the town's rigs, its beads (list, show, create) and dependencies between them.
import { z } from 'zod';
import type { Bead, NewBead } from '../beads/index.js';
import { beadToJson, fieldSchemas, issueTypes, statuses } from '../beads/index.js';
import { invalidInput, notFound } from '../errors.js';
import { gastownExtra, stepsOf } from '../roles/polecat/bead-steps.js';
import { getRig, listRigs } from '../town/index.js';
import type { McpContext } from './tool.js';
import { defineTool } from './tool.js';

const beadId = z.string().min(1).describe('a bead id, e.g. web-a1b2');

export const listRigsTool = defineTool({
  name: 'list_rigs',
  description: 'The rigs (git repositories) of the town: name, bead id prefix, target branch, check command.',
  input: {},
  readOnly: true,
  run: (_args, ctx) =>
    Promise.resolve(
      listRigs(ctx.town.db).map((rig) => ({
        name: rig.name,
        prefix: rig.prefix,
        branch: rig.branch,
        check_command: rig.check_command,
        git_url: rig.git_url,
      })),
    ),
});

export const listBeadsTool = defineTool({
  name: 'list_beads',
  description:
    'Beads of the town, newest first. status: one of the bead statuses, "ready" (open and unblocked) or "all" (default: every unclosed bead). rig: only that rig.',
  input: {
    status: z.enum(['ready', 'all', ...statuses] as [string, ...string[]]).optional(),
    rig: z.string().optional(),
    limit: z.number().int().positive().max(500).optional(),
  },
  readOnly: true,
  run: async (args, ctx) => {
    const prefix = args.rig === undefined ? undefined : rigOf(ctx, args.rig).prefix;
    const limit = args.limit ?? 100;
    let beads: Bead[];
    if (args.status === 'ready') beads = await ctx.town.beads.ready(prefix === undefined ? {} : { prefix });
    else if (args.status === 'all') beads = await ctx.town.beads.list({ all: true });
    else if (args.status !== undefined)
      beads = await ctx.town.beads.list({ status: [args.status as Bead['status']], all: true });
    else beads = await ctx.town.beads.list();
    if (prefix !== undefined) beads = beads.filter((b) => b.id.startsWith(`${prefix}-`));
    return beads.slice(0, limit).map(summary);
  },
});

export const showBeadTool = defineTool({
  name: 'show_bead',
  description: 'One bead in full: fields, labels, steps, dependencies, dependents and comments.',
  input: { id: beadId },
  readOnly: true,
  run: async (args, ctx) => {
    const bead = await ctx.town.beads.require(args.id);
    const views = await ctx.town.beads.dependencies(args.id);
    return {
      ...beadToJson(bead),
      dependents: views.dependents.map((v) => ({ id: v.dependency.issue_id, type: v.dependency.type })),
    };
  },
});

export const createBeadTool = defineTool({
  name: 'create_bead',
  description:
    'Create a bead (a work item) in a rig. steps: shell commands for the script runtime (run in order in the worktree). depends_on: ids of beads that must close first. context_rigs: other rigs the work must read (mounted read-only for the polecat).',
  input: {
    title: z.string().min(1),
    rig: z.string().min(1).describe('the rig the work belongs to (see list_rigs)'),
    description: z.string().optional(),
    acceptance: z.string().optional().describe('acceptance criteria'),
    type: z.enum(issueTypes).optional(),
    priority: z.number().int().min(0).max(4).optional().describe('0 (highest) to 4; default 2'),
    labels: z.array(z.string()).optional(),
    steps: z.array(z.string().min(1)).optional(),
    depends_on: z.array(beadId).optional(),
    context_rigs: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'other rigs this bead’s work needs to READ (never change), e.g. the API rig whose routes a dashboard change calls. Before the polecat starts, each is fetched and checked out at its target branch’s latest head, read-only beside the worktree at ../.context/<rig>; the agent is told the path, branch and commit. Leave out for work that reads only its own rig.',
      ),
  },
  run: async (args, ctx) => {
    const rig = rigOf(ctx, args.rig);
    for (const other of args.context_rigs ?? []) rigOf(ctx, other);
    for (const id of args.depends_on ?? []) await ctx.town.beads.require(id);
    const input: NewBead = { prefix: rig.prefix, title: args.title };
    if (args.description !== undefined) input.description = args.description;
    if (args.acceptance !== undefined) input.acceptance_criteria = args.acceptance;
    if (args.type !== undefined) input.issue_type = args.type;
    if (args.priority !== undefined) input.priority = args.priority;
    if (args.labels !== undefined) input.labels = args.labels;
    if (args.depends_on !== undefined)
      input.dependencies = args.depends_on.map((id) => ({ type: 'blocks', depends_on_id: id }));
    const extra = gastownExtra(args.steps ?? [], args.context_rigs ?? []);
    if (Object.keys(extra).length > 0) input.extra = extra;
    return summary(await ctx.town.beads.create(input, { actor: ctx.actor }));
  },
});

export const addDependencyTool = defineTool({
  name: 'add_dependency',
  description:
    'Make bead `bead` depend on bead `depends_on` (type "blocks" by default: it waits until that one closes).',
  input: {
    bead: beadId,
    depends_on: beadId,
    type: fieldSchemas.dependencyType.optional(),
  },
  run: async (args, ctx) => {
    await ctx.town.beads.require(args.depends_on);
    const dep = await ctx.town.beads.addDependency(args.bead, args.depends_on, args.type ?? 'blocks', {
      actor: ctx.actor,
    });
    return { bead: dep.issue_id, depends_on: dep.depends_on_id, type: dep.type };
  },
});

function rigOf(ctx: McpContext, name: string) {
  const rig = getRig(ctx.town.db, name);
  if (rig) return rig;
  const names = listRigs(ctx.town.db).map((r) => r.name);
  if (names.length === 0) throw invalidInput(`no rig named "${name}": this town has no rigs yet`);
  const error = notFound('rig', name);
  error.message = `${error.message} (rigs: ${names.join(', ')})`;
  throw error;
}

function summary(bead: Bead) {
  const steps = stepsOf(bead);
  return {
    id: bead.id,
    title: bead.title,
    status: bead.status,
    priority: bead.priority,
    type: bead.issue_type,
    assignee: bead.assignee ?? null,
    labels: bead.labels,
    depends_on: bead.dependencies.map((d) => d.depends_on_id),
    ...(steps.length > 0 ? { steps } : {}),
  };
}
