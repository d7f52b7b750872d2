// Ledger events to span records, without I/O. A session or tool span is one record made from its
// opening and closing events and is emitted when the closing event is exported; an opening event
// whose close is not in the batch is deferred (the closing event finds it again in the ledger).
// Every other event is a zero-length span of its own. Events without a trace of their own join
// their parent span's trace, else the town's trace of the day.
import type { LedgerEvent } from '../event.js';
import type { SpanContent } from './attributes.js';
import { eventContent, sessionContent, toolContent } from './attributes.js';
import { closingKindOf, isClosingKind, isOpeningKind, openingKindOf, spanEventKinds } from './conventions.js';
import type { OpenerDirectory } from './directory.js';
import { openingSpanId } from './directory.js';
import { eventSpanId, ownTraceId, townTraceId, validSpanId } from './ids.js';

export interface SpanLink {
  traceId: string;
  spanId: string;
}

export interface SpanRecord extends SpanContent {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** A parent that lives in another trace (a session that touched another bead) is a link. */
  links: SpanLink[];
  startTs: string;
  endTs: string;
}

export interface SpanBatch {
  spans: SpanRecord[];
  /** Opening events whose closing event is not in the batch yet. */
  deferred: LedgerEvent[];
}

export function buildSpanRecords(
  events: readonly LedgerEvent[],
  directory: OpenerDirectory,
  townName: string,
): SpanBatch {
  const closers = new Map<string, LedgerEvent>();
  for (const event of events) {
    const spanId = validSpanId(event.span_id);
    const key = `${event.kind}:${spanId}`;
    if (spanId !== undefined && isClosingKind(event.kind) && !closers.has(key)) closers.set(key, event);
  }
  const place = placer(directory, townName);
  const spans: SpanRecord[] = [];
  const deferred: LedgerEvent[] = [];
  const closed = new Set<string>();
  for (const event of events) {
    const opening = openingSpanId(event);
    if (opening !== undefined && isOpeningKind(event.kind)) {
      const closer = closers.get(`${closingKindOf[event.kind]}:${opening}`);
      if (closer === undefined || closer.seq < event.seq) deferred.push(event);
      continue; // emitted with its closing event
    }
    const spanId = validSpanId(event.span_id);
    if (spanId !== undefined && isClosingKind(event.kind) && !closed.has(spanId)) {
      const opener = directory.openerOf(spanId, event.session_id);
      if (opener !== undefined && opener.kind === openingKindOf[event.kind] && opener.seq < event.seq) {
        closed.add(spanId);
        const content =
          opener.kind === spanEventKinds.sessionStarted
            ? sessionContent(opener, event)
            : toolContent(opener, event);
        spans.push({ ...place(opener), spanId, ...content, startTs: opener.ts, endTs: event.ts });
        continue;
      }
    }
    spans.push({
      ...place(event),
      spanId: eventSpanId(event),
      ...eventContent(event),
      startTs: event.ts,
      endTs: event.ts,
    });
  }
  return { spans, deferred };
}

interface Placement {
  traceId: string;
  parentSpanId?: string;
  links: SpanLink[];
}

interface Parent {
  spanId: string;
  /** The event that opened the parent span, when the ledger has it. */
  opener?: LedgerEvent;
}

/** Trace and parent of a span, from the event it comes from (the opening event for a pair). */
function placer(directory: OpenerDirectory, townName: string): (event: LedgerEvent) => Placement {
  const parentOf = (event: LedgerEvent): Parent | undefined => {
    const own = validSpanId(event.span_id);
    // An event inside an open span (sharing its span_id) hangs under that span.
    if (own !== undefined && openingSpanId(event) === undefined) {
      const opener = directory.openerOf(own, event.session_id);
      if (opener !== undefined) return { spanId: own, opener };
    }
    const named = validSpanId(event.parent_span_id);
    if (named !== undefined) {
      const opener = directory.openerOf(named, event.session_id);
      return opener === undefined ? { spanId: named } : { spanId: named, opener };
    }
    if (event.session_id !== undefined && event.kind !== spanEventKinds.sessionStarted) {
      const opener = directory.sessionOpener(event.session_id);
      const spanId = opener === undefined ? undefined : validSpanId(opener.span_id);
      if (opener !== undefined && spanId !== undefined && opener.seq !== event.seq) return { spanId, opener };
    }
    return undefined;
  };
  const traceOf = (event: LedgerEvent, depth: number): string => {
    const own = ownTraceId(event);
    if (own !== undefined) return own;
    const parent = depth < 8 ? parentOf(event) : undefined;
    return parent?.opener === undefined ? townTraceId(townName, event.ts) : traceOf(parent.opener, depth + 1);
  };
  return (event) => {
    const traceId = traceOf(event, 0);
    const parent = parentOf(event);
    if (parent === undefined) return { traceId, links: [] };
    const parentTrace = parent.opener === undefined ? traceId : traceOf(parent.opener, 0);
    return parentTrace === traceId
      ? { traceId, parentSpanId: parent.spanId, links: [] }
      : { traceId, links: [{ traceId: parentTrace, spanId: parent.spanId }] };
  };
}
