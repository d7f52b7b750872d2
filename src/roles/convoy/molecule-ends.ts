// How a molecule ends. `squash` replaces a finished molecule by one closed digest bead (its steps,
// their close reasons, the formula and variables) — a wisp's digest is permanent; `burn` throws a
// molecule away; `wisp gc` burns wisps older than an age that nobody is working on. Each is one
// transaction: the beads leave the store, every one recorded in the ledger with its last state
// (`bead.deleted`), under a `molecule.squashed` / `molecule.burned` event naming them all.
import { hqPrefix, prefixOf } from '../../beads/index.js';
import type { Bead } from '../../beads/index.js';
import { writeTxAsync } from '../../db/open.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { Molecule } from '../../formulas/index.js';
import { descendants, digestLabel, formulaLabel, listMolecules, loadMolecule } from '../../formulas/index.js';
import type { TownServices } from '../../town/services.js';
import { landConvoyIfDone } from './convoy-progress.js';

export interface Squashed {
  molecule: string;
  digest: Bead;
  removed: string[];
}

export async function squashMolecule(
  town: TownServices,
  id: string,
  actor: string,
  summary?: string,
): Promise<Squashed> {
  const molecule = await loadMolecule(town.beads, id);
  if (!molecule.finished) {
    const open = molecule.steps
      .filter((s) => s.state !== 'done' && s.step.kind !== 'container')
      .map((s) => s.bead.id);
    throw new GasTownError(
      ErrorCode.conflict,
      `molecule ${molecule.root.id} is not finished: ${open.join(', ')} still open (burn it instead to throw it away)`,
      {
        ids: { bead: molecule.root.id },
      },
    );
  }
  for (const convoy of convoysOf(town, [molecule.root.id, ...molecule.steps.map((s) => s.bead.id)]))
    await landConvoyIfDone(town, convoy, actor);
  const ids = await moleculeIds(town, molecule);
  return writeTxAsync(town.db, async () => {
    const prefix = prefixOf(molecule.root.id) || hqPrefix;
    const digest = await town.beads.create(
      {
        prefix,
        title: `Digest: ${molecule.root.title}`.slice(0, 200),
        description: summary ?? digestText(molecule),
        issue_type: 'task',
        labels: [digestLabel, formulaLabel(molecule.info.formula)],
        extra: {
          metadata: {
            gastown: {
              digest: {
                molecule: molecule.root.id,
                formula: molecule.info.formula,
                vars: molecule.info.vars,
                wisp: molecule.wisp,
                steps: molecule.steps.map((s) => ({
                  id: s.bead.id,
                  step: s.step.id,
                  title: s.bead.title,
                  close_reason: s.bead.close_reason ?? null,
                })),
              },
            },
          },
        },
      },
      { actor },
    );
    await town.beads.close(digest.id, `squashed ${molecule.root.id}`, { actor });
    // A convoy that carried the molecule now carries its digest (closed), so it still reads landed.
    town.db
      .prepare(
        `INSERT OR IGNORE INTO convoy_beads (convoy_id, bead_id, rig)
           SELECT convoy_id, ?, min(rig) FROM convoy_beads WHERE bead_id IN (SELECT value FROM json_each(?)) GROUP BY convoy_id`,
      )
      .run(digest.id, JSON.stringify(ids));
    const removed = await removeBeads(town, ids, actor);
    town.ledger.append({
      kind: 'molecule.squashed',
      actor,
      bead_id: molecule.root.id,
      payload: {
        molecule: molecule.root.id,
        formula: molecule.info.formula,
        digest: digest.id,
        removed,
        wisp: molecule.wisp,
      },
    });
    return { molecule: molecule.root.id, digest: await town.beads.require(digest.id), removed };
  });
}

export async function burnMolecule(
  town: TownServices,
  id: string,
  actor: string,
  reason = 'burned',
): Promise<string[]> {
  const molecule = await loadMolecule(town.beads, id);
  const ids = await moleculeIds(town, molecule);
  return writeTxAsync(town.db, async () => {
    const removed = await removeBeads(town, ids, actor);
    town.ledger.append({
      kind: 'molecule.burned',
      actor,
      bead_id: molecule.root.id,
      payload: {
        molecule: molecule.root.id,
        formula: molecule.info.formula,
        removed,
        wisp: molecule.wisp,
        reason,
      },
    });
    return removed;
  });
}

/** Burns every wisp poured more than `ageMs` ago with no step hooked or in progress. */
export async function gcWisps(
  town: TownServices,
  ageMs: number,
  actor: string,
  now = new Date(),
): Promise<string[]> {
  const collected: string[] = [];
  for (const root of await listMolecules(town.beads)) {
    if (root.extra.ephemeral !== true || now.getTime() - Date.parse(root.created_at) < ageMs) continue;
    const molecule = await loadMolecule(town.beads, root.id);
    if (molecule.steps.some((s) => s.state === 'working')) continue;
    await burnMolecule(town, root.id, actor, `wisp older than ${Math.round(ageMs / 1000)}s`);
    collected.push(root.id);
  }
  return collected;
}

async function moleculeIds(town: TownServices, molecule: Molecule): Promise<string[]> {
  return [molecule.root.id, ...(await descendants(town.beads, molecule.root.id)).map((b) => b.id)];
}

async function removeBeads(town: TownServices, ids: string[], actor: string): Promise<string[]> {
  const removed = (await town.beads.delete(ids, { actor })).map((b) => b.id);
  town.db
    .prepare('DELETE FROM convoy_beads WHERE bead_id IN (SELECT value FROM json_each(?))')
    .run(JSON.stringify(removed));
  return removed;
}

function convoysOf(town: TownServices, ids: string[]): string[] {
  return town.db
    .prepare<[string], { convoy_id: string }>(
      'SELECT DISTINCT convoy_id FROM convoy_beads WHERE bead_id IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(ids))
    .map((row) => row.convoy_id);
}

function digestText(molecule: Molecule): string {
  const lines = molecule.steps.map(
    (s) => `- ${s.step.id}: ${s.bead.title}${s.bead.close_reason ? ` — ${s.bead.close_reason}` : ''}`,
  );
  const vars = Object.entries(molecule.info.vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `Formula ${molecule.info.formula}${vars ? ` (${vars})` : ''}, ${molecule.total} step(s), all closed:\n${lines.join('\n')}`;
}
