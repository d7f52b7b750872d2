// The town tools: status (what `gt status` shows) and mail — the Mayor writes to the Overseer or a
// polecat, and reads its own inbox.
import { z } from 'zod';
import { townStatus } from '../daemon/status.js';
import { inbox, readMail, sendMail } from '../roles/comms/mail.js';
import { defineTool } from './tool.js';

export const statusTool = defineTool({
  name: 'status',
  description:
    'The state of the town: daemon, rigs with their polecats and merge queues, convoys with progress, open escalations, pending approvals, e-stop.',
  input: {},
  readOnly: true,
  run: (_args, ctx) => Promise.resolve(townStatus(ctx.town)),
});

export const sendMailTool = defineTool({
  name: 'send_mail',
  description:
    'Send mail to `overseer`, `mayor` or a polecat (`<rig>/polecats/<name>`). It waits in their inbox.',
  input: {
    to: z.string().min(1),
    subject: z.string().min(1),
    body: z.string(),
    bead: z.string().optional().describe('the bead it is about'),
    convoy: z.string().optional().describe('the convoy it is about'),
  },
  run: (args, ctx) => {
    const row = sendMail(ctx.town, {
      from: ctx.actor,
      to: args.to,
      subject: args.subject,
      body: args.body,
      ...(args.bead === undefined ? {} : { beadId: args.bead }),
      ...(args.convoy === undefined ? {} : { convoyId: args.convoy }),
    });
    return Promise.resolve({ id: row.id, to: row.to_actor });
  },
});

export const readInboxTool = defineTool({
  name: 'read_inbox',
  description: "The Mayor's mail, oldest first; unread only unless all is true. Reading marks it read.",
  input: { all: z.boolean().optional() },
  run: (args, ctx) => {
    const rows = inbox(ctx.town.db, ctx.actor, { unreadOnly: args.all !== true });
    return Promise.resolve(
      rows.map((row) => {
        const read = readMail(ctx.town, row.id, ctx.actor);
        return {
          id: read.id,
          from: read.from_actor,
          at: read.created_at,
          subject: read.subject,
          body: read.body,
          bead: read.bead_id,
          convoy: read.convoy_id,
        };
      }),
    );
  },
});
