// Verification through the repository: the core's ChainVerifier fed page by page, so a million
// events never sit in memory at once and both backends are checked by the same code as an export.
// The bound is read first (checkpoints, then the last row), so appends that commit meanwhile are
// neither checked nor mistaken for damage. On PostgreSQL the head row is checked too: a ledger cut
// short below the head it last recorded is truncated even when no checkpoint covers the loss.
import type { KeyObject } from 'node:crypto';
import type { Checkpoint } from '../../ledger/checkpoint.js';
import type { LedgerHead } from '../../ledger/link.js';
import type { LedgerRow } from '../../ledger/event.js';
import { sha256Hex } from '../../ledger/hash.js';
import { ChainVerifier, type VerifyReport } from '../../ledger/verify.js';
import type { SqlRunner } from '../sql.js';
import {
  blobHashesSql,
  blobPageSql,
  checkpointsSql,
  headRowSql,
  lastRowSql,
  rowPageSql,
  rowSql,
} from './sql.js';

const rowPage = 5_000;
const blobPage = 64;

export async function verifyRows(sql: SqlRunner, publicKey: KeyObject | undefined): Promise<VerifyReport> {
  const checkpoints = await sql.all<Checkpoint>(checkpointsSql);
  const headRow = sql.dialect === 'postgres' ? await sql.get<LedgerHead>(headRowSql) : undefined;
  const upTo = (await sql.get<LedgerHead>(lastRowSql))?.seq ?? 0;
  const blobHashes = new Set((await sql.all<{ hash: string }>(blobHashesSql)).map((b) => b.hash));
  const verifier = new ChainVerifier({
    checkpoints,
    ...(publicKey ? { publicKey } : {}),
    hasBlob: (hash) => blobHashes.has(hash),
  });
  const begun = verifier.begin();
  if (begun) return begun;
  for (let after = 0; after < upTo;) {
    const rows = await sql.all<LedgerRow>(rowPageSql, [after, upTo, rowPage]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const failed = verifier.row(row);
      if (failed) return failed;
    }
    after = rows[rows.length - 1]!.seq;
  }
  const ended = verifier.end() ?? (headRow ? await checkHeadRow(sql, verifier, headRow) : undefined);
  if (ended) return ended;
  for (let after = ''; ;) {
    const blobs = await sql.all<{ hash: string; content: Buffer }>(blobPageSql, [after, blobPage]);
    for (const blob of blobs) {
      const failed = verifier.blob({ hash: blob.hash, actual: sha256Hex(blob.content) });
      if (failed) return failed;
    }
    if (blobs.length < blobPage) break;
    after = blobs[blobs.length - 1]!.hash;
  }
  return verifier.report();
}

async function checkHeadRow(
  sql: SqlRunner,
  verifier: ChainVerifier,
  head: LedgerHead,
): Promise<VerifyReport | undefined> {
  const events = verifier.report().events;
  if (head.seq > events) {
    return verifier.failWith({
      kind: 'truncated',
      seq: events + 1,
      message: `truncated: the ledger's head row records seq ${head.seq}, the ledger holds ${events}`,
    });
  }
  if (head.seq === 0) return undefined;
  const row = await sql.get<LedgerRow>(rowSql, [head.seq]);
  if (row?.hash === head.hash) return undefined;
  return verifier.failWith({
    kind: 'rewritten',
    seq: head.seq,
    message: `seq ${head.seq} was rewritten: the ledger's head row records a different hash`,
  });
}
