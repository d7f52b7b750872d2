// Convoys: named groups of beads that land together, possibly across rigs. Each member bead has the
// rig it is slung to (`--rig-for`, else the rig whose prefix its id carries). A convoy is `open` until
// launched, `launched` while its beads are dispatched, `landed` once every one of them is closed.
// Each change and its ledger events commit in one transaction.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { prefixOf } from '../../beads/index.js';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import { getRig, listRigs } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import type { Convoy } from './index.js';
import { insertConvoy, requireConvoy } from './index.js';

export type { Convoy, ConvoyState } from './index.js';
export { convoyStates, listConvoys, requireConvoy } from './index.js';

const memberSchema = z.object({ bead_id: z.string(), rig: z.string() });
export type ConvoyMember = z.output<typeof memberSchema>;

export interface ConvoyBeadsInput {
  beads: string[];
  /** Bead id → rig, for beads whose id prefix names no rig (or another one). */
  rigFor?: Record<string, string>;
}

export async function createConvoy(
  town: TownServices,
  input: ConvoyBeadsInput & { name: string },
  actor: string,
): Promise<{ convoy: Convoy; added: ConvoyMember[] }> {
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw invalidInput('convoy name: 1 to 100 characters');
  const members = await resolveMembers(town, input);
  const now = new Date();
  const id = `cv-${createHash('sha256')
    .update(`${name}\0${now.toISOString()}\0${randomBytes(8).toString('hex')}`)
    .digest('hex')
    .slice(0, 8)}`;
  return writeTx(town.db, () => {
    insertConvoy(
      town,
      { id, name },
      { kind: 'convoy.created', actor, payload: { id, name, beads: members.length } },
      now,
    );
    const added = insertMembers(town, id, members, actor);
    return { convoy: requireConvoy(town.db, id), added };
  });
}

export async function addToConvoy(
  town: TownServices,
  convoyId: string,
  input: ConvoyBeadsInput,
  actor: string,
): Promise<{ convoy: Convoy; added: ConvoyMember[] }> {
  const members = await resolveMembers(town, input);
  return writeTx(town.db, () => {
    const convoy = requireConvoy(town.db, convoyId);
    if (convoy.state === 'landed') {
      throw new GasTownError(ErrorCode.conflict, `convoy ${convoyId} has landed; start a new one`, {
        ids: { convoy: convoyId },
      });
    }
    return { convoy, added: insertMembers(town, convoyId, members, actor) };
  });
}

/** The convoy's beads in the order they joined it. */
export function convoyMembers(db: Db, convoyId: string): ConvoyMember[] {
  return db
    .prepare('SELECT bead_id, rig FROM convoy_beads WHERE convoy_id = ? ORDER BY rowid')
    .all(convoyId)
    .map((row) => memberSchema.parse(row));
}

function insertMembers(
  town: TownServices,
  convoyId: string,
  members: ConvoyMember[],
  actor: string,
): ConvoyMember[] {
  const insert = town.db.prepare(
    'INSERT OR IGNORE INTO convoy_beads (convoy_id, bead_id, rig) VALUES (?, ?, ?)',
  );
  const added = members.filter((m) => insert.run(convoyId, m.bead_id, m.rig).changes > 0);
  for (const member of added) {
    town.ledger.append({
      kind: 'convoy.bead_added',
      actor,
      bead_id: member.bead_id,
      payload: { convoy: convoyId, rig: member.rig },
    });
  }
  return added;
}

async function resolveMembers(town: TownServices, input: ConvoyBeadsInput): Promise<ConvoyMember[]> {
  const beads = [...new Set(input.beads)];
  if (beads.length === 0) throw invalidInput('a convoy needs at least one bead');
  const rigFor = input.rigFor ?? {};
  for (const [bead, rig] of Object.entries(rigFor)) {
    if (!beads.includes(bead))
      throw invalidInput(`--rig-for ${bead}=${rig}: ${bead} is not one of the beads`);
    if (!getRig(town.db, rig))
      throw invalidInput(`--rig-for ${bead}=${rig}: no rig named ${rig} in this town`);
  }
  const byPrefix = new Map(listRigs(town.db).map((rig) => [rig.prefix, rig.name]));
  const members: ConvoyMember[] = [];
  for (const id of beads) {
    await town.beads.require(id);
    const rig = rigFor[id] ?? byPrefix.get(prefixOf(id));
    if (rig === undefined) {
      throw invalidInput(
        `bead ${id} belongs to no rig (no rig has prefix "${prefixOf(id)}"); name one with --rig-for ${id}=<rig>`,
        {
          bead: id,
        },
      );
    }
    members.push({ bead_id: id, rig });
  }
  return members;
}
