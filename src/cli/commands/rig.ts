// `gt rig add | list | remove`: the town's rigs. Thin: find the town, open its database, call
// `src/town`, render text or JSON.
import type { Command } from 'commander';
import type { RigJournal, RigView } from '../../town/index.js';
import { addRig, removeRig, rigViews } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import type { TownContext } from '../town-context.js';
import { withTown } from '../town-context.js';

interface AddFlags extends GlobalOptions {
  branch?: string;
  check?: string;
  prefix?: string;
}

export function registerRig(program: Command, io: CliIO): void {
  const rig = program.command('rig').description("manage the town's rigs (git repositories)");

  rig
    .command('add')
    .description('mirror a repository into the town and register it as a rig')
    .argument('<name>', 'rig name: a-z, 0-9, "-", "_", starting with a letter')
    .argument('<git-url>', 'anything git clone takes: a local path, file://, https://, ssh')
    .option('--branch <branch>', "target branch (default: the remote's HEAD branch)")
    .option('--check <command>', 'command that must pass before a change merges')
    .option('--prefix <prefix>', 'bead id prefix, 2-8 lowercase letters/digits (default: from the name)')
    .action(async (name: string, url: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<AddFlags>();
      const view = await withTown(command, io, (ctx) =>
        addRig(ctx.root, ctx.db, {
          name,
          url,
          cwd: io.cwd,
          journal: journalOf(ctx),
          ...(flags.branch === undefined ? {} : { branch: flags.branch }),
          ...(flags.check === undefined ? {} : { check: flags.check }),
          ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
        }),
      );
      if (flags.json) return printJson(io, view);
      printLine(
        io,
        `Added rig "${view.name}" (prefix ${view.prefix}) from ${view.git_url} on branch ${view.branch}`,
      );
      printLine(io, `  ${view.path}`);
    });

  rig
    .command('list')
    .description("list the town's rigs")
    .action(async (_options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      const views = await withTown(command, io, (ctx) => Promise.resolve(rigViews(ctx.root, ctx.db)));
      if (flags.json) return printJson(io, views);
      if (views.length === 0) return printLine(io, 'No rigs yet; add one with `gt rig add <name> <git-url>`');
      for (const view of views) printLine(io, describe(view));
    });

  rig
    .command('remove')
    .description('remove a rig: its directory (mirror and worktrees) and its registration')
    .argument('<name>', 'rig name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      await withTown(command, io, (ctx) => removeRig(ctx.root, ctx.db, name, journalOf(ctx)));
      if (flags.json) return printJson(io, { removed: name });
      printLine(io, `Removed rig "${name}"`);
    });
}

function journalOf(ctx: TownContext): RigJournal {
  return (kind, payload) => ctx.ledger.append({ kind, actor: ctx.actor, payload });
}

function describe(view: RigView): string {
  const check = view.check === null ? '' : `  check: ${view.check}`;
  return `${view.name}  prefix ${view.prefix}  ${view.branch}  ${view.git_url}  merge ${view.merge_mode}${check}`;
}
