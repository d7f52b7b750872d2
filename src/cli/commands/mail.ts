// `gt mail send|inbox|read`: durable messages between the Overseer, the Mayor and polecats. Mail
// waits in the town until read; a polecat's unread mail is handed to its next session. Inside a
// polecat session GT_ACTOR makes the polecat the sender and the owner of the inbox.
import type { Command } from 'commander';
import type { MailRow } from '../../roles/comms/mail.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

interface SendFlags {
  subject: string;
  message?: string;
  bead?: string;
  convoy?: string;
}

export function registerMail(program: Command, io: CliIO): void {
  const mail = program.command('mail').description('mail between the Overseer, the Mayor and polecats');

  mail
    .command('send <to>')
    .description('send mail to overseer, mayor or <rig>/polecats/<name> (or <rig>/<name>)')
    .requiredOption('-s, --subject <subject>', 'the subject line')
    .option('-m, --message <body>', 'the message body', '')
    .option('--bead <id>', 'the bead the message is about')
    .option('--convoy <id>', 'the convoy the message is about')
    .action((to: string, flags: SendFlags, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { sendMail } = await import('../../roles/comms/mail.js');
        const row = sendMail(ctx, {
          from: ctx.actor,
          to,
          subject: flags.subject,
          body: flags.message ?? '',
          ...(flags.bead === undefined ? {} : { beadId: flags.bead }),
          ...(flags.convoy === undefined ? {} : { convoyId: flags.convoy }),
        });
        if (ctx.json) printJson(io, row);
        else printLine(io, `Sent ${row.id} to ${row.to_actor}: ${row.subject}`);
      }),
    );

  mail
    .command('inbox')
    .description('the mail addressed to you (or --for someone), oldest first')
    .option('--for <actor>', 'whose inbox (default: the acting actor, $GT_ACTOR or overseer)')
    .option('--unread', 'only unread mail')
    .action((flags: { for?: string; unread?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { inbox, mailboxOf } = await import('../../roles/comms/mail.js');
        const { resolveMailAddress } = await import('../../roles/comms/mail-address.js');
        const owner = flags.for === undefined ? mailboxOf(ctx.actor) : resolveMailAddress(ctx.db, flags.for);
        const rows = inbox(ctx.db, owner, { unreadOnly: flags.unread === true });
        if (ctx.json) return printJson(io, rows);
        if (rows.length === 0) return printLine(io, `No ${flags.unread ? 'unread ' : ''}mail for ${owner}`);
        for (const row of rows) printLine(io, inboxLine(row));
      }),
    );

  mail
    .command('read <id>')
    .description('show a message; reading your own mail marks it read')
    .action((id: string, _flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { readMail } = await import('../../roles/comms/mail.js');
        const row = readMail(ctx, id, ctx.actor);
        if (ctx.json) return printJson(io, row);
        printLine(io, `${row.id}  from ${row.from_actor} to ${row.to_actor}  ${row.created_at}`);
        if (row.bead_id !== null) printLine(io, `Bead: ${row.bead_id}`);
        if (row.convoy_id !== null) printLine(io, `Convoy: ${row.convoy_id}`);
        printLine(io, `Subject: ${row.subject}`);
        printLine(io);
        printLine(io, row.body);
      }),
    );
}

function inboxLine(row: MailRow): string {
  const flag = row.read_at === null ? 'unread' : 'read  ';
  const bead = row.bead_id === null ? '' : `  [${row.bead_id}]`;
  return `${row.id}  ${flag}  ${row.created_at.slice(0, 19).replace('T', ' ')}  from ${row.from_actor}  ${row.subject}${bead}`;
}
