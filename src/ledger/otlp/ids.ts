// Trace ids, span ids and times for exported spans, all derived from the ledger so that exporting
// the same events twice yields the same ids. Ledger ids are used as they are when well formed.
import type { HrTime } from '@opentelemetry/api';
import { createHash } from 'node:crypto';
import type { LedgerEvent } from '../event.js';
import { traceIdForBead } from '../trace-ids.js';

const traceIdPattern = /^[0-9a-f]{32}$/;
const spanIdPattern = /^[0-9a-f]{16}$/;
const allZeros = /^0+$/;

export function validTraceId(id: string | undefined): string | undefined {
  const lower = id?.toLowerCase();
  return lower !== undefined && traceIdPattern.test(lower) && !allZeros.test(lower) ? lower : undefined;
}

export function validSpanId(id: string | undefined): string | undefined {
  const lower = id?.toLowerCase();
  return lower !== undefined && spanIdPattern.test(lower) && !allZeros.test(lower) ? lower : undefined;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The UTC day (YYYY-MM-DD) of a ledger timestamp. */
export function utcDay(ts: string): string {
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts.slice(0, 10) : new Date(ms).toISOString().slice(0, 10);
}

/**
 * The per-day trace of a town's events that belong to no bead. The town name is part of the
 * input so two towns reporting to one collector do not share a trace.
 */
export function townTraceId(townName: string, ts: string): string {
  return sha256(`gastown-town:${townName}:${utcDay(ts)}`).slice(0, 32);
}

/** The event's own trace: its trace_id, else its bead's, else undefined (the caller decides). */
export function ownTraceId(event: LedgerEvent): string | undefined {
  return (
    validTraceId(event.trace_id) ?? (event.bead_id === undefined ? undefined : traceIdForBead(event.bead_id))
  );
}

/** A span id for an event that is a span of its own: taken from its chain hash, so it is stable. */
export function eventSpanId(event: LedgerEvent): string {
  return (
    validSpanId(event.hash.slice(0, 16)) ?? sha256(`gastown-event:${event.seq}:${event.hash}`).slice(0, 16)
  );
}

/** ISO 8601 to [seconds, nanoseconds], keeping sub-millisecond digits when the text has them. */
export function isoToHrTime(ts: string): HrTime {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return [0, 0];
  const seconds = Math.floor(ms / 1000);
  const fraction = /T[^.]*\.(\d+)/.exec(ts)?.[1];
  const nanos =
    fraction === undefined ? (ms - seconds * 1000) * 1e6 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  return [seconds, nanos];
}

/** Later of two times, so a span never ends before it starts when clocks disagree. */
export function notBefore(start: HrTime, end: HrTime): HrTime {
  return end[0] > start[0] || (end[0] === start[0] && end[1] >= start[1]) ? end : start;
}
