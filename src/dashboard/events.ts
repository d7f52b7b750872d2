// GET /api/events: the ledger as server-sent events. Each event's `id:` is its ledger seq, so a
// client that reconnects with `Last-Event-ID` (or `?after=<seq>`) resumes exactly where it stopped:
// nothing lost, nothing twice. Rows are read from the database in pages, never held in memory.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Db } from '../db/open.js';
import type { LedgerRow } from '../ledger/index.js';
import { describeEvent } from '../ledger/index.js';
import { rowToEvent } from '../ledger/event.js';
import { invalidInput } from '../errors.js';
import type { LedgerWatch } from './ledger-watch.js';

/** What the page receives per event: the row plus its readable line. */
export interface StreamedEvent {
  seq: number;
  ts: string;
  kind: string;
  actor: string;
  bead_id: string | null;
  session_id: string | null;
  summary: string;
  payload: Record<string, unknown>;
}

const pageSize = 500;
const keepAliveMs = 15_000;

export function streamedEvent(row: LedgerRow): StreamedEvent {
  const event = rowToEvent(row);
  return {
    seq: row.seq,
    ts: row.ts,
    kind: row.kind,
    actor: row.actor,
    bead_id: row.bead_id,
    session_id: row.session_id,
    summary: describeEvent(event),
    payload: event.payload,
  };
}

/** Where a stream starts: Last-Event-ID wins over `after`; neither means "from now on". */
export function startSeq(c: Context, head: number): number {
  const text = c.req.header('last-event-id') ?? c.req.query('after');
  if (text === undefined || text === '') return head;
  const seq = Number(text);
  if (!Number.isSafeInteger(seq) || seq < 0) throw invalidInput(`after: "${text}" is not a ledger seq`);
  return seq;
}

export function eventStream(c: Context, db: Db, watch: LedgerWatch): Response {
  let cursor = startSeq(c, watch.head());
  const page = db.prepare<[number, number], LedgerRow>(
    'SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    let open = true;
    stream.onAbort(() => {
      open = false;
    });
    await stream.writeSSE({ event: 'hello', data: JSON.stringify({ after: cursor, head: watch.head() }) });
    while (open && !watch.closed) {
      const rows = page.all(cursor, pageSize);
      for (const row of rows) {
        await stream.writeSSE({
          id: String(row.seq),
          event: 'ledger',
          data: JSON.stringify(streamedEvent(row)),
        });
        cursor = row.seq;
      }
      if (rows.length === pageSize) continue;
      const before = cursor;
      await watch.waitPast(cursor, keepAliveMs);
      if (open && watch.head() <= before) await stream.write(': keep-alive\n\n');
    }
  });
}
