// Mail between the town's actors (the Overseer, the Mayor, polecats): durable messages that wait in
// the `mail` table until read. Sending and reading each commit with their ledger event (`mail.sent`,
// `mail.read`) in one transaction, so the ledger is the history and the table the mailbox.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { invalidInput, notFound } from '../../errors.js';
import type { TownServices } from '../../town/services.js';
import { parsePolecatAddress, resolveMailAddress } from './mail-address.js';

export interface MailInput {
  from: string;
  to: string;
  subject: string;
  body: string;
  beadId?: string;
  convoyId?: string;
}

const mailRowSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  from_actor: z.string(),
  to_actor: z.string(),
  subject: z.string(),
  body: z.string(),
  bead_id: z.string().nullable(),
  convoy_id: z.string().nullable(),
  read_at: z.string().nullable(),
});
export type MailRow = z.output<typeof mailRowSchema>;

/** What mail needs of the town: its database and ledger. */
export type MailTown = Pick<TownServices, 'db' | 'ledger'>;

/** `mail-<base36>`: 64 random bits, so two processes sending at once never collide. */
export function newMailId(): string {
  return `mail-${randomBytes(8).readBigUInt64BE().toString(36)}`;
}

/**
 * Sends one message: `to` must be `overseer`, `mayor` or a known polecat (`<rig>/<name>` is
 * accepted and stored as `<rig>/polecats/<name>`). The row and `mail.sent` commit together.
 */
export function sendMail(town: MailTown, input: MailInput): MailRow {
  const from = input.from.trim();
  if (from === '') throw invalidInput('mail: from must name the sender');
  if (input.subject.trim() === '') throw invalidInput('mail: the subject is empty (-s <subject>)');
  return writeTx(town.db, () => {
    const to = resolveMailAddress(town.db, input.to);
    const row: MailRow = {
      id: newMailId(),
      created_at: new Date().toISOString(),
      from_actor: from,
      to_actor: to,
      subject: input.subject,
      body: input.body,
      bead_id: input.beadId ?? null,
      convoy_id: input.convoyId ?? null,
      read_at: null,
    };
    town.db
      .prepare(
        `INSERT INTO mail (id, created_at, from_actor, to_actor, subject, body, bead_id, convoy_id, read_at)
         VALUES (:id, :created_at, :from_actor, :to_actor, :subject, :body, :bead_id, :convoy_id, NULL)`,
      )
      .run(row);
    town.ledger.append({
      kind: 'mail.sent',
      actor: from,
      ...(row.bead_id === null ? {} : { bead_id: row.bead_id }),
      payload: { id: row.id, to, subject: row.subject, body: row.body, convoy: row.convoy_id },
    });
    return row;
  });
}

/** Canonical mailbox name without touching the town: `<rig>/<name>` → `<rig>/polecats/<name>`. */
export function mailboxOf(address: string): string {
  return parsePolecatAddress(address)?.actor ?? address.trim();
}

/** The mail addressed to `to`, oldest first; only the unread with `unreadOnly`. */
export function inbox(db: Db, to: string, options: { unreadOnly?: boolean } = {}): MailRow[] {
  const unread = options.unreadOnly === true ? 'AND read_at IS NULL' : '';
  return db
    .prepare(`SELECT * FROM mail WHERE to_actor = ? ${unread} ORDER BY created_at, rowid`)
    .all(mailboxOf(to))
    .map((row) => mailRowSchema.parse(row));
}

export function getMail(db: Db, id: string): MailRow | undefined {
  const row: unknown = db.prepare('SELECT * FROM mail WHERE id = ?').get(id);
  return row === undefined ? undefined : mailRowSchema.parse(row);
}

/**
 * Reads one message. When its recipient reads it the first time it is marked read and the ledger
 * gets `mail.read`; anyone else (the Overseer looking into a polecat's mailbox) sees it without
 * marking it, so the polecat still finds it unread at its next session.
 */
export function readMail(town: MailTown, id: string, reader: string): MailRow {
  return writeTx(town.db, () => {
    const row = getMail(town.db, id);
    if (!row) throw notFound('mail', id);
    if (row.read_at !== null || mailboxOf(reader) !== row.to_actor) return row;
    const readAt = new Date().toISOString();
    town.db.prepare('UPDATE mail SET read_at = ? WHERE id = ?').run(readAt, id);
    town.ledger.append({
      kind: 'mail.read',
      actor: mailboxOf(reader),
      ...(row.bead_id === null ? {} : { bead_id: row.bead_id }),
      payload: { id, from: row.from_actor, subject: row.subject },
    });
    return { ...row, read_at: readAt };
  });
}
