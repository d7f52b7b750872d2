// Opens the town a command runs in: finds it (--town, $GT_TOWN, cwd upward), opens its services
// (database, ledger, bead store) and names the actor. Commands call this lazily, only when they
// need the town.
import type { Command } from 'commander';
import { hqPrefix } from '../beads/index.js';
import { invalidInput } from '../errors.js';
import { getRig, loadTownConfig, locateTown, rigForPath } from '../town/index.js';
import { flushTelemetry, telemetryConfigured } from '../town/telemetry.js';
import type { TownServices } from '../town/services.js';
import { openTownServices } from '../town/services.js';
import type { CliIO, GlobalOptions } from './io.js';

export interface TownContext extends TownServices {
  root: string;
  actor: string;
  json: boolean;
  /** The rig the command runs inside (cwd under `<town>/<rig>/`), if any. */
  cwdRig: string | undefined;
}

export function openTown(command: Command, io: CliIO): TownContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const root = locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
  const services = openTownServices(root, { env: io.env });
  return {
    ...services,
    root,
    actor: actorOf(globals, io),
    json: globals.json === true,
    cwdRig: rigForPath(root, io.cwd),
  };
}

export function actorOf(globals: GlobalOptions, io: CliIO): string {
  return globals.actor ?? io.env.GT_ACTOR ?? 'overseer';
}

/** The id prefix for new beads: the named rig's, else the rig we stand in, else `hq`. */
export function prefixFor(ctx: TownContext, rig: string | undefined): string {
  const name = rig ?? ctx.cwdRig;
  if (name === undefined) return hqPrefix;
  const found = getRig(ctx.db, name);
  if (!found) throw invalidInput(`--rig: no rig named ${name} in this town (see \`gt rig list\`)`);
  return found.prefix;
}

/**
 * Runs `fn` with the town open and always closes it. When the command wrote to the ledger and
 * telemetry is configured, the new events go to the OTLP collector before the town closes.
 */
export async function withTown<T>(
  command: Command,
  io: CliIO,
  fn: (ctx: TownContext) => Promise<T>,
): Promise<T> {
  const ctx = openTown(command, io);
  const before = ctx.ledger.head().seq;
  try {
    const result = await fn(ctx);
    if (ctx.ledger.head().seq !== before) await exportTelemetry(ctx, io);
    return result;
  } finally {
    ctx.close();
  }
}

async function exportTelemetry(ctx: TownContext, io: CliIO): Promise<void> {
  // The change is committed by now: a telemetry problem is a warning, never the command's failure.
  let problem: string | undefined;
  try {
    const config = await loadTownConfig(ctx.root);
    if (!telemetryConfigured(config, io.env)) return;
    problem = (await flushTelemetry(ctx.db, config, io.env))?.error;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (problem !== undefined)
    io.stderr(`gt: telemetry export deferred (${problem}); the events stay in the ledger\n`);
}
