// The shape of a ledger event and the exact bytes that are hashed for it.
import { chainHash } from './hash.js';

export interface LedgerEventInput {
  kind: string;
  actor: string;
  bead_id?: string;
  session_id?: string;
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  payload: Record<string, unknown>;
  /** Defaults to now. */
  ts?: string;
}

export interface LedgerEvent extends Omit<LedgerEventInput, 'ts'> {
  seq: number;
  ts: string;
  prev_hash: string;
  hash: string;
}

export const optionalEventFields = [
  'bead_id',
  'session_id',
  'trace_id',
  'span_id',
  'parent_span_id',
] as const;

/** A stored event: the payload is kept as its canonical JSON text, exactly the bytes hashed. */
export interface LedgerRow {
  seq: number;
  ts: string;
  kind: string;
  actor: string;
  bead_id: string | null;
  session_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

const q = JSON.stringify;

/**
 * The canonical JSON of everything the hash commits to besides prev_hash, built by concatenation
 * in RFC 8785 key order from the stored canonical payload, so verifying needs no JSON parsing.
 */
export function hashedBody(row: Omit<LedgerRow, 'prev_hash' | 'hash'>): string {
  let body = `{"actor":${q(row.actor)}`;
  if (row.bead_id !== null) body += `,"bead_id":${q(row.bead_id)}`;
  body += `,"kind":${q(row.kind)}`;
  if (row.parent_span_id !== null) body += `,"parent_span_id":${q(row.parent_span_id)}`;
  body += `,"payload":${row.payload},"seq":${row.seq}`;
  if (row.session_id !== null) body += `,"session_id":${q(row.session_id)}`;
  if (row.span_id !== null) body += `,"span_id":${q(row.span_id)}`;
  if (row.trace_id !== null) body += `,"trace_id":${q(row.trace_id)}`;
  return `${body},"ts":${q(row.ts)}}`;
}

export function rowHash(row: Omit<LedgerRow, 'hash'>): string {
  return chainHash(row.prev_hash, hashedBody(row));
}

/** `payload` may be passed when the caller already holds it parsed. */
export function rowToEvent(row: LedgerRow, payload?: Record<string, unknown>): LedgerEvent {
  const event: LedgerEvent = {
    seq: row.seq,
    ts: row.ts,
    kind: row.kind,
    actor: row.actor,
    payload: payload ?? (JSON.parse(row.payload) as Record<string, unknown>),
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
  for (const field of optionalEventFields) {
    const value = row[field];
    if (value !== null) event[field] = value;
  }
  return event;
}

/** Marker a payload holds in place of a value moved to the blob table. */
export interface BlobRef {
  $blob: string;
  bytes: number;
}

export function isBlobRef(value: unknown): value is BlobRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).$blob === 'string' &&
    typeof (value as Record<string, unknown>).bytes === 'number'
  );
}
