// Sends the ledger's new events to the OTLP collector, when one is configured (town.yaml, then
// the OTEL_* environment). Best effort and bounded: a collector that is down or slow costs at most
// `budgetMs`, never fails the command, and the events go out with the next flush. The exporter is
// loaded only when an endpoint is set, so commands without telemetry start fast.
import type { Db } from '../db/open.js';
import type { TownConfig } from './config.js';

export interface FlushResult {
  exported: number;
  error?: string;
}

export async function flushTelemetry(
  db: Db,
  config: TownConfig,
  env: Record<string, string | undefined>,
  budgetMs = 500,
): Promise<FlushResult | undefined> {
  const { otlpEndpointFrom, exportPendingSpans } = await import('../ledger/otlp/index.js');
  const endpoint = otlpEndpointFrom(config, env);
  if (endpoint === undefined) return undefined;
  const deadline = Date.now() + budgetMs;
  const head = (db.prepare('SELECT coalesce(max(seq), 0) FROM ledger').pluck().get() as number) ?? 0;
  let exported = 0;
  while (Date.now() < deadline) {
    const outcome = await exportPendingSpans(db, {
      endpoint,
      townName: config.name,
      timeoutMs: deadline - Date.now(),
    });
    if ('error' in outcome) return { exported, error: outcome.error };
    exported += outcome.exported;
    if (outcome.lastSeq >= head) break;
  }
  return { exported };
}

/** Whether telemetry might be on, without loading the exporter. */
export function telemetryConfigured(config: TownConfig, env: Record<string, string | undefined>): boolean {
  return Boolean(
    config.telemetry.otlp_endpoint ||
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
    env.OTEL_EXPORTER_OTLP_ENDPOINT,
  );
}
