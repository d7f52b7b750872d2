// End to end in a real browser (Debian's chromium): a daemon serves the dashboard, and the Overseer
// runs a convoy to its end from the page alone — launch, watch it move live, approve the step that
// asks, see it land — then opens a bead's trace. Screenshots go to a temporary directory, or to
// docs/screenshots/ for the README with GT_SCREENSHOTS=1 (so a test run leaves the tree clean).
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { openTownServices } from '../../src/town/services.js';
import { chromiumMissing, chromiumSkipReason, launchBrowser } from '../support/browser.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

const shots =
  process.env['GT_SCREENSHOTS'] === '1'
    ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
    : mkdtempSync(join(tmpdir(), 'gt-shots-'));
const running: RigTown[] = [];

afterAll(async () => {
  for (const town of running) await town.gt('down');
  await removeTempDirs();
});

if (chromiumMissing) console.warn(`skipping the dashboard browser tests: ${chromiumSkipReason}`);

describe.skipIf(chromiumMissing)('the dashboard in a browser', () => {
  it('runs a convoy to its end from the page: launch, live progress, approve an ask, trace', async () => {
    const town = await makeRigTown();
    const config = join(town.root, 'town.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/port: \d+/, 'port: 0'));
    const greet = await town.bead('Add a greeting', ['echo hello > hello.txt']);
    const asks = await town.bead('Record the curl version', [
      'curl --version > curl.txt 2>&1 || true',
      'echo ok >> curl.txt',
    ]);
    const made = JSON.parse(await town.ok('--json', 'convoy', 'create', 'first light', greet, asks)) as {
      convoy: { id: string };
    };
    const convoy = made.convoy.id;
    await town.ok('up');
    running.push(town);
    const url = (await town.ok('dashboard', '--url')).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      // The token moved from the address bar into this tab's storage.
      await page.waitForFunction("location.hash === '#/town'");
      const row = page.locator(`#convoys-card tr[data-convoy="${convoy}"]`);
      await row.getByText('open').waitFor();
      // Set a marker: if the page reloaded at any point, it would be gone.
      await page.evaluate(() => Object.assign(globalThis, { stayed: true }));

      await row.getByRole('button', { name: 'Launch' }).click();
      const approval = page.locator('#approvals tr[data-approval]');
      await approval.waitFor({ timeout: 60_000 });
      await expect.poll(() => approval.textContent()).toContain('curl --version');
      await page.screenshot({ path: join(shots, 'approvals.png') });
      await approval.getByRole('button', { name: 'Approve' }).click();

      await row.getByText('2/2 closed').waitFor({ timeout: 90_000 });
      await row.getByText('landed').waitFor({ timeout: 30_000 });
      expect(await page.evaluate(() => (globalThis as { stayed?: boolean }).stayed)).toBe(true);
      await page.locator('#feed').getByText(`convoy ${convoy} landed`).waitFor();
      await page.screenshot({ path: join(shots, 'town.png') });

      await page.locator('#feed a', { hasText: asks }).first().click();
      const trace = page.locator('#trace');
      await trace.waitFor();
      const timeline = page.locator('.tree').first();
      await timeline.getByText('approval #1 approved').waitFor();
      await timeline.getByText(/merged [0-9a-f]{12}/).waitFor();
      await page.screenshot({ path: join(shots, 'trace.png'), fullPage: true });

      await page.locator('#nav a[data-view="board"]').click();
      await page.locator('[data-column="merged"]').getByText(greet).waitFor();
      await page.screenshot({ path: join(shots, 'board.png') });

      // The e-stop asks first: cancel freezes nothing; confirming freezes the town until the thaw.
      await page.getByRole('button', { name: 'E-STOP' }).click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'E-STOP' }).click();
      await page.locator('#dialog-reason').fill('checking the dashboard');
      await page.getByRole('button', { name: 'Freeze everything' }).click();
      await page.getByText('FROZEN: town').waitFor();
      await page.getByRole('button', { name: 'Thaw' }).click();
      await page.getByRole('button', { name: 'E-STOP' }).waitFor();
    } finally {
      await browser.close();
    }

    const services = openTownServices(town.root, { env: {} });
    try {
      const decided = queryEvents(services.db, { kind: 'approval.decided' });
      expect(decided).toMatchObject([
        { actor: 'overseer', bead_id: asks, payload: { decision: 'approved' } },
      ]);
      expect(queryEvents(services.db, { kind: 'convoy.launched' })).toMatchObject([{ actor: 'overseer' }]);
      expect(queryEvents(services.db, { kind: 'town.estop' })).toMatchObject([
        { actor: 'overseer', payload: { reason: 'checking the dashboard' } },
      ]);
      expect(queryEvents(services.db, { kind: 'town.thaw' })).toHaveLength(1);
    } finally {
      services.close();
    }
  }, 240_000);
});
