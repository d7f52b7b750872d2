// What the formula end-to-end tests share: a rig town with the `script` agent, its services
// opened in-process, and the real daemon (Witness, Refinery, dispatcher, Deacon) run in this process
// until a condition holds — the way `gt demo` drives a convoy to landing.
import { runDaemon } from '../../src/daemon/run.js';
import { memoryLogger } from '../../src/daemon/logger.js';
import { openTownServices } from '../../src/town/services.js';
import type { TownServices } from '../../src/town/services.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';

export interface FormulaTown extends RigTown {
  services: TownServices;
  /** Runs the daemon until `done()` is true (checked every 100 ms); fails after `timeoutMs`. */
  runUntil(done: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** A file on the rig's target branch. */
  onMain(path: string): Promise<string>;
  json<T>(...args: string[]): Promise<T>;
}

export async function makeFormulaTown(): Promise<FormulaTown> {
  const town = await makeRigTown();
  const services = openTownServices(town.root, { env: process.env });
  return {
    ...town,
    services,
    async runUntil(done, timeoutMs = 150_000) {
      let stop: () => void = () => undefined;
      const until = new Promise<void>((resolve) => (stop = resolve));
      const daemon = runDaemon({
        root: town.root,
        env: process.env,
        until,
        tickMs: 100,
        logger: memoryLogger(),
      });
      const deadline = Date.now() + timeoutMs;
      try {
        while (!(await done())) {
          if (Date.now() > deadline) {
            const feed = await town.gt('feed', '-n', '40');
            throw new Error(`not done after ${timeoutMs} ms; the last events:\n${feed.stdout}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        stop();
        await daemon;
      }
    },
    onMain: (path) => gitIn(`${town.root}/${town.rig}/repo.git`, 'show', `main:${path}`),
    json: async <T>(...args: string[]) => JSON.parse(await town.ok('--json', ...args)) as T,
  };
}
