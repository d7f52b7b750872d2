// A molecule on the dashboard, in a real browser (Debian's chromium): `gt formula run release` with
// a daemon up; the Molecules view shows its steps moving live with done/total, the human publish
// step gets an Approve button once the work before it has landed, and the click closes it as the
// Overseer — the molecule finishes and its convoy lands. Needs the built `gt` (npm run build).
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { openTownServices } from '../../src/town/services.js';
import { chromiumMissing, chromiumSkipReason, launchBrowser } from '../support/browser.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

const shots = mkdtempSync(join(tmpdir(), 'gt-shots-'));
const running: RigTown[] = [];

afterAll(async () => {
  for (const town of running) await town.gt('down');
  await removeTempDirs();
});

if (chromiumMissing) console.warn(`skipping the molecule browser test: ${chromiumSkipReason}`);

describe.skipIf(chromiumMissing)('a molecule on the dashboard', () => {
  it('shows the steps with progress and approves the human step from the page', async () => {
    const town = await makeRigTown();
    const config = join(town.root, 'town.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/port: \d+/, 'port: 0'));
    await town.ok('up');
    running.push(town);
    const run = JSON.parse(
      await town.ok('--json', 'formula', 'run', 'release', '--var', 'version=3.1.4', '--detach'),
    ) as {
      molecule: { root: { id: string }; steps: { step: string; bead: string }[] };
      convoy: { id: string };
    };
    const root = run.molecule.root.id;
    const publish = run.molecule.steps.find((s) => s.step === 'publish')!.bead;
    const url = (await town.ok('dashboard', '--url')).trim();

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction("location.hash === '#/town'");
      await page.locator('#nav a[data-view="molecules"]').click();
      const card = page.locator(`section[data-molecule="${root}"]`);
      await card.waitFor();
      const rows = card.locator('tr[data-step]');
      const order: (string | null)[] = [];
      for (let n = 0; n < (await rows.count()); n++) order.push(await rows.nth(n).getAttribute('data-step'));
      expect(order).toEqual(['changelog', 'bump', 'verify', 'publish']);
      await card.getByText('release', { exact: true }).waitFor();
      await card.getByText('version=3.1.4').waitFor();

      // The three work steps land one after another; publish then waits for the Overseer.
      const approve = card.locator(`tr[data-bead="${publish}"]`).getByRole('button', { name: 'Approve' });
      await approve.waitFor({ timeout: 150_000 });
      await card.getByText('3/4 steps').waitFor();
      await card.locator('tr[data-step="verify"]').getByText('done').waitFor();
      await page.screenshot({ path: join(shots, 'molecule.png'), fullPage: true });
      await approve.click();

      await card.getByText('4/4 steps').waitFor({ timeout: 30_000 });
      await card.locator(`tr[data-bead="${publish}"]`).getByText('done').waitFor();
      expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    } finally {
      await browser.close();
    }

    const services = openTownServices(town.root, { env: {} });
    try {
      expect(queryEvents(services.db, { kind: 'bead.closed', beadId: publish })).toMatchObject([
        { actor: 'overseer', payload: { reason: 'approved by the Overseer (publish)' } },
      ]);
      // Only the three work steps went through the merge queue; the human step did not.
      const merged = queryEvents(services.db, { kind: 'merge.merged' }).map((e) => e.bead_id);
      expect(merged).toHaveLength(3);
      expect(merged).not.toContain(publish);
      const landed = async (): Promise<boolean> =>
        queryEvents(services.db, { kind: 'convoy.landed' }).some(
          (e) => (e.payload as { id?: string }).id === run.convoy.id,
        );
      await expect.poll(landed, { timeout: 30_000 }).toBe(true);
    } finally {
      services.close();
    }
  }, 300_000);
});
