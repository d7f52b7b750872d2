// Polecat names come from a themed pool, as in the original; a name is reused once its polecat is
// idle again (its worktree merged and removed). Past the pool, names get a number.
import type { Db } from '../../db/open.js';

export const namePool = [
  'furiosa',
  'nux',
  'slit',
  'toast',
  'capable',
  'dag',
  'cheedo',
  'angharad',
  'ace',
  'keeper',
  'valkyrie',
  'rictus',
  'morsov',
  'corpus',
  'splendid',
  'scabrous',
  'miss-giddy',
  'organic',
  'vuvalini',
  'glory',
] as const;

/** The first name of the pool not held by a busy polecat of the rig. */
export function freePolecatName(db: Db, rig: string): string {
  const busy = new Set(
    db.prepare(`SELECT name FROM polecats WHERE rig = ? AND state <> 'idle'`).pluck().all(rig) as string[],
  );
  for (let round = 1; ; round++) {
    for (const name of namePool) {
      const candidate = round === 1 ? name : `${name}-${round}`;
      if (!busy.has(candidate)) return candidate;
    }
  }
}

export const polecatNamePattern = /^[a-z][a-z0-9-]{0,39}$/;
