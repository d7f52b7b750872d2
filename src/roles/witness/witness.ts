// The Witness, one per rig: a deterministic patrol the daemon calls with `tick()`. Each patrol looks
// at the rig's polecats in name order: one in `review` has its "done" verified (a real diff, the rig's
// check passing in the sandbox) and its merge request queued, or goes back for rework; one `working`
// whose heartbeat went silent is nudged, then stopped and its bead re-dispatched. Limits come from
// town.yaml `witness:`. The loop is an explicit state machine: idle → patrolling → idle, or stopped.
import { join } from 'node:path';
import { ErrorCode, GasTownError, notFound } from '../../errors.js';
import { loadPolicy } from '../../policy/index.js';
import { pickRunner } from '../../sandbox/index.js';
import { getRig, loadTownConfig } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import { listPolecats } from '../polecat/index.js';
import type { PatrolContext, WitnessAction, WitnessSettings } from './witness-actions.js';
import { errorMessage } from './witness-actions.js';
import type { MergeQueue } from './witness-queue.js';
import { reviewPolecat } from './witness-review.js';
import { killSessionGroup, patrolStall } from './witness-stall.js';
import { prepared } from '../../beads/sqlite/statements.js';

export type { WitnessAction, WitnessSettings } from './witness-actions.js';
export type { MergeQueue, MergeRequestInput } from './witness-queue.js';

export const WitnessState = { idle: 'idle', patrolling: 'patrolling', stopped: 'stopped' } as const;
export type WitnessState = (typeof WitnessState)[keyof typeof WitnessState];

export interface WitnessOptions {
  town: TownServices;
  root: string;
  rig: string;
  queue: MergeQueue;
  /** Overrides town.yaml `witness:` (tests, the demo). */
  settings?: Partial<WitnessSettings>;
  /** The patrol's clock (default: the wall clock); stall decisions read only this. */
  now?: () => Date;
  /** How long a check command may run (default 10 minutes). */
  checkTimeoutMs?: number;
  killGroup?: (pgid: number) => Promise<boolean>;
}

export interface WitnessReport {
  rig: string;
  at: string;
  actions: WitnessAction[];
}

export class Witness {
  private current: WitnessState = WitnessState.idle;
  readonly actor: string;

  constructor(private readonly options: WitnessOptions) {
    this.actor = `${options.rig}/witness`;
  }

  get state(): WitnessState {
    return this.current;
  }

  /** One patrol. Refused while another runs or after `stop()`; a polecat's failure never ends it. */
  async tick(): Promise<WitnessReport> {
    if (this.current !== WitnessState.idle) {
      throw new GasTownError(ErrorCode.conflict, `the ${this.options.rig} witness is ${this.current}`, {
        retryable: this.current === WitnessState.patrolling,
        ids: { rig: this.options.rig },
      });
    }
    // Nothing to watch: skip reading the town's files (an idle daemon patrols every second).
    const watched = prepared(
      this.options.town.db,
      `SELECT count(*) FROM polecats WHERE rig = ? AND state IN ('review', 'working')`,
    )
      .pluck()
      .get(this.options.rig) as number;
    if (watched === 0)
      return { rig: this.options.rig, at: (this.options.now?.() ?? new Date()).toISOString(), actions: [] };
    this.current = WitnessState.patrolling;
    try {
      const ctx = await this.patrolContext();
      const actions: WitnessAction[] = [];
      for (const polecat of listPolecats(ctx.town.db, ctx.rig.name)) {
        if (this.state !== WitnessState.patrolling) break;
        try {
          if (polecat.state === 'review') actions.push(...(await reviewPolecat(ctx, polecat)));
          else if (polecat.state === 'working') actions.push(...(await patrolStall(ctx, polecat)));
        } catch (error) {
          actions.push({
            type: 'error',
            polecat: polecat.name,
            beadId: polecat.bead_id,
            message: errorMessage(error),
          });
        }
      }
      return { rig: ctx.rig.name, at: ctx.now.toISOString(), actions };
    } finally {
      if (this.current === WitnessState.patrolling) this.current = WitnessState.idle;
    }
  }

  /** Ends the loop: a patrol under way finishes the polecat it is on, and no new one starts. */
  stop(): void {
    this.current = WitnessState.stopped;
  }

  private async patrolContext(): Promise<PatrolContext> {
    const { town, root } = this.options;
    const rig = getRig(town.db, this.options.rig);
    if (!rig) throw notFound('rig', this.options.rig);
    const config = await loadTownConfig(root);
    return {
      town,
      root,
      rig,
      actor: this.actor,
      queue: this.options.queue,
      settings: { ...config.witness, ...this.options.settings },
      now: this.options.now?.() ?? new Date(),
      runner: pickRunner(loadPolicy(join(root, 'policy.yaml')).sandbox),
      checkTimeoutMs: this.options.checkTimeoutMs ?? 10 * 60_000,
      killGroup: this.options.killGroup ?? killSessionGroup,
    };
  }
}
