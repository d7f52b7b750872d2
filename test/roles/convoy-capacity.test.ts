// Capacity caps: a sling past town.yaml `concurrency.max_polecats` or rig.yaml `max_polecats`
// (polecats `working`) is refused before anything changes, a direct `gt sling` as much as a convoy's
// dispatch, which leaves the bead waiting for the next pass.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

async function editYaml(file: string, change: (doc: Record<string, unknown>) => Record<string, unknown>) {
  await writeFile(file, stringify(change(parse(await readFile(file, 'utf8')) as Record<string, unknown>)));
}

/** A polecat that counts as working (its session is elsewhere). */
function busyPolecat(town: RigTown, name: string): void {
  const db = openDb(join(town.root, '.gt', 'town.db'));
  try {
    db.prepare(
      `INSERT INTO polecats (rig, name, state, bead_id, branch, worktree, session_id, updated_at)
       VALUES ('web', ?, 'working', ?, ?, ?, NULL, ?)`,
    ).run(name, `web-${name}`, `polecat/${name}/web-${name}`, `/nowhere/${name}`, new Date().toISOString());
  } finally {
    db.close();
  }
}

describe('capacity caps', () => {
  it('refuses a sling past the town cap and past the rig cap', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Wait your turn', ['echo x > x.txt']);
    await editYaml(join(town.root, 'town.yaml'), (doc) => ({ ...doc, concurrency: { max_polecats: 1 } }));
    busyPolecat(town, 'slit');
    const refused = await town.gt('sling', bead, 'web');
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain(
      'the town is at capacity: 1 of 1 polecats working (town.yaml concurrency.max_polecats); try again when one finishes',
    );
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as { status: string }[];
    expect(shown!.status).toBe('open');

    await editYaml(join(town.root, 'town.yaml'), (doc) => ({ ...doc, concurrency: { max_polecats: 8 } }));
    await editYaml(join(town.root, 'web', 'rig.yaml'), (doc) => ({ ...doc, max_polecats: 1 }));
    const rigRefused = await town.gt('--json', 'sling', bead, 'web');
    expect(JSON.parse(rigRefused.stderr)).toEqual({
      error:
        'rig web is at capacity: 1 of 1 polecats working (web/rig.yaml max_polecats); try again when one finishes',
      code: 'conflict',
    });

    await editYaml(join(town.root, 'web', 'rig.yaml'), (doc) => ({ ...doc, max_polecats: 2 }));
    expect(await town.ok('sling', bead, 'web')).toContain('Done');
  });

  it('leaves a convoy bead over the cap waiting for the next pass', async () => {
    const town = await makeRigTown();
    const first = await town.bead('One', ['echo 1 > one.txt']);
    const second = await town.bead('Two', ['echo 2 > two.txt']);
    await editYaml(join(town.root, 'web', 'rig.yaml'), (doc) => ({ ...doc, max_polecats: 1 }));
    busyPolecat(town, 'slit');
    const id = (
      JSON.parse(await town.ok('--json', 'convoy', 'create', 'Capped', first, second)) as {
        convoy: { id: string };
      }
    ).convoy.id;
    const report = JSON.parse(await town.ok('--json', 'convoy', 'launch', id)) as {
      slung: unknown[];
      waiting: { beadId: string; reason: string }[];
    };
    expect(report.slung).toEqual([]);
    expect(report.waiting.map((w) => w.beadId)).toEqual([first, second]);
    expect(report.waiting[0]!.reason).toContain('rig web is at capacity: 1 of 1');
    expect(await town.ok('convoy', 'status', id)).toContain('ready 2');
  });
});
