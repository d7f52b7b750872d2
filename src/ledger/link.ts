// The next link of the chain, made without touching storage: the sync `Ledger` (SQLite) and the
// async ledger repository (SQLite or PostgreSQL) both make their rows here, so an event appended by
// either verifies with the other. Making a link has two halves: `draft` redacts the payload and
// moves long strings out to blobs (work that does not depend on the head, done before any lock is
// taken), `link` numbers the draft after the head and computes its hash.
import { canonicalJson } from './canonical.js';
import type { BlobRef, LedgerEvent, LedgerEventInput, LedgerRow } from './event.js';
import { rowHash, rowToEvent } from './event.js';
import { sha256Hex } from './hash.js';
import type { Redactor } from './redact.js';
import { currentParentSpan } from './span-context.js';
import { traceIdForBead } from './trace-ids.js';

export interface LinkOptions {
  redactor?: Redactor;
  /** Strings longer than this many characters are stored as blobs (default 4096). */
  blobThreshold?: number;
  now?: () => Date;
}

export interface LedgerHead {
  seq: number;
  hash: string;
}

/** Content to store in the blob table under its sha256. */
export interface BlobContent {
  hash: string;
  bytes: Buffer;
}

/** An event ready to be numbered: redacted, its payload in canonical text, its blobs set aside. */
export interface EventDraft {
  body: Omit<LedgerRow, 'seq' | 'prev_hash' | 'hash'>;
  /** The payload as stored (blob references in place of long strings). */
  payload: Record<string, unknown>;
  blobs: BlobContent[];
}

export class LinkMaker {
  private readonly blobThreshold: number;
  private readonly traceIds = new Map<string, string>();

  constructor(private readonly options: LinkOptions = {}) {
    this.blobThreshold = options.blobThreshold ?? 4096;
  }

  /** The time a batch is stamped with: its events happen in one transaction, at one moment. */
  now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  draft(input: LedgerEventInput, batchTs?: string): EventDraft {
    const redacted = this.options.redactor ? this.options.redactor.redactValue(input.payload) : input.payload;
    // A payload whose whole JSON is under the threshold has no string to move to the blob table.
    let text = canonicalJson(redacted);
    let payload = redacted;
    const blobs: BlobContent[] = [];
    if (text.length > this.blobThreshold) {
      payload = this.externalize(redacted, blobs);
      text = canonicalJson(payload);
    }
    const body: EventDraft['body'] = {
      ts: input.ts ?? batchTs ?? this.now(),
      kind: input.kind,
      actor: input.actor,
      bead_id: input.bead_id ?? null,
      session_id: input.session_id ?? null,
      trace_id: input.trace_id ?? (input.bead_id === undefined ? null : this.traceIdOf(input.bead_id)),
      span_id: input.span_id ?? null,
      parent_span_id: input.parent_span_id ?? ambientParent(input.span_id),
      payload: text,
    };
    return { body, payload, blobs };
  }

  /** The stored row and the event it reads back as, numbered after `head`. */
  link(head: LedgerHead, draft: EventDraft): { row: LedgerRow; event: LedgerEvent } {
    const unhashed: Omit<LedgerRow, 'hash'> = { seq: head.seq + 1, ...draft.body, prev_hash: head.hash };
    const row: LedgerRow = { ...unhashed, hash: rowHash(unhashed) };
    return { row, event: rowToEvent(row, draft.payload) };
  }

  /** Content for the blob table, text redacted first; the reference a payload can hold. */
  blob(content: string | Buffer): { blob: BlobContent; ref: BlobRef } {
    const bytes = typeof content === 'string' ? Buffer.from(this.redactText(content)) : content;
    const blob = { hash: sha256Hex(bytes), bytes };
    return { blob, ref: { $blob: blob.hash, bytes: bytes.length } };
  }

  private traceIdOf(beadId: string): string {
    let id = this.traceIds.get(beadId);
    if (id === undefined) {
      if (this.traceIds.size > 10_000) this.traceIds.clear();
      id = traceIdForBead(beadId);
      this.traceIds.set(beadId, id);
    }
    return id;
  }

  private externalize(payload: Record<string, unknown>, blobs: BlobContent[]): Record<string, unknown> {
    const walk = (value: unknown): unknown => {
      // Already redacted with the rest of the payload.
      if (typeof value === 'string') {
        if (value.length <= this.blobThreshold) return value;
        const bytes = Buffer.from(value);
        const hash = sha256Hex(bytes);
        blobs.push({ hash, bytes });
        return { $blob: hash, bytes: bytes.length } satisfies BlobRef;
      }
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
}

/** The span the caller runs under (`withParentSpan`), unless it is the event's own span. */
function ambientParent(spanId: string | undefined): string | null {
  const parent = currentParentSpan();
  return parent === undefined || parent === spanId ? null : parent;
}
