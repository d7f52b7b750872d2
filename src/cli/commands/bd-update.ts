// `gt bd update <id…>`, `close <id…>`, `reopen <id…>`: changing beads. `update --claim` is the
// store's atomic claim (one conditional UPDATE): of two racing claimants exactly one wins, the
// other gets "already claimed by X" and a non-zero exit.
import type { Command } from 'commander';
import type { Bead } from '../../beads/model.js';
import type { BeadPatch } from '../../beads/store.js';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { beadJson } from '../render/bead-json.js';
import { parseCount, parseNewType, parsePriority, parseStatus, parseTime } from './bd-args.js';
import type { BdContext } from './bd-context.js';
import { withBeads } from './bd-context.js';

interface UpdateFlags extends GlobalOptions {
  status?: string;
  priority?: string;
  title?: string;
  assignee?: string;
  description?: string;
  design?: string;
  notes?: string;
  acceptance?: string;
  type?: string;
  estimate?: string;
  defer?: string;
  due?: string;
  claim?: boolean;
}

export function registerBdUpdate(bd: Command, io: CliIO): void {
  bd.command('update')
    .description('change fields of beads; --claim takes a bead atomically for the actor')
    .argument('<ids...>', 'bead ids')
    .option('-s, --status <status>', 'new status')
    .option('-p, --priority <n>', 'new priority (0-4 or P0-P4)')
    .option('--title <text>', 'new title')
    .option('-a, --assignee <name>', 'new assignee ("" unassigns)')
    .option('-d, --description <text>', 'new description ("" clears)')
    .option('--design <text>', 'new design notes ("" clears)')
    .option('--notes <text>', 'new notes ("" clears)')
    .option('--acceptance <text>', 'new acceptance criteria ("" clears)')
    .option('-t, --type <type>', 'new issue type')
    .option('--estimate <minutes>', 'estimated minutes ("" clears)')
    .option('--defer <time>', 'hide from ready until (RFC 3339 or +<n>m|h|d|w; "" clears)')
    .option('--due <time>', 'due time (RFC 3339 or +<n>m|h|d|w; "" clears)')
    .option('--claim', 'claim atomically: open and unassigned → in_progress, assigned to the actor')
    .action((ids: string[], _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<UpdateFlags>();
      const patch = patchFrom(flags, new Date());
      if (Object.keys(patch).length === 0 && !flags.claim) {
        throw invalidInput('update: nothing to change (pass --status, --title, --priority, … or --claim)');
      }
      return withBeads(command, io, async (ctx) => {
        const updated: Bead[] = [];
        for (const id of ids) {
          let bead = flags.claim
            ? await ctx.beads.claim(id, ctx.actor, ctx.change)
            : await ctx.beads.require(id);
          if (Object.keys(patch).length > 0) bead = await ctx.beads.update(id, patch, ctx.change);
          updated.push(bead);
          if (!ctx.json) printLine(io, `${flags.claim ? 'Claimed' : 'Updated'} ${bead.id}: ${bead.title}`);
        }
        if (ctx.json) printJson(io, updated.map(beadJson));
      });
    });

  bd.command('close')
    .description('close beads')
    .argument('<ids...>', 'bead ids')
    .option('-r, --reason <reason>', 'why (recorded as close_reason)')
    .action((ids: string[], _options: unknown, command: Command) => {
      const { reason } = command.optsWithGlobals<GlobalOptions & { reason?: string }>();
      return eachBead(command, io, ids, 'Closed', async (ctx, id) => {
        // A formula's human step or gate is the Overseer's to close, not an agent's.
        const { awaitsOverseer } = await import('../../roles/polecat/bead-steps.js');
        if (ctx.actor !== 'overseer' && awaitsOverseer(await ctx.beads.require(id)))
          throw new GasTownError(
            ErrorCode.conflict,
            `bead ${id} waits for the Overseer; only the Overseer closes it`,
            {
              ids: { bead: id },
            },
          );
        return ctx.beads.close(id, reason, ctx.change);
      });
    });

  bd.command('reopen')
    .description('reopen closed beads')
    .argument('<ids...>', 'bead ids')
    .action((ids: string[], _options: unknown, command: Command) =>
      eachBead(command, io, ids, 'Reopened', (ctx, id) => ctx.beads.reopen(id, ctx.change)),
    );
}

type BeadAction = (ctx: BdContext, id: string) => Promise<Bead>;

function eachBead(command: Command, io: CliIO, ids: string[], verb: string, act: BeadAction): Promise<void> {
  return withBeads(command, io, async (ctx) => {
    const done: Bead[] = [];
    for (const id of ids) {
      const bead = await act(ctx, id);
      done.push(bead);
      if (!ctx.json) printLine(io, `${verb} ${bead.id}: ${bead.close_reason ?? bead.title}`);
    }
    if (ctx.json) printJson(io, done.map(beadJson));
  });
}

function patchFrom(flags: UpdateFlags, now: Date): BeadPatch {
  const patch: BeadPatch = {};
  if (flags.status !== undefined) patch.status = parseStatus(flags.status);
  if (flags.priority !== undefined) patch.priority = parsePriority(flags.priority);
  if (flags.title !== undefined) patch.title = flags.title;
  if (flags.type !== undefined) patch.issue_type = parseNewType(flags.type);
  if (flags.estimate !== undefined) {
    patch.estimated_minutes = flags.estimate.trim() === '' ? null : parseCount(flags.estimate, '--estimate');
  }
  if (flags.defer !== undefined) patch.defer_until = parseTime(flags.defer, '--defer', now);
  if (flags.due !== undefined) patch.due_at = parseTime(flags.due, '--due', now);
  const texts = {
    assignee: flags.assignee,
    description: flags.description,
    design: flags.design,
    notes: flags.notes,
    acceptance_criteria: flags.acceptance,
  };
  for (const [field, value] of Object.entries(texts) as [keyof typeof texts, string | undefined][]) {
    if (value !== undefined) patch[field] = value === '' ? null : value;
  }
  return patch;
}
