// The dashboard inside the daemon: reads the port from town.yaml and the token from `.gt`, starts
// the server and hands back its stop. A port already taken is logged and the daemon runs on
// without a dashboard: the town's work matters more than its window.
import type { Logger } from '../daemon/logger.js';
import type { TownServices } from '../town/services.js';
import { ensureToken } from './auth.js';
import type { LoopHealth } from './queries/town.js';
import type { DashboardServer } from './server.js';
import { startDashboard } from './server.js';

export interface DaemonDashboardOptions {
  name: string;
  host: string;
  port: number;
  stallAfterSeconds: number;
  logger: Logger;
  health: () => LoopHealth;
  wake: (loop: string) => void;
}

export async function startDaemonDashboard(
  town: TownServices,
  options: DaemonDashboardOptions,
): Promise<DashboardServer | undefined> {
  const log = options.logger.child({ part: 'dashboard' });
  try {
    const server = await startDashboard({
      town,
      name: options.name,
      token: ensureToken(town.paths.gtDir),
      host: options.host,
      port: options.port,
      gtDir: town.paths.gtDir,
      stallAfterSeconds: options.stallAfterSeconds,
      health: options.health,
      wake: options.wake,
      log: (message) => log.log('error', 'dashboard request failed', { error: message }),
    });
    log.log('info', 'dashboard listening', { url: server.url });
    return server;
  } catch (error) {
    log.log('warn', 'dashboard not started', {
      host: options.host,
      port: options.port,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
