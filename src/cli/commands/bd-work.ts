// `gt bd ready`, `blocked`, `stats`: what can be worked on now, what is held back and by whom,
// and counts. JSON follows bd: arrays of issues, BlockedIssue objects, one Stats object.
import type { Command } from 'commander';
import type { ReadyFilter } from '../../beads/store.js';
import { invalidInput } from '../../errors.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { beadJson, blockedJson } from '../render/bead-json.js';
import { beadLine, blockedLines, statsLines } from '../render/bead-text.js';
import { collect, parseCount, parseLabels, parsePriority, parseSort, parseTypeFilter } from './bd-args.js';
import { withBeads } from './bd-context.js';

/** Like bd, `ready` shows ten beads unless told otherwise. */
const defaultReadyLimit = 10;

interface ReadyFlags extends GlobalOptions {
  limit?: string;
  sort?: string;
  assignee?: string;
  unassigned?: boolean;
  label?: string[];
  type?: string;
  priority?: string;
  rig?: string;
}

export function registerBdWork(bd: Command, io: CliIO): void {
  bd.command('ready')
    .description('beads ready to work on: open, not deferred, nothing unclosed blocking them')
    .option('-n, --limit <n>', `at most this many (default ${defaultReadyLimit}; 0: no limit)`)
    .option('--sort <policy>', 'hybrid (recent by priority, then oldest), priority or oldest')
    .option('-a, --assignee <name>', 'only beads assigned to this name')
    .option('-u, --unassigned', 'only unassigned beads')
    .option('-l, --label <labels>', 'only beads with all of these labels (repeatable, comma list)', collect)
    .option('-t, --type <type>', 'only this issue type')
    .option('-p, --priority <n>', 'only this priority (0-4 or P0-P4)')
    .option('--rig <name>', "only this rig's beads")
    .action((_options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<ReadyFlags>();
      const filter = readyFilterFrom(flags);
      return withBeads(command, io, async (ctx) => {
        if (flags.rig !== undefined) filter.prefix = ctx.prefix(flags.rig);
        const beads = await ctx.beads.ready(filter);
        if (ctx.json) return printJson(io, beads.map(beadJson));
        if (beads.length === 0) return printLine(io, 'No ready work');
        for (const bead of beads) printLine(io, beadLine(bead));
      });
    });

  bd.command('blocked')
    .description('unclosed beads held back by unclosed blockers, with the blockers')
    .action((_options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const blocked = await ctx.beads.blocked();
        if (ctx.json) return printJson(io, blocked.map(blockedJson));
        if (blocked.length === 0) return printLine(io, 'No blocked beads');
        for (const line of blockedLines(blocked)) printLine(io, line);
      }),
    );

  bd.command('stats')
    .description('counts by status, ready and blocked beads, average lead time')
    .action((_options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const stats = await ctx.beads.stats();
        if (ctx.json) return printJson(io, stats);
        for (const line of statsLines(stats)) printLine(io, line);
      }),
    );
}

function readyFilterFrom(flags: ReadyFlags): ReadyFilter {
  if (flags.assignee !== undefined && flags.unassigned) {
    throw invalidInput('--assignee and --unassigned cannot be used together');
  }
  const filter: ReadyFilter = {
    limit: flags.limit === undefined ? defaultReadyLimit : parseCount(flags.limit, '--limit'),
  };
  if (flags.sort !== undefined) filter.sort = parseSort(flags.sort);
  if (flags.assignee !== undefined) filter.assignee = flags.assignee;
  if (flags.unassigned) filter.unassigned = true;
  if (flags.label !== undefined) filter.labels = parseLabels(flags.label, '--label');
  if (flags.type !== undefined) filter.issueType = parseTypeFilter(flags.type);
  if (flags.priority !== undefined) filter.priority = parsePriority(flags.priority);
  return filter;
}
