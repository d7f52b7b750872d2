// The portable ledger export: JSONL with a header (format, public key), every event, every blob
// and every checkpoint, so `gt audit verify --file` can check it anywhere without the database.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { canonicalJson } from './canonical.js';
import type { Checkpoint } from './checkpoint.js';
import { listCheckpoints } from './checkpoint.js';
import type { LedgerRow } from './event.js';
import { rowToEvent } from './event.js';
import { sha256Hex } from './hash.js';
import { iterateBlobs, iterateRows } from './read.js';

export const exportFormat = 'gastown-ledger/1';

/** Yields the export line by line (each ends with a newline), streaming from the database. */
export function* exportLines(db: Database.Database, publicKeyPem: string): Generator<string> {
  yield JSON.stringify({ type: 'header', format: exportFormat, public_key: publicKeyPem }) + '\n';
  for (const row of iterateRows(db)) yield JSON.stringify({ type: 'event', ...rowToEvent(row) }) + '\n';
  for (const blob of iterateBlobs(db)) {
    yield (
      JSON.stringify({ type: 'blob', hash: blob.hash, content_base64: blob.content.toString('base64') }) +
      '\n'
    );
  }
  for (const cp of listCheckpoints(db)) yield JSON.stringify({ type: 'checkpoint', ...cp }) + '\n';
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const eventLine = z.object({
  type: z.literal('event'),
  seq: z.number().int().positive(),
  ts: z.string(),
  kind: z.string(),
  actor: z.string(),
  bead_id: z.string().optional(),
  session_id: z.string().optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  parent_span_id: z.string().optional(),
  payload: z.record(z.string(), z.unknown()),
  prev_hash: hex64,
  hash: hex64,
});
const line = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), format: z.literal(exportFormat), public_key: z.string() }),
  eventLine,
  z.object({ type: z.literal('blob'), hash: hex64, content_base64: z.string() }),
  z.object({
    type: z.literal('checkpoint'),
    size: z.number().int().nonnegative(),
    merkle_root: hex64,
    head_hash: hex64,
    time: z.string(),
    key_id: z.string(),
    signature: z.string(),
  }),
]);

export interface ParsedExport {
  publicKeyPem: string | undefined;
  rows: LedgerRow[];
  blobs: { hash: string; actual: string }[];
  checkpoints: Checkpoint[];
}

export function parseExport(content: string, file: string): ParsedExport {
  const parsed: ParsedExport = { publicKeyPem: undefined, rows: [], blobs: [], checkpoints: [] };
  content.split('\n').forEach((text, index) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalidInput(`${file}:${index + 1}: not valid JSON`);
    }
    const result = line.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalidInput(
        `${file}:${index + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const item = result.data;
    if (item.type === 'header') parsed.publicKeyPem = item.public_key;
    else if (item.type === 'blob')
      parsed.blobs.push({ hash: item.hash, actual: sha256Hex(Buffer.from(item.content_base64, 'base64')) });
    else if (item.type === 'checkpoint') {
      const { type: _type, ...cp } = item;
      parsed.checkpoints.push(cp);
    } else {
      parsed.rows.push({
        seq: item.seq,
        ts: item.ts,
        kind: item.kind,
        actor: item.actor,
        bead_id: item.bead_id ?? null,
        session_id: item.session_id ?? null,
        trace_id: item.trace_id ?? null,
        span_id: item.span_id ?? null,
        parent_span_id: item.parent_span_id ?? null,
        payload: canonicalJson(item.payload),
        prev_hash: item.prev_hash,
        hash: item.hash,
      });
    }
  });
  return parsed;
}
