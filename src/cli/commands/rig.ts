// `gt rig add | list | remove`: the town's rigs. Thin: find the town, open its database, call
// `src/town`, render text or JSON.
import type { Command } from 'commander';
import { openDb } from '../../db/open.js';
import type { Db } from '../../db/open.js';
import type { RigView } from '../../town/index.js';
import { addRig, locateTown, removeRig, rigViews, townPaths } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';

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
      const view = await withTown(io, flags, (root, db) =>
        addRig(root, db, {
          name,
          url,
          cwd: io.cwd,
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
      const views = await withTown(io, flags, (root, db) => rigViews(root, db));
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
      await withTown(io, flags, (root, db) => removeRig(root, db, name));
      if (flags.json) return printJson(io, { removed: name });
      printLine(io, `Removed rig "${name}"`);
    });
}

async function withTown<T>(
  io: CliIO,
  flags: GlobalOptions,
  fn: (root: string, db: Db) => Promise<T>,
): Promise<T> {
  const root = locateTown({
    env: io.env,
    cwd: io.cwd,
    ...(flags.town === undefined ? {} : { flag: flags.town }),
  });
  const db = openDb(townPaths(root).db);
  try {
    return await fn(root, db);
  } finally {
    db.close();
  }
}

function describe(view: RigView): string {
  const check = view.check === null ? '' : `  check: ${view.check}`;
  return `${view.name}  prefix ${view.prefix}  ${view.branch}  ${view.git_url}  merge ${view.merge_mode}${check}`;
}
