// The supervisor: hosts the town's loops (a Witness and a Refinery per rig, the Deacon, the convoy
// dispatcher), each ticking on its own interval without overlapping itself. A loop whose tick throws
// is logged, recorded in the ledger and restarted on its next interval. The supervisor is an
// explicit state machine with one place for shutdown.
import type { Logger } from './logger.js';

export type SupervisorState = 'starting' | 'running' | 'stopping' | 'stopped';

export interface Loop {
  name: string;
  intervalMs: number;
  tick(): Promise<unknown>;
}

export interface SupervisorOptions {
  loops: Loop[];
  logger: Logger;
  /** Told when a loop's tick fails, so the failure reaches the ledger. */
  onLoopError?: (loop: string, error: unknown) => void;
}

export class Supervisor {
  private currentState: SupervisorState = 'starting';
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly failures = new Map<string, number>();
  private readonly wakeAfter = new Set<string>();

  constructor(private readonly options: SupervisorOptions) {}

  get state(): SupervisorState {
    return this.currentState;
  }

  start(): void {
    if (this.currentState !== 'starting')
      throw new Error(`cannot start a supervisor that is ${this.currentState}`);
    this.currentState = 'running';
    for (const loop of this.options.loops) this.schedule(loop, 0);
    this.options.logger.log('info', 'supervisor running', { loops: this.options.loops.map((l) => l.name) });
  }

  /** Stops scheduling, waits for ticks in flight, and settles in `stopped`. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped' || this.currentState === 'stopping') return;
    this.currentState = 'stopping';
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
    this.currentState = 'stopped';
    this.options.logger.log('info', 'supervisor stopped');
  }

  /** Runs a loop's next tick now instead of at its interval (another loop has work for it). */
  wake(name: string): void {
    if (this.currentState !== 'running') return;
    const loop = this.options.loops.find((l) => l.name === name);
    if (!loop) return;
    if (this.inFlight.has(name)) {
      this.wakeAfter.add(name);
      return;
    }
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.schedule(loop, 0);
  }

  health(): Record<string, { failures: number; busy: boolean }> {
    return Object.fromEntries(
      this.options.loops.map((loop) => [
        loop.name,
        { failures: this.failures.get(loop.name) ?? 0, busy: this.inFlight.has(loop.name) },
      ]),
    );
  }

  private schedule(loop: Loop, delay: number): void {
    if (this.currentState !== 'running') return;
    this.timers.set(
      loop.name,
      setTimeout(() => {
        const run = loop
          .tick()
          .catch((error: unknown) => {
            this.failures.set(loop.name, (this.failures.get(loop.name) ?? 0) + 1);
            this.options.logger.log('error', 'loop tick failed', {
              loop: loop.name,
              error: error instanceof Error ? error.message : String(error),
            });
            this.options.onLoopError?.(loop.name, error);
          })
          .finally(() => {
            this.inFlight.delete(loop.name);
            const woken = this.wakeAfter.delete(loop.name);
            this.schedule(loop, woken ? 0 : loop.intervalMs);
          });
        this.inFlight.set(loop.name, run);
      }, delay),
    );
  }
}
