// Sends the ledger's new events to an OTLP/HTTP collector as spans (JSON, the real OpenTelemetry
// exporter) and moves the cursor only when the collector took them. The one place in the ledger
// that does network I/O; it never throws and never waits past its time budget, so a collector
// that is down cannot stall or break the town.
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type Database from 'better-sqlite3';
import { queryEvents } from '../read.js';
import { advanceCursor, readCursor } from './cursor.js';
import { batchDirectory, ledgerDirectory } from './directory.js';
import { toReadableSpan, townResource } from './readable-span.js';
import { buildSpanRecords } from './span-records.js';

export interface ExportOptions {
  /** The full traces URL (see otlpEndpointFrom). */
  endpoint: string;
  townName: string;
  /** The most the call may take, collector retries included (default 2000). */
  timeoutMs?: number;
  /** Ledger events read per call (default 512); call again until lastSeq reaches the head. */
  batchSize?: number;
}

export type ExportOutcome = { exported: number; lastSeq: number } | { error: string };

export const defaultTimeoutMs = 2000;
export const defaultBatchSize = 512;

export async function exportPendingSpans(
  db: Database.Database,
  options: ExportOptions,
): Promise<ExportOutcome> {
  const deadline = Date.now() + (options.timeoutMs ?? defaultTimeoutMs);
  try {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const batchSize = options.batchSize ?? defaultBatchSize;
    if (!URL.canParse(options.endpoint)) return { error: `invalid OTLP endpoint: ${options.endpoint}` };
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || !Number.isInteger(batchSize) || batchSize < 1) {
      return { error: 'timeoutMs must be positive and batchSize a positive integer' };
    }
    const cursor = readCursor(db);
    const events = queryEvents(db, { afterSeq: cursor, limit: batchSize });
    const last = events.at(-1);
    if (last === undefined) return { exported: 0, lastSeq: cursor };
    const { spans } = buildSpanRecords(events, batchDirectory(events, ledgerDirectory(db)), options.townName);
    if (spans.length > 0) {
      const resource = townResource(options.townName);
      const sent = await send(
        options.endpoint,
        spans.map((span) => toReadableSpan(span, resource)),
        deadline - Date.now(),
      );
      if (sent !== undefined) return { error: sent };
    }
    advanceCursor(db, last.seq, deadline - Date.now());
    return { exported: spans.length, lastSeq: last.seq };
  } catch (error) {
    return { error: `OTLP export failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Resolves to undefined on success, else the reason; gives up (and says so) at the deadline. */
async function send(
  url: string,
  spans: Parameters<OTLPTraceExporter['export']>[0],
  budgetMs: number,
): Promise<string | undefined> {
  if (budgetMs <= 0) return 'OTLP export timed out before sending';
  // No keep-alive: each export is a short burst, and an idle pooled socket would outlive it.
  const exporter = new OTLPTraceExporter({
    url,
    timeoutMillis: budgetMs,
    httpAgentOptions: { keepAlive: false },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      new Promise<ExportResult>((resolve) => exporter.export(spans, resolve)),
      new Promise<ExportResult>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({ code: ExportResultCode.FAILED, error: new Error(`timed out after ${budgetMs} ms`) }),
          budgetMs,
        );
      }),
    ]);
    if (result.code === ExportResultCode.SUCCESS) return undefined;
    return `OTLP export to ${url} failed: ${result.error?.message ?? 'unknown error'}`;
  } finally {
    clearTimeout(timer);
    exporter.shutdown().catch(() => undefined);
  }
}
