// End to end in a real browser (Debian's chromium): a daemon serves the dashboard, and the Overseer
// runs a convoy to its end from the page alone — launch, watch it move live, approve the step that
// asks, see it land — then opens a bead's trace. A long trace shows its first screen at once and
// the rest as the Overseer scrolls or asks for more. Screenshots go to a temporary directory, or to
// docs/screenshots/ for the README with GT_SCREENSHOTS=1 (so a test run leaves the tree clean).
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureToken, startDashboard } from '../../src/dashboard/index.js';
import { queryEvents } from '../../src/ledger/index.js';
import type { LedgerEventInput } from '../../src/ledger/index.js';
import { openTownServices } from '../../src/town/services.js';
import { chromiumMissing, chromiumSkipReason, launchBrowser } from '../support/browser.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

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

  it('shows a long trace a screen at a time: more on scroll and on "Load more", details on demand', async () => {
    const { root } = await makeTown('longtrace');
    const town = openTownServices(root, { env: {} });
    const bead = (
      await town.beads.create({ prefix: 'hq', title: 'A bead with a long history' }, { actor: 'overseer' })
    ).id;
    const call = (n: number): LedgerEventInput => ({
      kind: 'tool.call',
      actor: 'hq/polecats/nux',
      bead_id: bead,
      span_id: `sp${n}`,
      payload: { tool: 'run', command: `make step-${n}`, decision: 'allow', rule: 'builtin:dev-commands' },
    });
    town.ledger.appendMany(Array.from({ length: 640 }, (_, n) => call(n)));
    const token = ensureToken(town.paths.gtDir);
    const server = await startDashboard({
      town,
      name: 'longtrace',
      token,
      host: '127.0.0.1',
      port: 0,
      gtDir: town.paths.gtDir,
      pollMs: 50,
    });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const rows = page.locator('#timeline li[data-seq]');
      const more = page.locator('#timeline-more');
      // A link to the trace that carries the token opens it directly.
      await page.goto(`${server.url}#/trace/${bead}&token=${token}`);
      await page.waitForFunction(`location.hash === '#/trace/${bead}'`);
      // The first screen: the summary and the first page of the timeline, in ledger order.
      await page.locator('#trace').getByText('641 events').waitFor();
      await more.getByText('100 of 641 rows shown').waitFor();
      expect(await rows.count()).toBe(100);
      expect(await rows.first().textContent()).toContain('created');
      expect(await rows.nth(99).textContent()).toContain('make step-98');
      await page.screenshot({ path: join(shots, 'trace-long.png') });

      // Scrolling to the end loads the next page by itself.
      await page.evaluate(() => {
        const w = globalThis as unknown as {
          scrollTo(x: number, y: number): void;
          document: { body: { scrollHeight: number } };
        };
        w.scrollTo(0, w.document.body.scrollHeight);
      });
      await more.getByText('300 of 641 rows shown').waitFor();
      expect(await rows.count()).toBe(300);
      expect(await rows.nth(299).textContent()).toContain('make step-298');

      // "Load more" asks for the next page; it is clicked where it is, without scrolling to it.
      await more.getByRole('button', { name: /Load more \(341 left\)/ }).dispatchEvent('click');
      await more.getByText('500 of 641 rows shown').waitFor();
      await more.getByRole('button', { name: /Load more/ }).dispatchEvent('click');
      await more.getByText('All 641 rows shown').waitFor();
      expect(await rows.count()).toBe(641);
      expect(await rows.last().textContent()).toContain('make step-639');

      // An event's details load when asked for.
      const last = rows.last();
      const seq = await last.getAttribute('data-seq');
      await last.locator('a[data-action="event"]').click();
      await expect.poll(() => page.locator(`#detail-${seq}`).textContent()).toContain('make step-639');

      // New events while later pages are on screen: the timeline stays and offers to reload.
      town.ledger.append(call(640));
      await page.getByText('1 new event').waitFor();
      expect(await rows.count()).toBe(641);
      await page.locator('#trace').getByText('642 events').waitFor();
      await page.getByRole('button', { name: 'Reload timeline' }).click();
      await more.getByText('100 of 642 rows shown').waitFor();
      expect(await rows.count()).toBe(100);
    } finally {
      await browser.close();
      await server.close();
      town.close();
    }
  }, 120_000);
});
