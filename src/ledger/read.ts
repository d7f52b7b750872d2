// Reading the ledger back: single events with their blobs, filtered pages for the feed and the
// trace, and streaming iteration for verification and export.
import type Database from 'better-sqlite3';
import type { Checkpoint } from './checkpoint.js';
import { listCheckpoints } from './checkpoint.js';
import type { LedgerEvent, LedgerRow } from './event.js';
import { rowToEvent } from './event.js';
import { sha256Hex } from './hash.js';
import type { VerifyReport } from './verify.js';
import { verifyLedger } from './verify.js';
import type { KeyObject } from 'node:crypto';

type Db = Database.Database;

export interface EventQuery {
  /** Only events after this sequence number. */
  afterSeq?: number;
  /** Only events at or after this time (ISO 8601). */
  since?: string;
  beadId?: string;
  actor?: string;
  kind?: string;
  limit?: number;
  /** Newest first instead of oldest first. */
  newestFirst?: boolean;
}

export function queryEvents(db: Db, query: EventQuery = {}): LedgerEvent[] {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.afterSeq !== undefined) {
    where.push('seq > :afterSeq');
    params.afterSeq = query.afterSeq;
  }
  if (query.since !== undefined) {
    where.push('ts >= :since');
    params.since = new Date(query.since).toISOString();
  }
  if (query.beadId !== undefined) {
    where.push('bead_id = :beadId');
    params.beadId = query.beadId;
  }
  if (query.actor !== undefined) {
    where.push('actor = :actor');
    params.actor = query.actor;
  }
  if (query.kind !== undefined) {
    where.push('kind = :kind');
    params.kind = query.kind;
  }
  const sql = `SELECT * FROM ledger ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY seq ${query.newestFirst ? 'DESC' : 'ASC'} ${query.limit ? `LIMIT ${Math.floor(query.limit)}` : ''}`;
  return db
    .prepare<[Record<string, string | number>], LedgerRow>(sql)
    .all(params)
    .map((row) => rowToEvent(row));
}

export function getEvent(db: Db, seq: number): LedgerEvent | undefined {
  const row = db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE seq = ?').get(seq);
  return row ? rowToEvent(row) : undefined;
}

export function getBlob(db: Db, hash: string): Buffer | undefined {
  return db
    .prepare<[string], { content: Buffer }>('SELECT content FROM ledger_blobs WHERE hash = ?')
    .get(hash)?.content;
}

/** Lazy: the statement runs only once iteration starts, and closes when the loop stops early. */
export function* iterateRows(db: Db): Generator<LedgerRow> {
  yield* db.prepare<[], LedgerRow>('SELECT * FROM ledger ORDER BY seq').iterate();
}

export function* iterateBlobs(db: Db): Generator<{ hash: string; content: Buffer }> {
  yield* db
    .prepare<[], { hash: string; content: Buffer }>('SELECT hash, content FROM ledger_blobs ORDER BY hash')
    .iterate();
}

/** Verifies the town's own ledger against the given (trusted) public key. */
export function verifyDatabase(db: Db, publicKey: KeyObject | undefined): VerifyReport {
  const checkpoints: Checkpoint[] = listCheckpoints(db);
  // A connection cannot run other statements while it iterates rows, so load the blob index first.
  const blobHashes = new Set(db.prepare('SELECT hash FROM ledger_blobs').pluck().all() as string[]);
  return db
    .transaction(() =>
      verifyLedger({
        rows: iterateRows(db),
        checkpoints,
        ...(publicKey ? { publicKey } : {}),
        hasBlob: (hash) => blobHashes.has(hash),
        blobs: (function* () {
          for (const blob of iterateBlobs(db)) yield { hash: blob.hash, actual: sha256Hex(blob.content) };
        })(),
      }),
    )
    .deferred();
}
