// `gt up --foreground`: the town daemon in this process. Claims the town (one daemon per town),
// starts the supervisor with the town's loops, and on SIGTERM/SIGINT stops gracefully: loops finish
// their tick, the record is removed, the ledger says when and why.
import { expireMergingLeases } from '../roles/refinery/index.js';
import { ErrorCode, GasTownError } from '../errors.js';
import type { TownServices } from '../town/services.js';
import { openTownServices } from '../town/services.js';
import { stopAllSessions } from '../roles/polecat/active-sessions.js';
import { fileLogger, type Logger } from './logger.js';
import { townLoops, wakeOnEvents, wakeOnExternalEvents } from './loops.js';
import { loadTownConfig } from '../town/index.js';
import { clearDaemon, daemonLog, readDaemon, writeDaemon } from './pid-file.js';
import { Supervisor } from './supervisor.js';
import { defaultDashboardHost, startDaemonDashboard } from '../dashboard/index.js';

export interface DaemonOptions {
  root: string;
  env: Record<string, string | undefined>;
  logger?: Logger;
  /** Resolves when the daemon should stop (besides SIGTERM/SIGINT). */
  until?: Promise<unknown>;
  tickMs?: number;
  /** Where the dashboard listens (default 127.0.0.1; `gt up --host`). */
  dashboardHost?: string;
}

export async function runDaemon(options: DaemonOptions): Promise<void> {
  const town: TownServices = openTownServices(options.root, { env: options.env });
  const running = readDaemon(town.paths.gtDir);
  if (running && running.pid !== process.pid) {
    town.close();
    throw new GasTownError(ErrorCode.conflict, `the town daemon is already running (pid ${running.pid})`, {
      ids: { pid: String(running.pid) },
    });
  }
  const started = new Date().toISOString();
  writeDaemon(town.paths.gtDir, { pid: process.pid, started_at: started, state: 'starting' });
  const logger = options.logger ?? fileLogger(daemonLog(town.paths.gtDir), { pid: process.pid });
  const config = await loadTownConfig(options.root);
  const budgets = config.budgets;
  const supervisor = new Supervisor({
    loops: townLoops(town, options.root, options.env, logger, { tickMs: options.tickMs ?? 1000, budgets }),
    logger,
    onLoopError: (loop, error) =>
      town.ledger.append({
        kind: 'daemon.loop_failed',
        actor: 'deacon',
        payload: {
          loop,
          error: error instanceof Error ? error.message : String(error),
          action: 'restarted on its next interval',
        },
      }),
  });
  // Only one daemon runs per town, so merges left `merging` belong to a dead one: retake them now
  // rather than after their lease (the Refinery's fencing keeps a late writer harmless anyway).
  const retaken = expireMergingLeases(town.db);
  town.ledger.append({
    kind: 'daemon.started',
    actor: 'deacon',
    payload: { pid: process.pid, merges_retaken: retaken },
  });
  const unsubscribe = wakeOnEvents(town.ledger, (loop) => supervisor.wake(loop));
  const unwatch = wakeOnExternalEvents(town.db, (loop) => supervisor.wake(loop));
  supervisor.start();
  const dashboard = await startDaemonDashboard(town, {
    name: config.name,
    host: options.dashboardHost ?? defaultDashboardHost,
    port: config.dashboard.port,
    stallAfterSeconds: config.witness.stall_after_seconds,
    logger,
    health: () => supervisor.health(),
    wake: (loop) => supervisor.wake(loop),
  });
  writeDaemon(town.paths.gtDir, { pid: process.pid, started_at: started, state: 'running' });
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const reason = await Promise.race([
    signalled,
    (options.until ?? new Promise<never>(() => undefined)).then(() => 'asked'),
  ]);
  writeDaemon(town.paths.gtDir, { pid: process.pid, started_at: started, state: 'stopping' });
  // Sessions end now, their work committed on their branches, their beads back in the queue.
  const stopped = stopAllSessions(`the town daemon is stopping (${reason})`);
  await supervisor.stop();
  await dashboard?.close();
  unsubscribe();
  unwatch();
  town.ledger.append({
    kind: 'daemon.stopped',
    actor: 'deacon',
    payload: { pid: process.pid, reason, sessions_stopped: stopped },
  });
  clearDaemon(town.paths.gtDir, process.pid);
  town.close();
}
