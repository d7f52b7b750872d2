// `gt nudge <rig>/<polecat> "<msg>"`: words to a live session. It queues a row that the process
// running the session (the `gt sling` in the foreground, or the daemon) puts into the agent within
// a poll; `--wait` stays until it has.
import type { Command } from 'commander';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { Db } from '../../db/open.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

interface WaitFlags {
  wait?: boolean;
  timeout: string;
}

export function registerNudge(program: Command, io: CliIO): void {
  program
    .command('nudge <polecat> <message>')
    .description("put a message into a polecat's live session (<rig>/polecats/<name> or <rig>/<name>)")
    .option('--wait', 'wait until the session has received it')
    .option('--timeout <seconds>', 'how long --wait waits', '30')
    .action((address: string, message: string, flags: WaitFlags, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { sendNudge } = await import('../../roles/comms/nudge-send.js');
        const row = sendNudge(ctx, { address, from: ctx.actor, text: message });
        const delivered = flags.wait ? await waitDelivered(ctx.db, row.id, seconds(flags.timeout)) : false;
        if (ctx.json) return printJson(io, { ...row, delivered });
        printLine(
          io,
          delivered
            ? `Delivered nudge #${row.id} into ${row.actor}'s session ${row.session_id ?? ''}`
            : `Queued nudge #${row.id} for ${row.actor} (session ${row.session_id ?? ''}); the process running the session delivers it into the live agent`,
        );
      }),
    );
}

export function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new GasTownError(ErrorCode.invalidInput, `--timeout: expected seconds > 0 (got ${text})`);
  return value * 1000;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new GasTownError(ErrorCode.conflict, `gave up waiting: ${what} (it stays queued)`, {
        retryable: true,
      });
    await pause(100);
  }
}

export async function waitDelivered(db: Db, id: number, timeoutMs: number): Promise<boolean> {
  return waitFor(`nudge #${id} was not delivered`, timeoutMs, () =>
    db.prepare('SELECT 1 FROM nudges WHERE id = ? AND delivered_at IS NOT NULL').get(id) ? true : undefined,
  );
}
