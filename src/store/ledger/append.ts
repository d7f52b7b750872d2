// One append transaction's body, on either backend: store the drafts' blobs, lock the head, number
// the drafts after it and insert them. Blobs go first: they are keyed by content, so they need no
// lock, and the chain stays locked only for the head read and the insert.
import { ErrorCode, GasTownError } from '../../errors.js';
import { genesisHash } from '../../ledger/hash.js';
import { hashedBodyParts, rowToEvent, type LedgerEvent, type LedgerRow } from '../../ledger/event.js';
import { chainHash } from '../../ledger/hash.js';
import type { EventDraft, LedgerHead, LinkMaker } from '../../ledger/link.js';
import type { SqlRunner } from '../sql.js';
import { appendOneSql, insertBlobSql, insertRowsParams, insertRowsSql, lockHeadSql } from './sql.js';

/** Rows per INSERT on PostgreSQL (12 parameters each, far below its 65,535). */
const pgChunk = 500;
/** Rows per INSERT on SQLite (a statement is cached per row count, so keep the counts few). */
const sqliteChunk = 64;

export async function lockHead(sql: SqlRunner): Promise<LedgerHead> {
  return (await sql.get<LedgerHead>(lockHeadSql(sql.dialect))) ?? { seq: 0, hash: genesisHash };
}

async function storeBlobs(sql: SqlRunner, drafts: readonly EventDraft[]): Promise<void> {
  const stored = new Set<string>();
  for (const draft of drafts) {
    for (const blob of draft.blobs) {
      if (stored.has(blob.hash)) continue;
      stored.add(blob.hash);
      await sql.run(insertBlobSql, [blob.hash, blob.bytes.length, blob.bytes]);
    }
  }
}

/**
 * PostgreSQL: one event in one statement (`appendOneSql`), which needs no transaction of its own.
 * Its blobs go first, each a statement that is safe alone (content-addressed, insert-if-absent).
 * The hash PostgreSQL computed is checked against the core's before the event is handed back.
 */
export async function appendOne(sql: SqlRunner, draft: EventDraft): Promise<LedgerEvent> {
  await storeBlobs(sql, [draft]);
  const b = draft.body;
  const [before, after] = hashedBodyParts(b);
  const link = await sql.get<Pick<LedgerRow, 'seq' | 'prev_hash' | 'hash'>>(appendOneSql, [
    ...[before, after, b.ts, b.kind, b.actor, b.bead_id, b.session_id, b.trace_id, b.span_id],
    ...[b.parent_span_id, b.payload],
  ]);
  if (link === undefined)
    throw new GasTownError(ErrorCode.store, 'ledger_head has no row: the ledger schema is incomplete');
  const row: LedgerRow = { ...b, ...link };
  if (chainHash(row.prev_hash, before + String(row.seq) + after) !== row.hash) {
    throw new GasTownError(
      ErrorCode.store,
      `ledger seq ${row.seq}: PostgreSQL hashed other bytes than the core`,
    );
  }
  return rowToEvent(row, draft.payload);
}

export async function appendDrafts(
  sql: SqlRunner,
  links: LinkMaker,
  drafts: readonly EventDraft[],
): Promise<LedgerEvent[]> {
  await storeBlobs(sql, drafts);
  let head = await lockHead(sql);
  const rows: LedgerRow[] = [];
  const events: LedgerEvent[] = [];
  for (const draft of drafts) {
    const { row, event } = links.link(head, draft);
    rows.push(row);
    events.push(event);
    head = row;
  }
  // Multi-row INSERTs: PostgreSQL pays a round trip per statement, SQLite an await and a step.
  const chunk = sql.dialect === 'postgres' ? pgChunk : sqliteChunk;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await sql.run(insertRowsSql(sql.dialect, part.length), insertRowsParams(sql.dialect, part));
  }
  return events;
}
