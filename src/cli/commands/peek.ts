// `gt peek <rig>/<polecat> [--follow]`: the polecat's current (or last) session as a transcript
// from the ledger. `--follow` keeps printing as the session goes on — into the next session when it
// is handed off — and stops when the session ends (or on Ctrl-C).
import type { Command } from 'commander';
import { invalidInput, notFound } from '../../errors.js';
import type { LedgerEvent } from '../../ledger/index.js';
import type { CliIO } from '../io.js';
import { printLine } from '../io.js';
import { withTown } from '../town-context.js';

interface PeekFlags {
  follow?: boolean;
  session?: string;
  limit?: string;
  interval: string;
}

/** How long --follow waits for the session that continues a handed-off one. */
const successorWaitMs = 15_000;

export function registerPeek(program: Command, io: CliIO): void {
  program
    .command('peek <polecat>')
    .description("a polecat's current (or last) session as a transcript from the ledger")
    .option('-f, --follow', 'keep printing until the session ends (following handoffs)')
    .option('--session <id>', 'this session instead of the newest')
    .option('-n, --limit <n>', 'only the last n lines before following (default: all)')
    .option('--interval <ms>', 'polling interval with --follow', '250')
    .action((address: string, flags: PeekFlags, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { resolvePolecat } = await import('../../roles/comms/mail-address.js');
        const peek = await import('../../roles/polecat/peek.js');
        const polecat = resolvePolecat(ctx.db, address);
        let session =
          flags.session === undefined
            ? peek.latestSession(ctx.db, polecat.rig, polecat.polecat)
            : peek.getSession(ctx.db, flags.session);
        if (!session) {
          if (flags.session !== undefined) throw notFound('session', flags.session);
          throw notFound('session', `any session of ${polecat.actor} (it has not run yet)`);
        }
        const print = (event: LedgerEvent) => {
          if (ctx.json) return io.stdout(JSON.stringify(event) + '\n');
          const line = peek.transcriptLine(event);
          if (line !== undefined) printLine(io, line);
        };
        const limit = flags.limit === undefined ? 0 : Number(flags.limit);
        if (!Number.isInteger(limit) || limit < 0)
          throw invalidInput(`--limit: must be a whole number (got ${flags.limit})`);
        if (!ctx.json)
          printLine(
            io,
            `${polecat.actor} · bead ${session.bead_id} · session ${session.id} (${session.state})`,
          );
        const first = peek.sessionEvents(ctx.db, session.id);
        (limit === 0 ? first : first.slice(-limit)).forEach(print);
        if (!flags.follow) return;
        let last = first.at(-1)?.seq ?? 0;
        const interval = Math.max(20, Number(flags.interval) || 250);
        let interrupted = false;
        const interrupt = () => (interrupted = true);
        process.once('SIGINT', interrupt);
        process.once('SIGTERM', interrupt);
        let endedAt: number | undefined;
        try {
          while (!interrupted) {
            // The state first: a session seen ended has all its events in the ledger already.
            const now = peek.getSession(ctx.db, session.id) ?? session;
            for (const event of peek.sessionEvents(ctx.db, session.id, last)) {
              print(event);
              last = event.seq;
            }
            if (now.state !== 'running') {
              const next = peek.successorOf(ctx.db, now);
              if (next) {
                session = next;
                last = 0;
                endedAt = undefined;
                continue;
              }
              endedAt ??= Date.now();
              // A handed-off session is followed by the next one in a moment; anything else is the end.
              if (now.outcome !== 'handoff' || Date.now() - endedAt > successorWaitMs) return;
            }
            await new Promise((resolve) => setTimeout(resolve, interval));
          }
        } finally {
          process.off('SIGINT', interrupt);
          process.off('SIGTERM', interrupt);
        }
      }),
    );
}
