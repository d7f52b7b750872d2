// Trace and span ids in the W3C / OpenTelemetry format. A bead's trace id is derived from its id,
// so every process that touches the bead lands its events in the same trace without coordination.
import { createHash, randomBytes } from 'node:crypto';

export function traceIdForBead(beadId: string): string {
  return createHash('sha256').update(`gastown-trace:${beadId}`).digest('hex').slice(0, 32);
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}
