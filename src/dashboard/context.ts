// What the dashboard's routes share: the town, the clock, the loops' health (inside the daemon),
// the ledger watcher behind the event streams and the cached verification status.
import type { TownServices } from '../town/services.js';
import type { LedgerWatch } from './ledger-watch.js';
import type { LoopHealth } from './queries/town.js';
import type { VerifyCache } from './verify-cache.js';

/** Who the page acts as: the CLI's default actor, so the ledger names the Overseer the same way. */
export const overseerActor = 'overseer';

export interface DashboardDeps {
  town: TownServices;
  /** The town's name, for the page title. */
  name: string;
  /** The access token every API call must carry (see auth.ts). */
  token: string;
  now?: () => Date;
  /** The supervisor's view of its loops, when the page is served by the daemon. */
  health?: () => LoopHealth;
  /** Runs a daemon loop now (e.g. `convoys` after a launch) instead of at its next tick. */
  wake?: (loop: string) => void;
  /** Seconds without a heartbeat before a polecat counts as stalled (town.yaml witness). */
  stallAfterSeconds?: number;
  /** How often the event streams look for events other processes appended (default 200 ms). */
  pollMs?: number;
  /** How old a verification may get, once the ledger has grown, before it is redone (default 60 s). */
  verifyMaxAgeMs?: number;
  /** Where errors that are not the caller's fault are told (default: nowhere). */
  log?: (message: string) => void;
}

export interface AppContext {
  town: TownServices;
  name: string;
  now: () => Date;
  health: (() => LoopHealth) | undefined;
  wake: (loop: string) => void;
  stallAfterSeconds: number;
  watch: LedgerWatch;
  verify: VerifyCache;
}
