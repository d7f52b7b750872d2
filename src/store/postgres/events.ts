// The event tail on PostgreSQL. Reads run on the pool and see committed rows only. Wake-ups ride
// LISTEN/NOTIFY: the ledger's trigger (schema/events.ts) notifies inside the appending transaction,
// so the server delivers on commit and drops it on rollback. Each subscription holds one dedicated
// connection; when that connection drops it reconnects and wakes once, since notifications sent
// while it was away are lost.
import pg from 'pg';
import type { LedgerRow } from '../../ledger/event.js';
import { ledgerChannel } from './schema/index.js';
import { runnerFor } from './connection.js';
import { defaultTailLimit, headQuery, tailQuery, type EventTail, type WakeSubscription } from '../store.js';

export interface PgTailOptions {
  /** Wait before reconnecting a dropped listener (default 1000 ms). */
  reconnectMs?: number;
}

export function pgTail(
  pool: pg.Pool,
  url: string,
  options: PgTailOptions = {},
): EventTail & { close(): Promise<void> } {
  const subscriptions = new Set<WakeSubscription>();
  const read = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  };
  return {
    after: (seq, limit = defaultTailLimit) =>
      read((client) => runnerFor(client).all<LedgerRow>(tailQuery, [seq, limit])),
    head: () => read(async (client) => (await runnerFor(client).get<{ head: number }>(headQuery))?.head ?? 0),
    async wake(onWake) {
      const subscription = await listen(url, onWake, options.reconnectMs ?? 1000);
      subscriptions.add(subscription);
      return {
        close: async () => {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      subscriptions.clear();
    },
  };
}

async function listen(url: string, onWake: () => void, reconnectMs: number): Promise<WakeSubscription> {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === ledgerChannel) onWake();
    });
    // A dropped connection reports an error, an end, or both: reconnect once either way.
    const lost = (): void => {
      if (closed || client !== next) return;
      client = undefined;
      void next.end().catch(() => undefined);
      timer = setTimeout(() => void retry(), reconnectMs);
    };
    next.on('error', lost);
    next.on('end', lost);
    await next.connect();
    await next.query(`LISTEN ${ledgerChannel}`);
    client = next;
  };
  const retry = async (): Promise<void> => {
    if (closed) return;
    try {
      await connect();
      onWake();
    } catch {
      timer = setTimeout(() => void retry(), reconnectMs);
    }
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
