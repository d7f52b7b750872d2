// The gate's reverse-proxy half: a relative-URI request (`POST /v1/messages`) goes to the agent's
// real model endpoint. The agent holds only a per-session placeholder key; the gate checks it and
// puts the real credential on the way out, so the real key never enters the sandbox. The reply
// streams back untouched while its usage is read as it passes (model-usage.ts); a budget that runs
// out mid-stream cuts the reply. Every call is one `model.request` event.
import { timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { emptyUsage, foldMessage, SseUsageReader } from './model-usage.js';
import type { ModelUsage } from './model-usage.js';
import { passHeaders } from './proxy.js';
import type { EgressRecord, ModelBudget, ModelEndpoint } from './types.js';

export const modelRequestKind = 'model.request';

/** A JSON reply is read for its usage only up to this size; it passes through whole regardless. */
const maxJsonRead = 4 * 1024 * 1024;
/** The request's model is read from its first bytes. */
const modelPeek = 64 * 1024;

export interface ModelRouteContext {
  model: ModelEndpoint | undefined;
  placeholderKey: string;
  budget: ModelBudget | undefined;
  record: EgressRecord;
}

function sameKey(given: string | undefined, wanted: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The placeholder, as `x-api-key` or as a bearer token. */
function carriesPlaceholder(req: IncomingMessage, placeholder: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const apiKey = req.headers['x-api-key'];
  return sameKey(typeof apiKey === 'string' ? apiKey : bearer, placeholder);
}

function errorReply(res: ServerResponse, status: number, message: string): void {
  const type = status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : 'api_error';
  // An unreachable endpoint (502) may answer next time, as a failed connection would have.
  const retry = status === 502 ? 'true' : 'false';
  res.writeHead(status, { 'content-type': 'application/json', 'x-should-retry': retry });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

/** The endpoint's URL for `path`; undefined when `..` would climb out of the endpoint's base path. */
function targetOf(endpoint: ModelEndpoint, path: string): URL | undefined {
  const base = new URL(endpoint.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  let target: URL;
  try {
    target = new URL(`${base.origin}${prefix}${path}`);
  } catch {
    return undefined;
  }
  return target.origin === base.origin && target.pathname.startsWith(`${prefix}/`) ? target : undefined;
}

export function handleModel(ctx: ModelRouteContext, req: IncomingMessage, res: ServerResponse): void {
  const started = Date.now();
  const path = req.url ?? '/';
  const base = { method: req.method ?? 'GET', path: path.split('?')[0] ?? path };
  const refuse = (status: number, why: string) => {
    errorReply(res, status, `gastown egress: ${why}`);
    ctx.record(modelRequestKind, { ...base, status, refused: why, duration_ms: Date.now() - started });
    req.resume();
  };
  if (ctx.model === undefined) return refuse(404, 'this session has no model endpoint');
  if (!carriesPlaceholder(req, ctx.placeholderKey)) return refuse(401, "not this session's key");
  const before = ctx.budget?.(emptyUsage());
  if (before !== undefined) return refuse(403, `budget spent: ${before}`);

  const target = targetOf(ctx.model, path);
  if (target === undefined) return refuse(400, 'the path leaves the model endpoint');
  const headers = passHeaders(req.headers, ['host', 'x-api-key', 'authorization', 'accept-encoding']);
  headers['accept-encoding'] = 'identity';
  // An empty credential: a local endpoint that takes no key (Ollama) gets none.
  if (ctx.model.credential.value !== '')
    headers[ctx.model.credential.header] =
      ctx.model.credential.header === 'authorization'
        ? `Bearer ${ctx.model.credential.value}`
        : ctx.model.credential.value;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers });
  const seen = { up: 0, down: 0, peek: [] as Buffer[], peeked: 0 };
  let usage: ModelUsage = emptyUsage();
  let stopped: string | undefined;
  let recorded = false;
  const finish = (status: number, error?: string) => {
    if (recorded) return;
    recorded = true;
    const model = /"model"\s*:\s*"([^"]{1,200})"/.exec(Buffer.concat(seen.peek).toString('utf8'))?.[1];
    ctx.record(modelRequestKind, {
      ...base,
      model: usage.model ?? model,
      status,
      tokens: {
        input: usage.inputTokens,
        output: usage.outputTokens,
        cache_read: usage.cacheReadTokens,
        cache_write: usage.cacheWriteTokens,
      },
      ...(usage.stopReason === undefined ? {} : { stop_reason: usage.stopReason }),
      ...(stopped === undefined ? {} : { stopped }),
      ...(error === undefined ? {} : { error }),
      bytes_up: seen.up,
      bytes_down: seen.down,
      duration_ms: Date.now() - started,
    });
  };
  req.on('data', (chunk: Buffer) => {
    seen.up += chunk.length;
    if (seen.peeked < modelPeek) {
      seen.peek.push(chunk.subarray(0, modelPeek - seen.peeked));
      seen.peeked += chunk.length;
    }
  });
  req.pipe(upstream);
  upstream.once('response', (answer) => {
    const status = answer.statusCode ?? 502;
    res.writeHead(status, passHeaders(answer.headers));
    const streamed = /text\/event-stream/i.test(answer.headers['content-type'] ?? '');
    const json: Buffer[] = [];
    // Cut the reply where it is: the agent reads an error event instead of the rest of the answer.
    const cut = (reason: string) => {
      stopped = reason;
      answer.destroy();
      const error = { type: 'permission_error', message: `gastown egress: budget spent: ${reason}` };
      res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`);
    };
    const reader = new SseUsageReader((now) => {
      if (stopped !== undefined) return;
      const over = ctx.budget?.(now);
      if (over !== undefined) cut(over);
    });
    usage = reader.usage;
    // Written by hand, not piped: a chunk that spends the budget must not reach the agent.
    answer.on('data', (chunk: Buffer) => {
      seen.down += chunk.length;
      if (streamed) reader.push(chunk);
      else if (seen.down <= maxJsonRead) json.push(chunk);
      if (stopped !== undefined || res.writableEnded) return;
      if (!res.write(chunk)) {
        answer.pause();
        res.once('drain', () => answer.resume());
      }
    });
    answer.once('end', () => {
      if (stopped === undefined) res.end();
      if (!streamed && seen.down <= maxJsonRead) {
        try {
          foldMessage(usage, JSON.parse(Buffer.concat(json).toString('utf8')) as unknown);
        } catch {
          // Not JSON: no usage to read.
        }
      }
      finish(status);
    });
    answer.once('close', () => {
      // The endpoint went away mid-reply: so does the agent's reply, rather than hang.
      if (!res.writableEnded) res.destroy();
      finish(status, stopped === undefined ? 'the endpoint closed the reply early' : undefined);
    });
  });
  upstream.once('error', (error) => {
    if (!res.headersSent) errorReply(res, 502, `gastown egress: the model endpoint failed: ${error.message}`);
    else res.destroy();
    finish(502, error.message);
  });
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
}
