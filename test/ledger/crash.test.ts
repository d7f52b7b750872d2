// A writer killed with SIGKILL in the middle of its work leaves no change without its event and
// no event without its change: every committed bead has exactly one `bead.created` event, and the
// chain verifies.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { verifyDatabase } from '../../src/ledger/index.js';

describe('a writer killed mid-batch', () => {
  it('leaves every change paired with its event and the chain intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gt-crash-'));
    const file = join(dir, 'town.db');
    openDb(file).close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'crash-worker.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        // Kill while the next batch is being written (its beads are committed one by one).
        if (chunk.toString().includes('batch 3')) setTimeout(() => child.kill('SIGKILL'), 15);
      });
      child.on('exit', () => resolve());
    });
    const db = openDb(file);
    const beads = db.prepare('SELECT id FROM beads ORDER BY id').pluck().all() as string[];
    const events = db
      .prepare(`SELECT bead_id FROM ledger WHERE kind = 'bead.created' ORDER BY bead_id`)
      .pluck()
      .all() as string[];
    expect(beads.length).toBeGreaterThanOrEqual(150);
    expect(events).toEqual(beads);
    expect(verifyDatabase(db, undefined)).toMatchObject({ ok: true, events: beads.length });
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
