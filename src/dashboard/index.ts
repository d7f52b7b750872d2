// The Overseer's dashboard: a Hono app (JSON API, server-sent events of the ledger, one static page)
// built by `createApp(deps)`, and the daemon's server around it. Rules: every `/api` call needs the
// town's token in the Authorization header; actions call the same role functions as the CLI, as the
// `overseer`; queries only read; only the daemon binds a port; the page loads nothing from outside.
export { createApp } from './app.js';
export type { DashboardApp } from './app.js';
export type { DashboardDeps } from './context.js';
export { overseerActor } from './context.js';
export { ensureToken, tokenFile } from './auth.js';
export { dashboardFile, dashboardUrl, defaultDashboardHost, startDashboard } from './server.js';
export type { DashboardRecord, DashboardServer } from './server.js';
export { startDaemonDashboard } from './daemon.js';
