// Appends to the ledger. An append reads the head and writes the next link inside the caller's
// write transaction, so the event commits or rolls back with the change it describes. Payloads
// are redacted first; strings longer than the blob threshold move to the content-addressed blob
// table and the payload keeps their hash. The links themselves are made by link.ts, shared with the
// async ledger repository (src/store/ledger/), so both write the same chain.
import type Database from 'better-sqlite3';
import type { BlobRef, LedgerEvent, LedgerEventInput } from './event.js';
import { genesisHash } from './hash.js';
import { LinkMaker, type BlobContent, type EventDraft, type LedgerHead, type LinkOptions } from './link.js';

type Db = Database.Database;

export type LedgerOptions = LinkOptions;
export type { LedgerHead } from './link.js';

export class Ledger {
  private readonly links: LinkMaker;
  private readonly insert;
  private readonly headQuery;
  private readonly blobInsert;

  constructor(
    readonly db: Db,
    options: LedgerOptions = {},
  ) {
    this.links = new LinkMaker(options);
    this.insert = db.prepare(
      `INSERT INTO ledger (seq, ts, kind, actor, bead_id, session_id, trace_id, span_id, parent_span_id, payload, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.headQuery = db.prepare<[], LedgerHead>('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1');
    this.blobInsert = db.prepare('INSERT OR IGNORE INTO ledger_blobs (hash, size, content) VALUES (?, ?, ?)');
  }

  private readonly listeners = new Set<(event: LedgerEvent) => void>();

  /**
   * Tells `listener` about every event this instance appends (in-process only, e.g. to wake the
   * daemon's loops). Called inside the append's transaction; a listener must not throw or write.
   */
  subscribe(listener: (event: LedgerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  head(): LedgerHead {
    return this.headQuery.get() ?? { seq: 0, hash: genesisHash };
  }

  /** Appends one event. Call inside a write transaction to tie it to a change; alone it is its own. */
  append(input: LedgerEventInput): LedgerEvent {
    return this.inTransaction(() => this.appendAfter(this.head(), this.links.draft(input)));
  }

  /** Appends many events in one transaction (one head read, one commit). */
  appendMany(inputs: readonly LedgerEventInput[]): LedgerEvent[] {
    return this.inTransaction(() => {
      let head = this.head();
      const ts = this.links.now();
      return inputs.map((input) => {
        const event = this.appendAfter(head, this.links.draft(input, ts));
        head = event;
        return event;
      });
    });
  }

  /** Stores content once under its sha256 and returns the reference a payload can hold. */
  putBlob(content: string | Buffer): BlobRef {
    const { blob, ref } = this.links.blob(content);
    this.storeBlob(blob);
    return ref;
  }

  private storeBlob(blob: BlobContent): void {
    this.blobInsert.run(blob.hash, blob.bytes.length, blob.bytes);
  }

  private appendAfter(head: LedgerHead, draft: EventDraft): LedgerEvent {
    for (const blob of draft.blobs) this.storeBlob(blob);
    const { row, event } = this.links.link(head, draft);
    this.insert.run(
      row.seq,
      row.ts,
      row.kind,
      row.actor,
      row.bead_id,
      row.session_id,
      row.trace_id,
      row.span_id,
      row.parent_span_id,
      row.payload,
      row.prev_hash,
      row.hash,
    );
    for (const listener of this.listeners) listener(event);
    return event;
  }

  private inTransaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn).immediate();
  }
}
