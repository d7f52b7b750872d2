// Dashboard benches on a town with 100k ledger events: the server time of the town view's payload
// (what its first paint needs) and of a 5,000-event bead trace (its whole summary plus the first
// page of its timeline; then a later page by cursor), each against a raw SQLite read of the same
// rows in the same run; with chromium present, time to first useful paint in a real browser (for
// the trace: its first screen of timeline rows, then the next page after scrolling to the end);
// and the event stream at 1,000 events/s written by another connection: delivered, lost.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { createApp, ensureToken, startDashboard } from '../src/dashboard/index.js';
import { openDb } from '../src/db/open.js';
import { Ledger, type LedgerEventInput } from '../src/ledger/index.js';
import { installTown } from '../src/town/index.js';
import { openTownServices, type TownServices } from '../src/town/services.js';
import { comparisonLine, line, ms, progress } from './report.js';
import { median, medianMs } from './timing.js';

function event(n: number, bigBead: string): LedgerEventInput {
  const bead = n % 20 === 0 ? bigBead : `we-${(n % 2000).toString(36)}`;
  return n % 2 === 0
    ? {
        kind: 'tool.call',
        actor: 'web/polecats/nux',
        bead_id: bead,
        session_id: `ses-${n % 50}`,
        span_id: `sp${n}`,
        payload: {
          tool: 'run',
          command: `npm test -- --shard ${n % 8}`,
          decision: 'allow',
          rule: 'builtin:dev-commands',
        },
      }
    : {
        kind: 'tool.result',
        actor: 'web/polecats/nux',
        bead_id: bead,
        session_id: `ses-${n % 50}`,
        span_id: `sp${n - 1}`,
        payload: { status: 'ok', exit_code: 0 },
      };
}

async function fillTown(dir: string, events: number): Promise<{ town: TownServices; bigBead: string }> {
  const root = await installTown(join(dir, 'dash-town'), { name: 'bench' });
  const town = openTownServices(root, { env: {} });
  town.db
    .prepare(
      `INSERT INTO rigs (name, prefix, git_url, branch, check_command, created_at) VALUES ('web', 'we', '/r', 'main', NULL, ?)`,
    )
    .run(new Date().toISOString());
  const bigBead = (
    await town.beads.create({ prefix: 'we', title: 'A bead with a long history' }, { actor: 'overseer' })
  ).id;
  for (let start = 0; start < events; start += 1000)
    town.ledger.appendMany(
      Array.from({ length: Math.min(1000, events - start) }, (_, k) => event(start + k, bigBead)),
    );
  for (let i = 0; i < 10; i++)
    town.db
      .prepare(
        `INSERT INTO polecats (rig, name, state, bead_id, updated_at) VALUES ('web', ?, 'working', ?, ?)`,
      )
      .run(`p${i}`, bigBead, new Date().toISOString());
  return { town, bigBead };
}

async function serverTimes(town: TownServices, bigBead: string): Promise<void> {
  const token = ensureToken(town.paths.gtDir);
  const { app, close } = createApp({ town, name: 'bench', token, verifyMaxAgeMs: 3_600_000 });
  const get = async (path: string) =>
    (await app.request(path, { headers: { authorization: `Bearer ${token}` } })).text();
  const sampling = { warmup: 3, runs: 15 };
  const townMs = await medianMs(() => get('/api/town'), sampling);
  const rawTown = await medianMs(() => {
    for (const table of [
      'polecats',
      'sessions',
      'convoys',
      'approvals',
      'escalations',
      'rigs',
      'merge_requests',
    ])
      town.db.prepare(`SELECT * FROM ${table}`).all();
    town.db.prepare('SELECT max(seq) FROM ledger').get();
  }, sampling);
  line(
    comparisonLine({
      name: 'dashboard town view (GET /api/town, 100k events)',
      value: ms(townMs),
      baselineName: 'raw SELECT of the same tables',
      baseline: ms(rawTown),
      ratio: townMs / rawTown,
      target: { text: '< 50 ms', ok: townMs < 50 },
    }),
  );
  const traceMs = await medianMs(() => get(`/api/trace/${bigBead}`), sampling);
  const rawTrace = await medianMs(
    () => town.db.prepare('SELECT * FROM ledger WHERE bead_id = ? ORDER BY seq').all(bigBead),
    sampling,
  );
  line(
    comparisonLine({
      name: 'dashboard trace of a 5,000-event bead (GET /api/trace: summary + first 100 rows)',
      value: ms(traceMs),
      baselineName: 'raw SELECT of its rows',
      baseline: ms(rawTrace),
      ratio: traceMs / rawTrace,
      target: { text: '<= 2x the raw SELECT', ok: traceMs <= 2 * rawTrace },
    }),
  );
  const first = JSON.parse(await get(`/api/trace/${bigBead}?limit=1`)) as { timeline: { next: string } };
  // A page from the middle: the cursor's offset, not the page, decides where it starts.
  const middle = first.timeline.next.replace(/\.\d+$/, '.2500');
  const pageMs = await medianMs(
    () => get(`/api/trace/${bigBead}/timeline?cursor=${middle}&limit=200`),
    sampling,
  );
  line(
    comparisonLine({
      name: 'dashboard trace timeline, a later page of 200 rows (GET /api/trace/:bead/timeline)',
      value: ms(pageMs),
      baselineName: "raw SELECT of all the bead's rows",
      baseline: ms(rawTrace),
      ratio: pageMs / rawTrace,
      target: { text: '<= 2x the raw SELECT', ok: pageMs <= 2 * rawTrace },
    }),
  );
  close();
}

/** What the paint checks use of the page's DOM (the project's TypeScript has no DOM library). */
interface Dom {
  document: { querySelectorAll(selector: string): { length: number } };
  requestAnimationFrame(callback: () => void): number;
}

async function browserPaint(town: TownServices, bigBead: string, dir: string): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) return progress('no /usr/bin/chromium: browser paint not measured');
  const server = await startDashboard({
    town,
    name: 'bench',
    token: ensureToken(town.paths.gtDir),
    host: '127.0.0.1',
    port: 0,
    gtDir: town.paths.gtDir,
  });
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const token = ensureToken(town.paths.gtDir);
    // Checked every animation frame (a locator wait's polling backs off to 500 ms, too coarse here);
    // then two more frames, so the frame showing the rows has been laid out and painted: inserting
    // thousands of rows is quick, laying them out is not.
    const shows = async (page: Page, selector: string, count = 1) => {
      await page.waitForFunction(
        ([sel, n]) => (globalThis as unknown as Dom).document.querySelectorAll(sel).length >= n,
        [selector, count] as const,
        { polling: 'raf' },
      );
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const dom = globalThis as unknown as Dom;
            dom.requestAnimationFrame(() => dom.requestAnimationFrame(() => resolve()));
          }),
      );
    };
    // A new tab per run: a fresh document and an empty sessionStorage, so nothing is reused.
    const paint = async (url: string, selector: string) => {
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(url);
      await shows(page, selector);
      const took = performance.now() - start;
      await page.close();
      return took;
    };
    const baselineName = 'the same page without a token (no data)';
    // First paint of a trace: the summary and the first screen of timeline rows, either opened from
    // the town view (the town paints, then the route changes) or by a link to the trace that carries
    // the token (`#/trace/<bead>&token=…`). Then, in the same tab, the time from scrolling to the end
    // of the list until the next page's 200 rows are there.
    const firstScreen = 40;
    const scrolled: number[] = [];
    const traceRun = async (open: (page: Page) => Promise<void>) => {
      const page = await context.newPage();
      const start = performance.now();
      await open(page);
      await shows(page, '#timeline li[data-seq]', firstScreen);
      const took = performance.now() - start;
      const shown = await page.locator('#timeline li').count();
      const scrollStart = performance.now();
      await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
      await shows(page, '#timeline li', shown + 200);
      scrolled.push(performance.now() - scrollStart);
      await page.close();
      return took;
    };
    const measures = {
      shell: () => paint(server.url, '.signin'),
      town: () => paint(`${server.url}#token=${token}`, '#polecats table'),
      viaTown: () =>
        traceRun(async (page) => {
          await page.goto(`${server.url}#token=${token}`);
          await page.waitForFunction("location.hash === '#/town'");
          await page.evaluate(`location.hash = '#/trace/${bigBead}'`);
        }),
      direct: () =>
        traceRun((page) => page.goto(`${server.url}#/trace/${bigBead}&token=${token}`).then(() => undefined)),
    };
    // Round robin, so a busy moment on the machine lands on every measurement alike, not on one.
    const samples = {
      shell: [] as number[],
      town: [] as number[],
      viaTown: [] as number[],
      direct: [] as number[],
    };
    const warmup = 1;
    for (let run = 0; run < warmup + 7; run++)
      for (const name of ['shell', 'town', 'viaTown', 'direct'] as const) {
        const took = await measures[name]();
        if (run >= warmup) samples[name].push(took);
      }
    const [shell, townPaint, viaTown, direct] = [
      samples.shell,
      samples.town,
      samples.viaTown,
      samples.direct,
    ].map(median) as [number, number, number, number];
    line(
      comparisonLine({
        name: 'browser: town view first useful paint',
        value: ms(townPaint),
        baselineName,
        baseline: ms(shell),
        ratio: townPaint / shell,
        target: { text: '< 1 s', ok: townPaint < 1000 },
      }),
    );
    for (const [how, took] of [
      ['opened from the town view', viaTown],
      ['opened by its link', direct],
    ] as const)
      line(
        comparisonLine({
          name: `browser: 5,000-event trace first paint, ${how} (summary + first ${firstScreen} timeline rows)`,
          value: ms(took),
          baselineName,
          baseline: ms(shell),
          ratio: took / shell,
          target: { text: '<= 2x the bare page', ok: took <= 2 * shell },
        }),
      );
    const nextPage = median(scrolled);
    line(
      comparisonLine({
        name: 'browser: trace timeline, scroll to the end until 200 more rows show',
        value: ms(nextPage),
        baselineName,
        baseline: ms(shell),
        ratio: nextPage / shell,
        target: { text: '<= 2x the bare page', ok: nextPage <= 2 * shell },
      }),
    );
  } finally {
    await context.close();
    await server.close();
  }
}

async function streamRate(town: TownServices, perSecond: number, seconds: number): Promise<void> {
  const token = ensureToken(town.paths.gtDir);
  const { app, close } = createApp({ town, name: 'bench', token });
  const writer = new Ledger(openDb(town.paths.db));
  const start = writer.head().seq;
  const total = perSecond * seconds;
  const res = await app.request(`/api/events?after=${start}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: number[] = [];
  const lag: number[] = [];
  let written = 0;
  // Writes in batches of 10 every 10 ms from another connection, as another process would.
  const timer = setInterval(
    () => {
      const batch = Array.from({ length: Math.min(10, total - written) }, (_, k) => ({
        kind: 'bench.tick',
        actor: 'bench',
        payload: { n: written + k, at: Date.now() },
      }));
      if (batch.length > 0) writer.appendMany(batch);
      written += batch.length;
    },
    1000 / (perSecond / 10),
  );
  let buffer = '';
  const started = performance.now();
  while (seen.length < total && performance.now() - started < (seconds + 10) * 1000) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(block);
      const at = /"at":(\d+)/.exec(block);
      if (id) seen.push(Number(id[1]));
      if (at) lag.push(Date.now() - Number(at[1]));
    }
  }
  clearInterval(timer);
  await reader.cancel();
  close();
  writer.db.close();
  const lost = total - new Set(seen).size;
  const inOrder = seen.every((seq, i) => seq === start + 1 + i);
  const sorted = [...lag].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN;
  line(
    comparisonLine({
      name: `event stream at ${perSecond}/s for ${seconds} s (written by another connection, polled every 200 ms)`,
      value: `${seen.length} of ${total} delivered, ${lost} lost, in order: ${inOrder ? 'yes' : 'NO'}, p99 lag ${ms(p99)}`,
      baselineName: 'events written',
      baseline: String(total),
      ratio: seen.length / total,
      target: { text: '0 lost, in order', ok: lost === 0 && inOrder },
    }),
  );
}

export async function benchDashboard(options: { dir: string; events: number }): Promise<void> {
  progress(`dashboard: filling a town with ${options.events.toLocaleString('en-US')} ledger events`);
  const { town, bigBead } = await fillTown(options.dir, options.events);
  try {
    await serverTimes(town, bigBead);
    await browserPaint(town, bigBead, options.dir);
    await streamRate(town, 1000, 5);
  } finally {
    town.close();
  }
}
