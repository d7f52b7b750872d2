// The loops one town runs: the Deacon's patrol for the whole town, and per rig what later roles
// add. Built from the rigs registered when the daemon starts.
import { Deacon } from '../roles/deacon.js';
import type { TownServices } from '../town/services.js';
import type { Logger } from './logger.js';
import type { Loop } from './supervisor.js';

export function townLoops(
  town: TownServices,
  _root: string,
  _env: Record<string, string | undefined>,
  logger: Logger,
  tickMs: number,
): Loop[] {
  const deacon = new Deacon({ town });
  const loops: Loop[] = [
    {
      name: 'deacon',
      intervalMs: tickMs,
      tick: async () => {
        const report = await deacon.tick();
        if (report.expired.length + report.reaped.length > 0 || report.checkpoint)
          logger.log('info', 'deacon patrol', { ...report });
      },
    },
  ];
  return loops;
}
