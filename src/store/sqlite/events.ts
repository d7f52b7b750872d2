// The event tail on the SQLite file. Reads go through a read-only connection of their own, so they
// see only committed rows even while a unit of work is open on the store's connection. Wake-ups:
// an in-process signal that this process's store transactions raise after they commit, plus a
// cheap poll of max(seq) that notices appends by other processes; either way a wake fires only
// when the committed head has moved, so a rolled-back append never wakes anyone.
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { LedgerRow } from '../../ledger/event.js';
import { openDb, type Db } from '../../db/open.js';
import { defaultTailLimit, headQuery, tailQuery, type EventTail, type WakeSubscription } from '../store.js';

const signals = new Map<string, EventEmitter>();

function signalFor(file: string): EventEmitter {
  const key = resolve(file);
  let signal = signals.get(key);
  if (signal === undefined) {
    signal = new EventEmitter();
    signal.setMaxListeners(0);
    signals.set(key, signal);
  }
  return signal;
}

/** Raised by the SQLite store after each transaction it commits on `file`. */
export function signalCommit(file: string): void {
  signalFor(file).emit('commit');
}

export interface SqliteTailOptions {
  /** How often to look for appends by other processes (default 200 ms). */
  pollMs?: number;
}

export interface SqliteTail extends EventTail {
  close(): void;
}

export function sqliteTail(file: string, options: SqliteTailOptions = {}): SqliteTail {
  let reader: Db | undefined;
  const open = (): Db => (reader ??= openDb(file, { readonly: true, migrate: false }));
  const head = (): number => (open().prepare(headQuery).get() as { head: number }).head;
  const subscriptions = new Set<WakeSubscription>();
  return {
    after: (seq, limit = defaultTailLimit) =>
      Promise.resolve(open().prepare(tailQuery).all(seq, limit) as LedgerRow[]),
    head: () => Promise.resolve(head()),
    wake(onWake) {
      let seen = head();
      const check = (): void => {
        const now = head();
        if (now > seen) {
          seen = now;
          onWake();
        }
      };
      const signal = signalFor(file);
      signal.on('commit', check);
      const timer = setInterval(check, options.pollMs ?? 200);
      timer.unref();
      const subscription: WakeSubscription = {
        close: () => {
          signal.off('commit', check);
          clearInterval(timer);
          subscriptions.delete(subscription);
          return Promise.resolve();
        },
      };
      subscriptions.add(subscription);
      return Promise.resolve(subscription);
    },
    close() {
      for (const subscription of [...subscriptions]) void subscription.close();
      reader?.close();
      reader = undefined;
    },
  };
}
