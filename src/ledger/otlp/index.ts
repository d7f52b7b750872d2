// OTLP export of the ledger: every ledger event becomes an OpenTelemetry span sent over OTLP/HTTP
// (JSON) when `telemetry.otlp_endpoint` (town.yaml) or OTEL_EXPORTER_OTLP_ENDPOINT is set. Agent
// sessions become `invoke_agent <agent>` spans and tool calls `execute_tool <tool>` spans with
// the GenAI `gen_ai.*` attributes; every other event is a zero-length span named by its kind; all
// carry `gastown.*` attributes. Traces are the ledger's own (one per bead, else one per town per
// UTC day); a session or tool span is sent once, when its closing event is exported. The cursor
// (table `otlp_cursor`) advances only after the collector accepted the batch.
export { exportPendingSpans, defaultBatchSize, defaultTimeoutMs } from './export.js';
export type { ExportOptions, ExportOutcome } from './export.js';
export { otlpEndpointFrom, tracesPath } from './endpoint.js';
export type { TelemetryConfig } from './endpoint.js';
export { readCursor, cursorTableSql } from './cursor.js';
export {
  spanEventKinds,
  genAiAttr,
  genAiOperation,
  gastownAttr,
  errorTypeAttr,
  sessionStartedPayload,
  sessionEndedPayload,
  toolCallPayload,
  toolResultPayload,
} from './conventions.js';
export type {
  SpanEventKind,
  SessionStartedPayload,
  SessionEndedPayload,
  ToolCallPayload,
  ToolResultPayload,
} from './conventions.js';
export { townTraceId } from './ids.js';
export { buildSpanRecords } from './span-records.js';
export type { SpanRecord, SpanBatch } from './span-records.js';
export { serviceName } from './readable-span.js';
