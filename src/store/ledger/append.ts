// One append transaction's body, on either backend: store the drafts' blobs, lock the head, number
// the drafts after it and insert them. Blobs go first: they are keyed by content, so they need no
// lock, and the chain stays locked only for the head read and the insert.
import { genesisHash } from '../../ledger/hash.js';
import type { LedgerEvent, LedgerRow } from '../../ledger/event.js';
import type { EventDraft, LedgerHead, LinkMaker } from '../../ledger/link.js';
import type { SqlRunner } from '../sql.js';
import { insertBlobSql, insertRowsParams, insertRowsSql, lockHeadSql } from './sql.js';

/** Rows per INSERT on PostgreSQL (12 parameters each, far below its 65,535). */
const pgChunk = 500;

export async function lockHead(sql: SqlRunner): Promise<LedgerHead> {
  return (await sql.get<LedgerHead>(lockHeadSql(sql.dialect))) ?? { seq: 0, hash: genesisHash };
}

export async function appendDrafts(
  sql: SqlRunner,
  links: LinkMaker,
  drafts: readonly EventDraft[],
): Promise<LedgerEvent[]> {
  const stored = new Set<string>();
  for (const draft of drafts) {
    for (const blob of draft.blobs) {
      if (stored.has(blob.hash)) continue;
      stored.add(blob.hash);
      await sql.run(insertBlobSql, [blob.hash, blob.bytes.length, blob.bytes]);
    }
  }
  let head = await lockHead(sql);
  const rows: LedgerRow[] = [];
  const events: LedgerEvent[] = [];
  for (const draft of drafts) {
    const { row, event } = links.link(head, draft);
    rows.push(row);
    events.push(event);
    head = row;
  }
  // SQLite runs in-process: one cached single-row statement is fastest. PostgreSQL pays a round
  // trip per statement, so it takes the rows in a few multi-row INSERTs.
  const chunk = sql.dialect === 'postgres' ? pgChunk : 1;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await sql.run(insertRowsSql(sql.dialect, part.length), insertRowsParams(sql.dialect, part));
  }
  return events;
}
