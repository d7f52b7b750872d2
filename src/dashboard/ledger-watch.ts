// Tells the event streams when the ledger grew. Events appended in this process arrive through the
// ledger's subscribe (at once); events other processes append (a foreground `gt sling`, the CLI) are
// only in the database, so the head is also polled. One watcher serves every open stream.
import type { Db } from '../db/open.js';
import type { Ledger } from '../ledger/index.js';

export interface LedgerWatch {
  /** The highest seq committed, as last seen. */
  head(): number;
  /** Resolves once the head passes `seq`, or after `maxWaitMs` (for keep-alives), or on close. */
  waitPast(seq: number, maxWaitMs: number): Promise<void>;
  readonly closed: boolean;
  close(): void;
}

export function watchLedger(ledger: Ledger, options: { pollMs: number }): LedgerWatch {
  const db: Db = ledger.db;
  const headQuery = db.prepare('SELECT coalesce(max(seq), 0) FROM ledger').pluck();
  let head = headQuery.get() as number;
  const waiters = new Set<{ seq: number; resolve: () => void }>();
  let closed = false;

  const wakeUp = (): void => {
    for (const waiter of waiters) {
      if (closed || head > waiter.seq) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };
  const poll = (): void => {
    // An append just before the daemon closes the town schedules a poll that runs after it.
    if (closed || !db.open) return;
    // The database is the truth: an append whose transaction rolled back never shows up here.
    head = headQuery.get() as number;
    wakeUp();
  };
  // The listener runs inside the append's transaction: only note it; the readers run after commit.
  let pending = false;
  const unsubscribe = ledger.subscribe(() => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      poll();
    });
  });
  const timer = setInterval(() => {
    if (waiters.size > 0) poll();
  }, options.pollMs);
  timer.unref();

  return {
    head: () => head,
    get closed() {
      return closed;
    },
    waitPast(seq, maxWaitMs) {
      if (closed || head > seq) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiter = {
          seq,
          resolve: () => {
            clearTimeout(timeout);
            resolve();
          },
        };
        const timeout = setTimeout(() => {
          waiters.delete(waiter);
          resolve();
        }, maxWaitMs);
        waiters.add(waiter);
      });
    },
    close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      wakeUp();
    },
  };
}
