// `gt escalate list|ack|close`: what the town's loops could not settle themselves and handed to the
// Overseer. Recurring problems fold into one escalation with a count.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';
import { parseSeq } from './seq-arg.js';

export function registerEscalate(program: Command, io: CliIO): void {
  const escalate = program.command('escalate').description('escalations to the Overseer');

  escalate
    .command('list')
    .description('open and acknowledged escalations (--all: closed ones too)')
    .option('--all', 'include closed escalations')
    .action((flags: { all?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { listEscalations } = await import('../../roles/comms/escalations.js');
        const rows = listEscalations(ctx.db, flags.all ? { all: true } : {});
        if (ctx.json) return printJson(io, rows);
        if (rows.length === 0)
          return printLine(io, flags.all ? 'No escalations yet' : 'Nothing is escalated');
        for (const e of rows) {
          const where = [e.rig, e.bead_id].filter((part) => part !== null).join(' ');
          const times = e.count > 1 ? ` (×${e.count})` : '';
          printLine(
            io,
            `#${e.id} ${e.state}  ${e.kind}${times}  ${where}  ${e.summary}  (since ${e.created_at})`,
          );
        }
      }),
    );

  for (const [name, verb, description] of [
    ['ack', 'Acknowledged', 'mark an escalation as seen; it stays listed and keeps folding repeats'],
    ['close', 'Closed', 'resolve an escalation; the same problem raised again opens a new one'],
  ] as const) {
    escalate
      .command(`${name} <id>`)
      .description(description)
      .action((idText: string, _flags: unknown, command: Command) =>
        withTown(command, io, async (ctx) => {
          const { ackEscalation, closeEscalation } = await import('../../roles/comms/escalations.js');
          const change = name === 'ack' ? ackEscalation : closeEscalation;
          const row = change(ctx, parseSeq(idText, 'id'), ctx.actor);
          if (ctx.json) printJson(io, row);
          else printLine(io, `${verb} #${row.id}: ${row.summary}`);
        }),
      );
  }
}
