// `gt bd show <id…>` and `gt bd list`: reading beads. `show --json` is an array of bd's issue
// details; `list --json` an array of issues; text is one compact line per bead.
import type { Command } from 'commander';
import type { Bead } from '../../beads/model.js';
import type { BeadStore, ListFilter } from '../../beads/store.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { beadJson, detailJson } from '../render/bead-json.js';
import { beadLine, showLines } from '../render/bead-text.js';
import {
  collect,
  parseBeadId,
  parseCount,
  parseLabels,
  parsePriority,
  parseStatuses,
  parseTypeFilter,
} from './bd-args.js';
import { withBeads } from './bd-context.js';

interface ListFlags extends GlobalOptions {
  status?: string;
  type?: string;
  assignee?: string;
  label?: string[];
  labelAny?: string[];
  priority?: string;
  parent?: string;
  all?: boolean;
  limit?: string;
}

export function registerBdRead(bd: Command, io: CliIO): void {
  bd.command('show')
    .description('show beads in detail: fields, labels, dependencies, dependents, comments')
    .argument('<ids...>', 'bead ids')
    .action((ids: string[], _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const shown: { bead: Bead; views: Awaited<ReturnType<BeadStore['dependencies']>> }[] = [];
        for (const id of ids) {
          const bead = await ctx.beads.require(id);
          shown.push({ bead, views: await ctx.beads.dependencies(id) });
        }
        if (ctx.json)
          return printJson(
            io,
            shown.map(({ bead, views }) => detailJson(bead, views)),
          );
        shown.forEach(({ bead, views }, n) => {
          if (n > 0) printLine(io);
          for (const line of showLines(bead, views)) printLine(io, line);
        });
      }),
    );

  bd.command('list')
    .description('list beads (unclosed unless --all or --status), by priority then age')
    .option('-s, --status <statuses>', 'only these statuses (comma list)')
    .option('-t, --type <type>', 'only this issue type')
    .option('-a, --assignee <name>', 'only beads assigned to this name')
    .option('-l, --label <labels>', 'only beads with all of these labels (repeatable, comma list)', collect)
    .option('--label-any <labels>', 'only beads with at least one of these labels', collect)
    .option('-p, --priority <n>', 'only this priority (0-4 or P0-P4)')
    .option('--parent <id>', 'only direct children of this bead')
    .option('--all', 'include closed beads')
    .option('-n, --limit <n>', 'at most this many (0: no limit)')
    .action((_options: unknown, command: Command) => {
      const filter = listFilterFrom(command.optsWithGlobals<ListFlags>());
      return withBeads(command, io, async (ctx) => {
        const beads = await ctx.beads.list(filter);
        if (ctx.json) return printJson(io, beads.map(beadJson));
        if (beads.length === 0) return printLine(io, 'No beads found');
        for (const bead of beads) printLine(io, beadLine(bead));
      });
    });
}

function listFilterFrom(flags: ListFlags): ListFilter {
  const filter: ListFilter = {};
  if (flags.status !== undefined) filter.status = parseStatuses(flags.status);
  if (flags.type !== undefined) filter.issueType = parseTypeFilter(flags.type);
  if (flags.assignee !== undefined) filter.assignee = flags.assignee;
  if (flags.label !== undefined) filter.labels = parseLabels(flags.label, '--label');
  if (flags.labelAny !== undefined) filter.labelsAny = parseLabels(flags.labelAny, '--label-any');
  if (flags.priority !== undefined) filter.priority = parsePriority(flags.priority);
  if (flags.parent !== undefined) filter.parent = parseBeadId(flags.parent, '--parent');
  if (flags.all) filter.all = true;
  if (flags.limit !== undefined) filter.limit = parseCount(flags.limit, '--limit');
  return filter;
}
