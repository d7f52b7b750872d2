// Appends to the ledger. An append reads the head and writes the next link inside the caller's
// write transaction, so the event commits or rolls back with the change it describes. Payloads
// are redacted first; strings longer than the blob threshold move to the content-addressed blob
// table and the payload keeps their hash.
import type Database from 'better-sqlite3';
import { canonicalJson } from './canonical.js';
import type { BlobRef, LedgerEvent, LedgerEventInput, LedgerRow } from './event.js';
import { rowHash, rowToEvent } from './event.js';
import { genesisHash, sha256Hex } from './hash.js';
import type { Redactor } from './redact.js';
import { currentParentSpan } from './span-context.js';
import { traceIdForBead } from './trace-ids.js';

type Db = Database.Database;

export interface LedgerOptions {
  redactor?: Redactor;
  /** Strings longer than this many characters are stored as blobs (default 4096). */
  blobThreshold?: number;
  now?: () => Date;
}

export interface LedgerHead {
  seq: number;
  hash: string;
}

export class Ledger {
  private readonly blobThreshold: number;
  private readonly insert;
  private readonly headQuery;
  private readonly blobInsert;

  constructor(
    readonly db: Db,
    private readonly options: LedgerOptions = {},
  ) {
    this.blobThreshold = options.blobThreshold ?? 4096;
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
    return this.inTransaction(() => this.appendAfter(this.head(), input));
  }

  /** Appends many events in one transaction (one head read, one commit). */
  appendMany(inputs: readonly LedgerEventInput[]): LedgerEvent[] {
    return this.inTransaction(() => {
      let head = this.head();
      // One clock reading for the batch: its events happen in one transaction, at one moment.
      const ts = (this.options.now?.() ?? new Date()).toISOString();
      return inputs.map((input) => {
        const event = this.appendAfter(head, input, ts);
        head = event;
        return event;
      });
    });
  }

  /** Stores content once under its sha256 and returns the reference a payload can hold. */
  putBlob(content: string | Buffer): BlobRef {
    return this.storeBlob(typeof content === 'string' ? Buffer.from(this.redactText(content)) : content);
  }

  private storeBlob(bytes: Buffer): BlobRef {
    const hash = sha256Hex(bytes);
    this.blobInsert.run(hash, bytes.length, bytes);
    return { $blob: hash, bytes: bytes.length };
  }

  private appendAfter(head: LedgerHead, input: LedgerEventInput, batchTs?: string): LedgerEvent {
    const redacted = this.options.redactor ? this.options.redactor.redactValue(input.payload) : input.payload;
    // A payload whose whole JSON is under the threshold has no string to move to the blob table.
    let text = canonicalJson(redacted);
    let payload = redacted;
    if (text.length > this.blobThreshold) {
      payload = this.externalize(redacted);
      text = canonicalJson(payload);
    }
    const row: Omit<LedgerRow, 'hash'> = {
      seq: head.seq + 1,
      ts: input.ts ?? batchTs ?? (this.options.now?.() ?? new Date()).toISOString(),
      kind: input.kind,
      actor: input.actor,
      bead_id: input.bead_id ?? null,
      session_id: input.session_id ?? null,
      trace_id: input.trace_id ?? (input.bead_id === undefined ? null : this.traceIdOf(input.bead_id)),
      span_id: input.span_id ?? null,
      parent_span_id: input.parent_span_id ?? ambientParent(input.span_id),
      payload: text,
      prev_hash: head.hash,
    };
    const stored = row as LedgerRow;
    stored.hash = rowHash(row);
    this.insert.run(
      stored.seq,
      stored.ts,
      stored.kind,
      stored.actor,
      stored.bead_id,
      stored.session_id,
      stored.trace_id,
      stored.span_id,
      stored.parent_span_id,
      stored.payload,
      stored.prev_hash,
      stored.hash,
    );
    const event = rowToEvent(stored, payload);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  private readonly traceIds = new Map<string, string>();

  private traceIdOf(beadId: string): string {
    let id = this.traceIds.get(beadId);
    if (id === undefined) {
      if (this.traceIds.size > 10_000) this.traceIds.clear();
      id = traceIdForBead(beadId);
      this.traceIds.set(beadId, id);
    }
    return id;
  }

  private externalize(payload: Record<string, unknown>): Record<string, unknown> {
    const walk = (value: unknown): unknown => {
      // Already redacted with the rest of the payload.
      if (typeof value === 'string')
        return value.length > this.blobThreshold ? this.storeBlob(Buffer.from(value)) : value;
      if (Array.isArray(value)) return value.map(walk);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v)]),
        );
      }
      return value;
    };
    return walk(payload) as Record<string, unknown>;
  }

  private redactText(text: string): string {
    return this.options.redactor ? this.options.redactor.redactText(text) : text;
  }

  private inTransaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn).immediate();
  }
}

/** The span the caller runs under (`withParentSpan`), unless it is the event's own span. */
function ambientParent(spanId: string | undefined): string | null {
  const parent = currentParentSpan();
  return parent === undefined || parent === spanId ? null : parent;
}
