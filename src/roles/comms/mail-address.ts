// Who can be talked to: `overseer`, `mayor`, and the polecats of the town's rigs, written
// `<rig>/polecats/<name>` (or `<rig>/<name>` for short). Mail, nudges, handoff and peek all resolve
// their address here, so an unknown rig or polecat is refused the same way everywhere.
import type { Db } from '../../db/open.js';
import { invalidInput, notFound } from '../../errors.js';
import { getRig } from '../../town/rig-store.js';

/** The town's own roles that hold a mailbox (the actors the CLI and the Mayor act as). */
export const townAddresses = ['overseer', 'mayor'] as const;

export interface PolecatAddress {
  rig: string;
  polecat: string;
  /** The canonical actor name, `<rig>/polecats/<name>`. */
  actor: string;
}

/** Parses `<rig>/polecats/<name>` or `<rig>/<name>`; undefined when the text is neither. */
export function parsePolecatAddress(text: string): PolecatAddress | undefined {
  const parts = text.trim().split('/');
  const [rig, middle, last] = parts;
  let polecat: string | undefined;
  if (parts.length === 3 && middle === 'polecats') polecat = last;
  else if (parts.length === 2) polecat = middle;
  if (rig === undefined || rig === '' || polecat === undefined || polecat === '') return undefined;
  return { rig, polecat, actor: `${rig}/polecats/${polecat}` };
}

/**
 * The polecat an address names, checked against the town: its rig must exist and the polecat must
 * have been slung at least once (it has a row in `polecats`).
 */
export function resolvePolecat(db: Db, text: string): PolecatAddress {
  const address = parsePolecatAddress(text);
  if (!address) {
    throw invalidInput(`address ${JSON.stringify(text)}: expected <rig>/polecats/<name> or <rig>/<name>`);
  }
  if (!getRig(db, address.rig)) {
    throw notFound('rig', address.rig);
  }
  const known = db
    .prepare<[string, string], { name: string }>('SELECT name FROM polecats WHERE rig = ? AND name = ?')
    .get(address.rig, address.polecat);
  if (!known) {
    const names = db
      .prepare<[string], string>('SELECT name FROM polecats WHERE rig = ? ORDER BY name')
      .pluck()
      .all(address.rig);
    const hint = names.length === 0 ? 'it has no polecats yet' : `its polecats: ${names.join(', ')}`;
    const error = notFound('polecat', `${address.rig}/polecats/${address.polecat}`);
    error.message = `${error.message} (rig ${address.rig}: ${hint})`;
    throw error;
  }
  return address;
}

/** A mailbox address in canonical form: a town role, or a known polecat's actor name. */
export function resolveMailAddress(db: Db, text: string): string {
  const trimmed = text.trim();
  if ((townAddresses as readonly string[]).includes(trimmed)) return trimmed;
  if (!trimmed.includes('/')) {
    throw invalidInput(
      `address ${JSON.stringify(text)}: expected ${townAddresses.join(', ')}, <rig>/polecats/<name> or <rig>/<name>`,
    );
  }
  return resolvePolecat(db, trimmed).actor;
}
