// The dashboard's read API: one route per view, each a read-only query answered as JSON. The town
// view carries everything the first paint needs; the other views load when the page opens them.
import type { Hono } from 'hono';
import { getBlob, getEvent } from '../ledger/index.js';
import type { LedgerRow } from '../ledger/index.js';
import { invalidInput, notFound } from '../errors.js';
import { listEscalations } from '../roles/comms/escalations.js';
import { beadsBoard } from './queries/board.js';
import { convoysView } from './queries/convoys.js';
import { costs } from './queries/costs.js';
import { mergeQueue } from './queries/merge-queue.js';
import { moleculesView, moleculeView } from './queries/molecules.js';
import { beadTimeline, beadTrace } from './queries/trace.js';
import { townView } from './queries/town.js';
import { streamedEvent } from './events.js';
import type { AppContext } from './context.js';

const limitOf = (text: string | undefined, fallback: number, max: number): number => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
};

export function readRoutes(api: Hono, ctx: AppContext): void {
  const { town } = ctx;
  api.get('/town', (c) => {
    const view = townView({
      town,
      name: ctx.name,
      now: ctx.now(),
      stallAfterSeconds: ctx.stallAfterSeconds,
      health: ctx.health?.(),
    });
    return c.json({ ...view, verify: ctx.verify.status(view.head_seq) });
  });
  api.get('/board', async (c) =>
    c.json(await beadsBoard(town.db, town.beads, limitOf(c.req.query('limit'), 50, 500))),
  );
  api.get('/convoys', async (c) => c.json(await convoysView(town)));
  api.get('/molecules', async (c) =>
    c.json(await moleculesView(town.beads, limitOf(c.req.query('limit'), 50, 500))),
  );
  api.get('/molecules/:id', async (c) => c.json(await moleculeView(town.beads, c.req.param('id'))));
  api.get('/merge-queue', (c) => c.json(mergeQueue(town.db, limitOf(c.req.query('limit'), 50, 500))));
  api.get('/escalations', (c) => c.json(listEscalations(town.db, { all: c.req.query('all') === '1' })));
  api.get('/costs', (c) => c.json(costs(town.db, limitOf(c.req.query('limit'), 20, 200))));
  api.get('/feed', (c) => {
    const limit = limitOf(c.req.query('limit'), 50, 1000);
    const before = limitOf(c.req.query('before'), Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const rows = town.db
      .prepare<[number, number], LedgerRow>('SELECT * FROM ledger WHERE seq < ? ORDER BY seq DESC LIMIT ?')
      .all(before, limit);
    return c.json(rows.map(streamedEvent));
  });
  // The summary and the timeline's first screen; `limit=0` for the summary alone (a live refresh).
  api.get('/trace/:bead', async (c) => {
    const limit = c.req.query('limit') === '0' ? 0 : limitOf(c.req.query('limit'), 100, 1000);
    return c.json(await beadTrace(town.db, town.beads, c.req.param('bead'), limit));
  });
  api.get('/trace/:bead/timeline', async (c) => {
    const cursor = c.req.query('cursor');
    if (cursor === undefined) throw invalidInput('cursor: missing (take it from the last page\'s "next")');
    const limit = limitOf(c.req.query('limit'), 200, 1000);
    return c.json(await beadTimeline(town.db, town.beads, c.req.param('bead'), cursor, limit));
  });
  api.get('/ledger/:seq', (c) => {
    const seq = Number(c.req.param('seq'));
    const event = Number.isSafeInteger(seq) ? getEvent(town.db, seq) : undefined;
    if (!event) throw notFound('event', c.req.param('seq'));
    return c.json(event);
  });
  api.get('/blobs/:hash', (c) => {
    const blob = getBlob(town.db, c.req.param('hash'));
    if (!blob) throw notFound('blob', c.req.param('hash'));
    return c.text(blob.toString('utf8'));
  });
  api.get('/verify', (c) => c.json(ctx.verify.status(ctx.watch.head())));
}
