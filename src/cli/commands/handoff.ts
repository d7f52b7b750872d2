// `gt handoff <rig>/<polecat>`: cycle a live session. The process running it stops the session
// (reason `handoff`), commits its work (WIP) and starts a new session on the same bead and polecat
// that resumes the agent's conversation, with the polecat's unread mail in its preamble.
import type { Command } from 'commander';
import type { Db } from '../../db/open.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';
import { seconds, waitDelivered, waitFor } from './nudge.js';

interface HandoffFlags {
  message?: string;
  wait?: boolean;
  timeout: string;
}

export function registerHandoff(program: Command, io: CliIO): void {
  program
    .command('handoff <polecat>')
    .description(
      "cycle a polecat's session: commit its work, start a new session that resumes from its hook and mail",
    )
    .option('-m, --message <note>', 'a note for the record (why the handoff)')
    .option('--wait', 'wait until the new session has started')
    .option('--timeout <seconds>', 'how long --wait waits', '60')
    .action((address: string, flags: HandoffFlags, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { requestHandoff } = await import('../../roles/comms/nudge-send.js');
        const row = requestHandoff(ctx, {
          address,
          from: ctx.actor,
          ...(flags.message === undefined ? {} : { note: flags.message }),
        });
        const old = row.session_id ?? '';
        const next = flags.wait
          ? await waitNextSession(ctx.db, row.id, old, seconds(flags.timeout))
          : undefined;
        if (ctx.json) return printJson(io, { ...row, next_session: next ?? null });
        printLine(
          io,
          next === undefined
            ? `Handoff #${row.id} queued for ${row.actor} (session ${old}); its process stops the session, commits the work and starts the next one`
            : `Handed off ${row.actor}: session ${old} → ${next}`,
        );
      }),
    );
}

/** The session that took over from `old` once the handoff row is delivered. */
async function waitNextSession(db: Db, id: number, old: string, timeoutMs: number): Promise<string> {
  await waitDelivered(db, id, timeoutMs);
  return waitFor(`no session took over from ${old}`, timeoutMs, () => {
    const row = db
      .prepare<[string], { id: string }>(
        `SELECT s.id FROM sessions s JOIN sessions o ON o.id = ? AND s.rig = o.rig AND s.polecat = o.polecat
         WHERE s.bead_id = o.bead_id AND s.started_at >= o.started_at AND s.id <> o.id AND o.state = 'ended'
         ORDER BY s.started_at DESC LIMIT 1`,
      )
      .get(old);
    return row?.id;
  });
}
