// `gt bd label add | remove | list` and `gt bd comments <id>` / `comments add <id> <text>`:
// labels and comments on a bead.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { commentJson } from '../render/bead-json.js';
import { commentLines } from '../render/bead-text.js';
import { parseLabel } from './bd-args.js';
import { withBeads } from './bd-context.js';

export function registerBdLabels(bd: Command, io: CliIO): void {
  const label = bd.command('label').description('labels on beads');

  label
    .command('add')
    .description('add a label to a bead')
    .argument('<id>', 'bead id')
    .argument('<label>', 'the label (no spaces or commas)')
    .action((id: string, raw: string, _options: unknown, command: Command) => {
      const name = parseLabel(raw, 'label');
      return withBeads(command, io, async (ctx) => {
        await ctx.beads.addLabel(id, name, ctx.change);
        if (ctx.json) return printJson(io, { status: 'added', issue_id: id, label: name });
        printLine(io, `Added label '${name}' to ${id}`);
      });
    });

  label
    .command('remove')
    .description('remove a label from a bead')
    .argument('<id>', 'bead id')
    .argument('<label>', 'the label')
    .action((id: string, name: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        await ctx.beads.removeLabel(id, name, ctx.change);
        if (ctx.json) return printJson(io, { status: 'removed', issue_id: id, label: name });
        printLine(io, `Removed label '${name}' from ${id}`);
      }),
    );

  label
    .command('list')
    .description("a bead's labels")
    .argument('<id>', 'bead id')
    .action((id: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const { labels } = await ctx.beads.require(id);
        if (ctx.json) return printJson(io, labels);
        if (labels.length === 0) return printLine(io, `${id} has no labels`);
        for (const name of labels) printLine(io, name);
      }),
    );

  const comments = bd
    .command('comments')
    .description("a bead's comments (`comments add <id> <text>` adds one)")
    .argument('<id>', 'bead id')
    .action((id: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const bead = await ctx.beads.require(id);
        if (ctx.json) return printJson(io, bead.comments.map(commentJson));
        if (bead.comments.length === 0) return printLine(io, `${id} has no comments`);
        for (const comment of bead.comments) for (const line of commentLines(comment)) printLine(io, line);
      }),
    );

  comments
    .command('add')
    .description('add a comment to a bead, authored by the actor')
    .argument('<id>', 'bead id')
    .argument('<text>', 'the comment')
    .action((id: string, text: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const comment = await ctx.beads.addComment(id, text, ctx.change);
        if (ctx.json) return printJson(io, commentJson(comment));
        printLine(io, `Comment added to ${id}`);
      }),
    );
}
