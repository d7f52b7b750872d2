// Span records as the SDK's ReadableSpan, carrying the ledger's own trace and span ids (the SDK
// generates none here), so the real OTLP exporter can serialize them.
import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { hrTimeDuration } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { gastownAttr } from './conventions.js';
import { isoToHrTime, notBefore } from './ids.js';
import type { SpanRecord } from './span-records.js';

export const serviceName = 'gastown';
export const instrumentationScope: InstrumentationScope = { name: 'gastown.ledger' };

/** One resource object for a whole export: the exporter groups spans by resource identity. */
export function townResource(townName: string): Resource {
  return resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [gastownAttr.town]: townName });
}

const context = (traceId: string, spanId: string): SpanContext => ({
  traceId,
  spanId,
  traceFlags: TraceFlags.SAMPLED,
  isRemote: false,
});

export function toReadableSpan(record: SpanRecord, resource: Resource): ReadableSpan {
  const startTime: HrTime = isoToHrTime(record.startTs);
  const endTime = notBefore(startTime, isoToHrTime(record.endTs));
  const links: Link[] = record.links.map((link) => ({ context: context(link.traceId, link.spanId) }));
  const own = context(record.traceId, record.spanId);
  return {
    name: record.name,
    kind: SpanKind.INTERNAL,
    spanContext: () => own,
    ...(record.parentSpanId === undefined
      ? {}
      : { parentSpanContext: context(record.traceId, record.parentSpanId) }),
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status:
      record.error === undefined
        ? { code: SpanStatusCode.UNSET }
        : { code: SpanStatusCode.ERROR, message: record.error },
    attributes: record.attributes,
    links,
    events: [],
    ended: true,
    resource,
    instrumentationScope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
