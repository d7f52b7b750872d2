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

/**
 * `hashedBody` cut where the seq goes: `before + seq + after` is the body. For a store that
 * numbers the event itself (PostgreSQL appends in one statement, hashing there the same bytes).
 */
export function hashedBodyParts(row: Omit<LedgerRow, 'seq' | 'prev_hash' | 'hash'>): [string, string] {
  let before = `{"actor":${q(row.actor)}`;
  if (row.bead_id !== null) before += `,"bead_id":${q(row.bead_id)}`;
  before += `,"kind":${q(row.kind)}`;
  if (row.parent_span_id !== null) before += `,"parent_span_id":${q(row.parent_span_id)}`;
  before += `,"payload":${row.payload},"seq":`;
  let after = '';
  if (row.session_id !== null) after += `,"session_id":${q(row.session_id)}`;
  if (row.span_id !== null) after += `,"span_id":${q(row.span_id)}`;
  if (row.trace_id !== null) after += `,"trace_id":${q(row.trace_id)}`;
  return [before, `${after},"ts":${q(row.ts)}}`];
}

const optionalSql = (column: string): string =>
  `iif(${column} IS NULL, '', ',"${column}":' || json_quote(${column}))`;
const textColumns = `prev_hash, payload, ts, kind, actor, ${optionalEventFields.map((f) => `coalesce(${f}, '')`).join(', ')}`;

/**
 * An SQL expression over a `ledger` row: exactly `prev_hash + hashedBody(row)`, built by SQLite
 * so that verification reads one string per event instead of ten and concatenates nothing.
 * SQLite's json_quote escapes text exactly as JSON.stringify does (test/ledger/hashed-input.test.ts
 * checks every character); around each field and the payload everything is ASCII, so decoding
 * the whole as UTF-8 gives what decoding each column does. It is NULL — the caller then falls back
 * to `hashedBody` — unless prev_hash is 64 bytes and no column holds a number (numbers print
 * differently) or, in prev_hash and the payload, a blob; a blob elsewhere makes json_quote throw.
 */
export const hashedInputSql = `CASE WHEN octet_length(prev_hash) = 64 AND prev_hash < x'' AND payload < x''
    AND min(${textColumns}) >= ''
  THEN prev_hash || '{"actor":' || json_quote(actor) || ${optionalSql('bead_id')} || ',"kind":' || json_quote(kind)
    || ${optionalSql('parent_span_id')} || ',"payload":' || payload || ',"seq":' || seq
    || ${optionalSql('session_id')} || ${optionalSql('span_id')} || ${optionalSql('trace_id')}
    || ',"ts":' || json_quote(ts) || '}'
  END`;

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
