// What a `gt bd` command works with: the town's bead store, who is acting, whether to print JSON,
// and the id prefix for new beads. The town (database, ledger, store) is imported and opened only
// when a command runs, so building the command tree stays cheap.
import type { Command } from 'commander';
import type { BeadStore, ChangeContext } from '../../beads/store.js';
import type { CliIO } from '../io.js';

export interface BdContext {
  beads: BeadStore;
  /** The actor and clock every change is recorded with. */
  change: ChangeContext;
  actor: string;
  json: boolean;
  /** Prefix for new beads: the named rig's, else the rig of the cwd, else `hq`. */
  prefix(rig: string | undefined): string;
}

export async function withBeads<T>(
  command: Command,
  io: CliIO,
  fn: (ctx: BdContext) => Promise<T>,
): Promise<T> {
  const { prefixFor, withTown } = await import('../town-context.js');
  return withTown(command, io, (town) =>
    fn({
      beads: town.beads,
      change: { actor: town.actor },
      actor: town.actor,
      json: town.json,
      prefix: (rig) => prefixFor(town, rig),
    }),
  );
}
