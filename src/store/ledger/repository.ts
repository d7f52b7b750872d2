// The ledger repository: the town's hash-chained event record over a TxSource, on SQLite or
// PostgreSQL, with the semantics of the sync `Ledger` (src/ledger/ledger.ts) — the same links
// (redacted before anything is written, long strings moved to content-addressed blobs), so an
// event appended by either verifies with the other. Over a unit of work's bound source, appends
// join its transaction: a change and its event commit together or not at all. Appends from many
// connections or processes stay one chain with gap-free seqs in commit order: each append holds
// the head (the write lock on SQLite, the `ledger_head` row on PostgreSQL) until it commits.
import type { KeyObject } from 'node:crypto';
import { checkpointEvent, signCheckpoint, type Checkpoint } from '../../ledger/checkpoint.js';
import {
  rowToEvent,
  type BlobRef,
  type LedgerEvent,
  type LedgerEventInput,
  type LedgerRow,
} from '../../ledger/event.js';
import { genesisHash } from '../../ledger/hash.js';
import { LinkMaker, type LedgerHead, type LinkOptions } from '../../ledger/link.js';
import type { EventQuery } from '../../ledger/read.js';
import type { TownKey } from '../../ledger/keys.js';
import type { VerifyReport } from '../../ledger/verify.js';
import type { TxSource } from '../sql.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import { appendDrafts, appendOne, lockHead } from './append.js';
import {
  blobSql,
  checkpointsSql,
  hashesUpToSql,
  insertBlobSql,
  insertCheckpointSql,
  lastRowSql,
  querySql,
  rowSql,
  rowsAfterSql,
  serverEncodingSql,
} from './sql.js';
import { verifyRows } from './verify.js';

export type LedgerRepositoryOptions = LinkOptions;

export class LedgerRepository {
  private readonly links: LinkMaker;

  constructor(
    private readonly source: TxSource,
    options: LedgerRepositoryOptions | LinkMaker = {},
  ) {
    this.links = options instanceof LinkMaker ? options : new LinkMaker(options);
  }

  /** The same ledger (redactor, clock, threshold) over another source, e.g. a unit of work's. */
  bind(source: TxSource): LedgerRepository {
    return new LedgerRepository(source, this.links);
  }

  async append(input: LedgerEventInput): Promise<LedgerEvent> {
    if (this.source.dialect === 'sqlite') return (await this.appendMany([input]))[0]!;
    const draft = this.links.draft(input);
    this.utf8 ??= this.checkEncoding();
    await this.utf8;
    // One statement, atomic alone: inside a unit of work it joins the open transaction (and holds
    // the head until that commits); outside one it commits by itself, with no BEGIN or COMMIT.
    return this.source.read((sql) => appendOne(sql, draft));
  }

  private utf8: Promise<void> | undefined;

  private async checkEncoding(): Promise<void> {
    const row = await this.source.read((sql) => sql.get<{ encoding: string }>(serverEncodingSql));
    if (row?.encoding !== 'UTF8') {
      this.utf8 = undefined;
      throw new GasTownError(
        ErrorCode.store,
        `the ledger needs a UTF8 PostgreSQL database (server_encoding is ${row?.encoding ?? 'unknown'})`,
      );
    }
  }

  /** Appends many events in one transaction, stamped with one time (one head lock, one commit). */
  async appendMany(inputs: readonly LedgerEventInput[]): Promise<LedgerEvent[]> {
    if (inputs.length === 0) return [];
    // Redaction and blobs before the transaction: the head stays locked only for the insert.
    const ts = this.links.now();
    const drafts = inputs.map((input) => this.links.draft(input, ts));
    return this.source.transaction((sql) => appendDrafts(sql, this.links, drafts));
  }

  /** Stores content once under its sha256 (text redacted first); the reference a payload can hold. */
  async putBlob(content: string | Buffer): Promise<BlobRef> {
    const { blob, ref } = this.links.blob(content);
    await this.source.transaction((sql) =>
      sql.run(insertBlobSql, [blob.hash, blob.bytes.length, blob.bytes]),
    );
    return ref;
  }

  getBlob(hash: string): Promise<Buffer | undefined> {
    return this.source.read(async (sql) => (await sql.get<{ content: Buffer }>(blobSql, [hash]))?.content);
  }

  async head(): Promise<LedgerHead> {
    return (
      (await this.source.read((sql) => sql.get<LedgerHead>(lastRowSql))) ?? { seq: 0, hash: genesisHash }
    );
  }

  async get(seq: number): Promise<LedgerEvent | undefined> {
    const row = await this.source.read((sql) => sql.get<LedgerRow>(rowSql, [seq]));
    return row === undefined ? undefined : rowToEvent(row);
  }

  /** Filtered events for the feed and the trace (the sync `queryEvents`' filter). */
  async query(filter: EventQuery = {}): Promise<LedgerEvent[]> {
    const { sql: text, params } = querySql(filter);
    const rows = await this.source.read((sql) => sql.all<LedgerRow>(text, params));
    return rows.map((row) => rowToEvent(row));
  }

  /** Up to `limit` events after `seq`, oldest first: the event tail's page. */
  async after(seq: number, limit = 1_000): Promise<LedgerEvent[]> {
    const rows = await this.source.read((sql) => sql.all<LedgerRow>(rowsAfterSql, [seq, limit]));
    return rows.map((row) => rowToEvent(row));
  }

  /** Event hashes 1..upTo in order (inclusion proofs against a checkpoint). */
  async eventHashes(upTo: number): Promise<string[]> {
    const rows = await this.source.read((sql) => sql.all<{ hash: string }>(hashesUpToSql, [upTo]));
    return rows.map((r) => r.hash);
  }

  /**
   * Signs the current head, stores the checkpoint and records it as a ledger event (which the
   * next checkpoint covers), in one transaction holding the head.
   */
  createCheckpoint(key: TownKey, actor: string, now = new Date()): Promise<Checkpoint> {
    return this.source.transaction(async (sql) => {
      const head = await lockHead(sql);
      const hashes = await sql.all<{ hash: string }>(hashesUpToSql, [head.seq]);
      const cp = signCheckpoint(
        head,
        hashes.map((r) => r.hash),
        key,
        now,
      );
      await sql.run(insertCheckpointSql, [
        cp.size,
        cp.merkle_root,
        cp.head_hash,
        cp.time,
        cp.key_id,
        cp.signature,
      ]);
      await appendDrafts(sql, this.links, [this.links.draft(checkpointEvent(cp, actor))]);
      return cp;
    });
  }

  listCheckpoints(): Promise<Checkpoint[]> {
    return this.source.read((sql) => sql.all<Checkpoint>(checkpointsSql));
  }

  /** Recomputes the chain, every checkpoint's Merkle root and signature, and every blob's hash. */
  verify(publicKey?: KeyObject): Promise<VerifyReport> {
    return this.source.read((sql) => verifyRows(sql, publicKey));
  }
}
