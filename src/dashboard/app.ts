// createApp(deps): the dashboard as a Hono app. `/` serves the page (harmless without the token: it
// reads the token from the URL fragment, which browsers never send); everything under `/api` needs
// `Authorization: Bearer <token>`. Tests drive it with `app.request()`; only the daemon binds a port.
import { Hono } from 'hono';
import { requireToken } from './auth.js';
import { actionRoutes } from './api-actions.js';
import { readRoutes } from './api-read.js';
import type { AppContext, DashboardDeps } from './context.js';
import { eventStream } from './events.js';
import { errorResponse } from './http-errors.js';
import { watchLedger } from './ledger-watch.js';
import { pageHtml, pageStyles } from './page.js';
import { pageScript } from './assets.js';
import { verifyCache } from './verify-cache.js';

export interface DashboardApp {
  app: Hono;
  /** Ends the event streams and stops the ledger watcher. */
  close: () => void;
}

// The page loads nothing from elsewhere and cannot be framed: offline by construction.
const securityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export function createApp(deps: DashboardDeps): DashboardApp {
  const now = deps.now ?? (() => new Date());
  const watch = watchLedger(deps.town.ledger, { pollMs: deps.pollMs ?? 200 });
  const ctx: AppContext = {
    town: deps.town,
    name: deps.name,
    now,
    health: deps.health,
    wake: deps.wake ?? (() => undefined),
    stallAfterSeconds: deps.stallAfterSeconds ?? 600,
    watch,
    verify: verifyCache(deps.town.db, deps.town.paths.keys, { maxAgeMs: deps.verifyMaxAgeMs ?? 60_000, now }),
  };
  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error, deps.log));

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  });
  app.get('/', (c) => c.html(pageHtml(deps.name)));
  app.get('/app.css', (c) => c.body(pageStyles, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/app.js', (c) => {
    const script = pageScript();
    if (script === undefined) return c.text('the dashboard script is not built; run `npm run build`', 503);
    return c.body(script, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    });
  });

  const api = new Hono();
  api.onError((error, c) => errorResponse(c, error, deps.log));
  api.use('*', requireToken(deps.token));
  api.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  readRoutes(api, ctx);
  actionRoutes(api, ctx);
  api.get('/events', (c) => eventStream(c, deps.town.db, watch));
  api.notFound((c) =>
    c.json({ error: `no such API: ${c.req.method} ${c.req.path}`, code: 'not_found' }, 404),
  );
  app.route('/api', api);
  return { app, close: () => watch.close() };
}
