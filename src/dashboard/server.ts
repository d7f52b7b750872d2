// Binds the dashboard to a port: only the daemon calls this. 127.0.0.1 unless a host is given
// explicitly (`gt up --host`); port 0 takes any free port. The address it got is written to
// `.gt/dashboard.json` so `gt dashboard` can print it; the file goes when the server stops.
import { serve } from '@hono/node-server';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app.js';
import type { DashboardDeps } from './context.js';

export const defaultDashboardHost = '127.0.0.1';

export interface DashboardRecord {
  pid: number;
  host: string;
  port: number;
  url: string;
}

export interface DashboardServer extends DashboardRecord {
  close(): Promise<void>;
}

export const dashboardFile = (gtDir: string): string => join(gtDir, 'dashboard.json');

export function dashboardUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`;
}

export async function startDashboard(
  deps: DashboardDeps & { host: string; port: number; gtDir: string },
): Promise<DashboardServer> {
  const { app, close } = createApp(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const made = serve({ fetch: (request) => app.fetch(request), hostname: deps.host, port: deps.port }, () =>
      resolve(made as Server),
    );
    made.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const record: DashboardRecord = {
    pid: process.pid,
    host: deps.host,
    port,
    url: dashboardUrl(deps.host, port),
  };
  writeFileSync(dashboardFile(deps.gtDir), JSON.stringify(record), { mode: 0o600 });
  return {
    ...record,
    close: async () => {
      rmSync(dashboardFile(deps.gtDir), { force: true });
      // Ends the event streams first, so closing the server does not wait on them.
      close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
