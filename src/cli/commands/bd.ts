// `gt bd …`: the classic beads (`bd`) command line over the town's bead store. This file only
// builds the group; each family of subcommands registers itself from its own `bd-*.ts` file, and
// the town opens only when a subcommand runs (see bd-context.ts).
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { registerBdCreate } from './bd-create.js';
import { registerBdDeps } from './bd-deps.js';
import { registerBdIo } from './bd-io.js';
import { registerBdLabels } from './bd-labels.js';
import { registerBdMol } from './bd-mol.js';
import { registerBdRead } from './bd-read.js';
import { registerBdUpdate } from './bd-update.js';
import { registerBdWork } from './bd-work.js';

export function registerBd(program: Command, io: CliIO): void {
  const bd = program
    .command('bd')
    .description('beads: create, query and link work items (compatible with the classic `bd` CLI)');
  registerBdCreate(bd, io);
  registerBdRead(bd, io);
  registerBdUpdate(bd, io);
  registerBdWork(bd, io);
  registerBdDeps(bd, io);
  registerBdLabels(bd, io);
  registerBdIo(bd, io);
  registerBdMol(bd, io);
}
