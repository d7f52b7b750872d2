// Town-wide switches kept in the database so every process sees them: the e-stop (`frozen`).
import type { Db } from '../../db/open.js';
import { prepared } from '../../beads/sqlite/statements.js';

export function getTownState(db: Db, key: string): string | undefined {
  return prepared<[string], { value: string }>(db, 'SELECT value FROM town_state WHERE key = ?').get(key)
    ?.value;
}

export function setTownState(db: Db, key: string, value: string | undefined): void {
  if (value === undefined) db.prepare('DELETE FROM town_state WHERE key = ?').run(key);
  else {
    db.prepare(
      `INSERT INTO town_state (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run(key, value, new Date().toISOString());
  }
}

/** Frozen scopes: `town` for everything, or `rig:<name>`. */
export function isFrozen(db: Db, rig: string): boolean {
  return getTownState(db, 'frozen:town') !== undefined || getTownState(db, `frozen:rig:${rig}`) !== undefined;
}
