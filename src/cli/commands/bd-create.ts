// `gt bd create <title>`: a new bead with bd's options. Validates every option here (naming the
// flag), then hands one NewBead to the store, which creates it and its edges in one transaction.
import type { Command } from 'commander';
import type { NewBead } from '../../beads/store.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { beadJson } from '../render/bead-json.js';
import {
  parseBeadId,
  parseCount,
  parseDeps,
  parseLabels,
  parseNewType,
  parsePriority,
  parseTime,
} from './bd-args.js';
import { withBeads } from './bd-context.js';
import { invalidInput } from '../../errors.js';
import { gastownExtra } from '../../roles/polecat/bead-steps.js';

interface CreateFlags extends GlobalOptions {
  id?: string;
  type?: string;
  priority?: string;
  description?: string;
  labels?: string;
  assignee?: string;
  parent?: string;
  deps?: string;
  design?: string;
  acceptance?: string;
  notes?: string;
  rig?: string;
  estimate?: string;
  defer?: string;
  due?: string;
  externalRef?: string;
  step?: string[];
  contextRig?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerBdCreate(bd: Command, io: CliIO): void {
  bd.command('create')
    .description('create a bead')
    .argument('<title>', 'the title')
    .option('--id <id>', 'use this id instead of a new hash id (any bd id shape: bd-mol-02i, web-app-a1)')
    .option('-t, --type <type>', 'bug, feature, task, epic, chore, … (default: task)')
    .option('-p, --priority <n>', 'priority 0 (highest) to 4, or P0-P4 (default: 2)')
    .option('-d, --description <text>', 'description')
    .option('-l, --labels <labels>', 'comma-separated labels')
    .option('-a, --assignee <name>', 'assignee')
    .option('--parent <id>', 'parent bead: makes a dotted child id and a parent-child edge')
    .option('--deps <deps>', 'dependencies, type:id[,type:id…]; a bare id means blocks')
    .option('--design <text>', 'design notes')
    .option('--acceptance <text>', 'acceptance criteria')
    .option('--notes <text>', 'notes')
    .option('--rig <name>', "use this rig's id prefix (default: the rig of the cwd, else hq)")
    .option('--estimate <minutes>', 'estimated minutes of work')
    .option('--defer <time>', 'hide from ready until this time (RFC 3339 or +<n>m|h|d|w)')
    .option('--due <time>', 'due time (RFC 3339 or +<n>m|h|d|w)')
    .option('--external-ref <ref>', 'a reference in another tracker (gh-12, jira-ABC-1)')
    .option('--step <command>', 'a shell step for the script agent (repeatable, run in order)', collect)
    .option(
      '--context-rig <rig>',
      'another rig the work reads: at its target branch head, read-only at ../.context/<rig> (repeatable)',
      collect,
    )
    .action((title: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<CreateFlags>();
      const input = newBeadFrom(title, flags, new Date());
      return withBeads(command, io, async (ctx) => {
        const bead = await ctx.beads.create({ ...input, prefix: ctx.prefix(flags.rig) }, ctx.change);
        if (ctx.json) printJson(io, beadJson(bead));
        else printLine(io, `Created ${bead.id}: ${bead.title}`);
      });
    });
}

function newBeadFrom(title: string, flags: CreateFlags, now: Date): Omit<NewBead, 'prefix'> {
  const input: Omit<NewBead, 'prefix'> = { title };
  if (flags.id !== undefined) input.id = parseBeadId(flags.id, '--id');
  if (flags.type !== undefined) input.issue_type = parseNewType(flags.type, '--type');
  if (flags.priority !== undefined) input.priority = parsePriority(flags.priority);
  if (flags.labels !== undefined) input.labels = parseLabels(flags.labels, '--labels');
  if (flags.parent !== undefined) input.parent = parseBeadId(flags.parent, '--parent');
  if (flags.deps !== undefined) input.dependencies = parseDeps(flags.deps);
  if (flags.estimate !== undefined) input.estimated_minutes = parseCount(flags.estimate, '--estimate');
  const defer = flags.defer === undefined ? null : parseTime(flags.defer, '--defer', now);
  if (defer !== null) input.defer_until = defer;
  const due = flags.due === undefined ? null : parseTime(flags.due, '--due', now);
  if (due !== null) input.due_at = due;
  const texts = {
    description: flags.description,
    design: flags.design,
    acceptance_criteria: flags.acceptance,
    notes: flags.notes,
    assignee: flags.assignee,
    external_ref: flags.externalRef,
  };
  for (const [field, value] of Object.entries(texts) as [keyof typeof texts, string | undefined][]) {
    if (value !== undefined && value !== '') input[field] = value;
  }
  const steps = (flags.step ?? []).map((step) => {
    if (step.trim() === '') throw invalidInput('--step: a step must not be empty');
    return step;
  });
  const extra = gastownExtra(steps, flags.contextRig ?? []);
  if (Object.keys(extra).length > 0) input.extra = extra;
  return input;
}
