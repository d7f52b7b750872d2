// Mail between actors: a message persists in the town (a reopened town still has it), the ledger
// records its sending and reading, `<rig>/<name>` reaches the same mailbox as the full address, and
// unknown rigs and polecats are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GasTownError } from '../../src/errors.js';
import { movePolecat } from '../../src/roles/polecat/index.js';
import { inbox, readMail, sendMail } from '../../src/roles/comms/mail.js';
import { openTownServices, type TownServices } from '../../src/town/services.js';
import { makeTown } from '../support/town.js';
import { removeTempDirs } from '../support/temp.js';

let root: string;

function open(): TownServices {
  return openTownServices(root, { env: {} });
}

beforeAll(async () => {
  root = (await makeTown()).root;
  const town = open();
  town.db
    .prepare(
      `INSERT INTO rigs (name, prefix, git_url, branch, created_at) VALUES ('web', 'web', 'x', 'main', 'now')`,
    )
    .run();
  movePolecat(
    town.db,
    { rig: 'web', name: 'nux' },
    { to: 'working', bead_id: 'web-abcd', branch: 'polecat/nux/web-abcd', worktree: '/w', session_id: null },
  );
  town.close();
});
afterAll(removeTempDirs);

describe('mail', () => {
  it('persists a message, lists it unread, and marks it read when its recipient reads it', () => {
    let town = open();
    const sent = sendMail(town, {
      from: 'mayor',
      to: 'web/nux',
      subject: 'rebase first',
      body: 'main moved; rebase before you finish',
      beadId: 'web-abcd',
    });
    expect(sent.id).toMatch(/^mail-[0-9a-z]+$/);
    expect(sent.to_actor).toBe('web/polecats/nux');
    town.close();

    town = open();
    try {
      expect(inbox(town.db, 'web/polecats/nux', { unreadOnly: true }).map((m) => m.id)).toEqual([sent.id]);
      expect(inbox(town.db, 'web/nux').map((m) => m.subject)).toEqual(['rebase first']);

      // The Overseer looking into the polecat's mailbox does not mark it read for the polecat.
      expect(readMail(town, sent.id, 'overseer').read_at).toBeNull();
      const read = readMail(town, sent.id, 'web/polecats/nux');
      expect(read.read_at).not.toBeNull();
      expect(readMail(town, sent.id, 'web/polecats/nux').read_at).toBe(read.read_at);
      expect(inbox(town.db, 'web/nux', { unreadOnly: true })).toEqual([]);

      const kinds = town.db
        .prepare(`SELECT kind, actor, bead_id FROM ledger WHERE kind LIKE 'mail.%' ORDER BY seq`)
        .all();
      expect(kinds).toEqual([
        { kind: 'mail.sent', actor: 'mayor', bead_id: 'web-abcd' },
        { kind: 'mail.read', actor: 'web/polecats/nux', bead_id: 'web-abcd' },
      ]);
    } finally {
      town.close();
    }
  });

  it('delivers to the town roles and refuses unknown rigs, polecats and addresses', () => {
    const town = open();
    try {
      sendMail(town, { from: 'web/polecats/nux', to: 'overseer', subject: 'stuck', body: 'need a key' });
      expect(inbox(town.db, 'overseer').map((m) => m.from_actor)).toContain('web/polecats/nux');

      const failure = (to: string): GasTownError => {
        try {
          sendMail(town, { from: 'overseer', to, subject: 's', body: 'b' });
        } catch (error) {
          if (error instanceof GasTownError) return error;
          throw error;
        }
        throw new Error(`mail to ${to} was accepted`);
      };
      expect(failure('api/nux').message).toMatch(/rig not found: api/);
      expect(failure('web/polecats/toast').message).toMatch(/polecat not found: web\/polecats\/toast.*nux/);
      expect(failure('somebody').code).toBe('invalid_input');
      expect(() => readMail(town, 'mail-nope', 'overseer')).toThrow(/mail not found/);
    } finally {
      town.close();
    }
  });
});
