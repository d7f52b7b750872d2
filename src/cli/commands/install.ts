// `gt install <dir> [--name <n>]`: creates a town. Thin: parse, call `installTown`, render.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { installTown, loadTownConfig, townPaths } from '../../town/index.js';
import { actorOf } from '../town-context.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';

interface InstallFlags extends GlobalOptions {
  name?: string;
}

export function registerInstall(program: Command, io: CliIO): void {
  program
    .command('install')
    .description('create a town in <dir> (made if missing): town.yaml, .gt/town.db, mayor/')
    .argument('<dir>', 'directory for the town')
    .option('--name <name>', "the town's name (default: the directory's name)")
    .action(async (dir: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<InstallFlags>();
      const root = await installTown(resolve(io.cwd, dir), {
        actor: actorOf(flags, io),
        ...(flags.name === undefined ? {} : { name: flags.name }),
      });
      const config = await loadTownConfig(root);
      const paths = townPaths(root);
      if (flags.json) {
        printJson(io, { name: config.name, root, config: paths.config, db: paths.db, mayor: paths.mayor });
        return;
      }
      printLine(io, `Created town "${config.name}" at ${root}`);
      printLine(io, `Next: gt --town ${root} rig add <name> <git-url>`);
    });
}
