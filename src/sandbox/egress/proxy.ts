// The gate's forward-proxy half: HTTP CONNECT tunnels (what HTTPS_PROXY clients send) and plain
// HTTP requests with an absolute URI (HTTP_PROXY). Each destination is decided first (see
// destination.ts); a refusal answers 403 naming the rule, and every attempt — refused or not — is
// one `network.connect` event with the bytes each way and how long the connection lasted.
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { parseAuthority, resolveDestination } from './destination.js';
import type { Lookup, Resolved } from './destination.js';
import type { EgressDecide, EgressRecord } from './types.js';

export const networkConnectKind = 'network.connect';

export interface ProxyContext {
  decide: EgressDecide;
  record: EgressRecord;
  lookup: Lookup;
  connectTimeoutMs: number;
}

/** Headers that belong to one hop and must not be passed on. */
export const hopHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function passHeaders(headers: IncomingHttpHeaders, drop: readonly string[] = []): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  const named = (headers['connection'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const [name, value] of Object.entries(headers)) {
    if (hopHeaders.has(name) || named.includes(name) || drop.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

function refusal(resolved: Extract<Resolved, { ok: false }>): string {
  const { decision, request } = resolved;
  return `gastown egress: ${request.host}:${request.port} refused by ${decision.rule}: ${decision.reason}\n`;
}

function recordConnection(
  ctx: ProxyContext,
  resolved: Resolved,
  counts: { up: number; down: number; started: number; error?: string },
): void {
  ctx.record(networkConnectKind, {
    host: resolved.request.host,
    port: resolved.request.port,
    via: resolved.request.via,
    ...(resolved.ok ? { address: resolved.address } : {}),
    private_address: resolved.request.privateAddress,
    decision: resolved.ok ? 'allow' : 'deny',
    rule: resolved.decision.rule,
    reason: resolved.decision.reason,
    bytes_up: counts.up,
    bytes_down: counts.down,
    duration_ms: Date.now() - counts.started,
    ...(counts.error === undefined ? {} : { error: counts.error }),
  });
}

/** One CONNECT: a 200 and a byte pipe both ways, or an error status naming why. */
export async function handleConnect(ctx: ProxyContext, req: IncomingMessage, client: Duplex, head: Buffer) {
  const started = Date.now();
  client.on('error', () => undefined);
  const target = parseAuthority(req.url ?? '');
  if (target === undefined) {
    client.end(
      'HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\ngastown egress: CONNECT needs host:port\n',
    );
    return;
  }
  const resolved = await resolveDestination({ ...target, via: 'connect' }, ctx.decide, ctx.lookup);
  if (!resolved.ok) {
    const text = refusal(resolved);
    client.end(
      `HTTP/1.1 ${resolved.status} ${resolved.status === 403 ? 'Forbidden' : 'Bad Gateway'}\r\n` +
        `x-gastown-rule: ${resolved.decision.rule.replace(/[\r\n]/g, ' ')}\r\ncontent-type: text/plain\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
    recordConnection(ctx, resolved, { up: 0, down: 0, started });
    return;
  }
  const counts: { up: number; down: number; started: number; error?: string } = { up: 0, down: 0, started };
  const upstream: Socket = connect({ host: resolved.address, port: target.port });
  upstream.setNoDelay(true);
  upstream.setTimeout(ctx.connectTimeoutMs, () => upstream.destroy(new Error('connect timed out')));
  let done = false;
  const finish = (error?: Error) => {
    if (done) return;
    done = true;
    if (error !== undefined) counts.error = error.message;
    upstream.destroy();
    client.destroy();
    recordConnection(ctx, resolved, counts);
  };
  upstream.once('connect', () => {
    upstream.setTimeout(0);
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) {
      counts.up += head.length;
      upstream.write(head);
    }
    client.on('data', (chunk: Buffer) => (counts.up += chunk.length));
    upstream.on('data', (chunk: Buffer) => (counts.down += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  upstream.once('error', (error) => {
    if (!upstream.connecting) return finish(error);
    client.end(`HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\ngastown egress: ${error.message}\n`);
    finish(error);
  });
  upstream.once('close', () => finish());
  client.once('close', () => finish());
}

/** One absolute-URI request (`GET http://host/path`), forwarded after the same decision. */
export async function handleForward(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse) {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end('gastown egress: not a URL\n');
    return;
  }
  const target = url.protocol === 'http:' ? parseAuthority(url.host, 80) : undefined;
  if (target === undefined) {
    res.writeHead(400).end('gastown egress: only http:// URLs are forwarded; use CONNECT for https\n');
    return;
  }
  const resolved = await resolveDestination({ ...target, via: 'forward' }, ctx.decide, ctx.lookup);
  if (!resolved.ok) {
    res.writeHead(resolved.status, {
      'content-type': 'text/plain',
      'x-gastown-rule': resolved.decision.rule,
    });
    res.end(refusal(resolved));
    recordConnection(ctx, resolved, { up: 0, down: 0, started });
    return;
  }
  const counts: { up: number; down: number; started: number; error?: string } = { up: 0, down: 0, started };
  let recorded = false;
  const done = (error?: Error) => {
    if (recorded) return;
    recorded = true;
    recordConnection(ctx, resolved, error === undefined ? counts : { ...counts, error: error.message });
  };
  const upstream = httpRequest({
    host: resolved.address,
    port: target.port,
    method: req.method,
    path: `${url.pathname}${url.search}`,
    headers: { ...passHeaders(req.headers, ['host']), host: url.host },
    setHost: false,
  });
  upstream.setTimeout(ctx.connectTimeoutMs, () => upstream.destroy(new Error('no answer in time')));
  req.on('data', (chunk: Buffer) => (counts.up += chunk.length));
  req.pipe(upstream);
  upstream.once('response', (answer) => {
    upstream.setTimeout(0);
    res.writeHead(answer.statusCode ?? 502, passHeaders(answer.headers));
    answer.on('data', (chunk: Buffer) => (counts.down += chunk.length));
    answer.pipe(res);
    answer.once('end', () => done());
    answer.once('error', done);
  });
  upstream.once('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`gastown egress: ${error.message}\n`);
    done(error);
  });
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
}
