// A real OTLP/HTTP trace receiver for tests: a node:http server on 127.0.0.1 that accepts
// POST /v1/traces with an OTLP/JSON ExportTraceServiceRequest, checks it against the OTLP/JSON
// shape (hex ids, nanosecond times, typed attribute values) and records what it got. Requests it
// cannot read are answered 400 and kept in `rejected`, so a test can assert there were none.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));
const nanos = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((v) => BigInt(v));
const anyValue = z.union([
  z.strictObject({ stringValue: z.string() }),
  z.strictObject({ intValue: z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform(Number) }),
  z.strictObject({ doubleValue: z.number() }),
  z.strictObject({ boolValue: z.boolean() }),
]);
const attributes = z
  .array(z.object({ key: z.string().min(1), value: anyValue }))
  .default([])
  .transform((list) => Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]!])));

const spanSchema = z.object({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: z.union([hex(16), z.literal('')]).optional(),
  name: z.string().min(1),
  kind: z.number().int().min(0).max(5),
  startTimeUnixNano: nanos,
  endTimeUnixNano: nanos,
  attributes,
  status: z
    .object({ code: z.number().int().min(0).max(2).optional(), message: z.string().optional() })
    .optional(),
  links: z.array(z.object({ traceId: hex(32), spanId: hex(16) })).default([]),
});
const requestSchema = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes }),
      scopeSpans: z.array(z.object({ scope: z.object({ name: z.string() }), spans: z.array(spanSchema) })),
    }),
  ),
});

export type ExportTraceServiceRequest = z.output<typeof requestSchema>;
type AttributeValue = string | number | boolean;

export interface ReceivedSpan extends Omit<z.output<typeof spanSchema>, 'parentSpanId'> {
  /** Absent for a root span (OTLP/JSON may send '' for none). */
  parentSpanId?: string;
  resource: Record<string, AttributeValue>;
  scope: string;
}

export interface OtlpReceiver {
  /** Base URL, as OTEL_EXPORTER_OTLP_ENDPOINT would hold it. */
  baseUrl: string;
  tracesUrl: string;
  requests: ExportTraceServiceRequest[];
  rejected: { status: number; reason: string }[];
  /** Every span of every accepted request, flattened, in arrival order. */
  spans(): ReceivedSpan[];
  /** Answers the next request with this HTTP status (and records nothing for it). */
  failNext(status: number): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ExportTraceServiceRequest[] = [];
  const rejected: { status: number; reason: string }[] = [];
  let failures: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const forced = failures.shift();
      if (forced !== undefined) return reply(forced, { message: 'failing on purpose' });
      const reject = (status: number, reason: string) => {
        rejected.push({ status, reason });
        reply(status, { message: reason });
      };
      if (req.method !== 'POST' || req.url !== '/v1/traces') return reject(404, `${req.method} ${req.url}`);
      if (!req.headers['content-type']?.startsWith('application/json')) {
        return reject(415, `content-type ${req.headers['content-type']}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reject(400, 'body is not JSON');
      }
      const parsed = requestSchema.safeParse(body);
      if (!parsed.success) return reject(400, z.prettifyError(parsed.error));
      requests.push(parsed.data);
      reply(200, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    tracesUrl: `${baseUrl}/v1/traces`,
    requests,
    rejected,
    spans: () =>
      requests.flatMap((request) =>
        request.resourceSpans.flatMap(({ resource, scopeSpans }) =>
          scopeSpans.flatMap(({ scope, spans }) =>
            spans.map(({ parentSpanId, ...span }) => ({
              ...span,
              ...(parentSpanId ? { parentSpanId } : {}),
              resource: resource.attributes,
              scope: scope.name,
            })),
          ),
        ),
      ),
    failNext: (status) => {
      failures = [...failures, status];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was bound a moment ago, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
