// The scripted model server: the one fake in our tests, a real HTTP server on 127.0.0.1 that
// speaks the Anthropic Messages, OpenAI Chat Completions and OpenAI Responses wire formats
// (streaming and not), so the real Claude Code and Codex CLIs and our own clients run against it
// unchanged. Each generation request takes the next scripted turn, whatever its API; every request
// is recorded. Also runnable by hand: `npx tsx test/support/model-server.ts script.yaml --port N`.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { anthropicError, anthropicReply, countTokens } from './model-server-anthropic.js';
import { chatReply, openAiError } from './model-server-chat.js';
import { responsesReply } from './model-server-responses.js';
import type { Api, RecordedRequest, ScriptedTurn, WireReply } from './model-server-wire.js';
import { isRecord, resolveUsage } from './model-server-wire.js';

export type { Api, RecordedRequest, ScriptedToolCall, ScriptedTurn } from './model-server-wire.js';
import { runFromCommandLine } from './model-server-cli.js';
export { loadScript } from './model-server-cli.js';

export interface ModelServer {
  /** http://127.0.0.1:PORT, no trailing slash (OpenAI clients want `${url}/v1`). */
  url: string;
  /** Every request, in order, including models, count_tokens and unknown paths (api `other`). */
  requests: RecordedRequest[];
  push(...turns: ScriptedTurn[]): void;
  /** Turns left in the script. */
  remaining(): number;
  /** The first request (already seen or still to come) that matches. */
  waitForRequest(match?: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export interface ModelServerOptions {
  script?: ScriptedTurn[];
  /** Decide a turn from the request instead of the queue (return undefined to use the queue). */
  answer?: (request: RecordedRequest) => ScriptedTurn | undefined;
  /** What to answer when the script is empty (default: a plain text "done" turn). */
  whenEmpty?: ScriptedTurn;
  /** Called with each request as it arrives (the command line prints them). */
  onRequest?: (request: RecordedRequest) => void;
  /** Default: any free port. */
  port?: number;
  /**
   * The one key this endpoint accepts (as `x-api-key` or a bearer token), as a real provider would:
   * a request without it is answered 401 and takes no turn. Default: any key, or none.
   */
  apiKey?: string;
}

/** The key a request carries: `x-api-key`, else the bearer token. */
export function keyOf(request: RecordedRequest): string | undefined {
  return request.headers['x-api-key'] ?? /^Bearer\s+(.+)$/i.exec(request.headers['authorization'] ?? '')?.[1];
}

const models = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'gpt-5', 'gpt-5-codex', 'gpt-4.1-mini'];

/** Anthropic's and OpenAI's model list in one body: each client reads the fields it knows. */
function modelList() {
  const data = models.map((id) => ({
    id,
    type: 'model',
    object: 'model',
    display_name: id,
    created_at: '2025-01-01T00:00:00Z',
    created: 1735689600,
    owned_by: 'scripted',
  }));
  return { object: 'list', data, has_more: false, first_id: models[0], last_id: models.at(-1) };
}

type Route = { api: Api } | { api: 'other'; answer: (body: unknown) => { status: number; body: unknown } };

function routeOf(method: string, path: string): Route {
  if (method === 'POST' && path.endsWith('/messages/count_tokens'))
    return { api: 'other', answer: (body) => ({ status: 200, body: countTokens(body) }) };
  if (method === 'POST' && path.endsWith('/messages')) return { api: 'anthropic' };
  if (method === 'POST' && path.endsWith('/chat/completions')) return { api: 'chat' };
  if (method === 'POST' && path.endsWith('/responses')) return { api: 'responses' };
  if (method === 'GET' && path.endsWith('/models'))
    return { api: 'other', answer: () => ({ status: 200, body: modelList() }) };
  const model = /\/models\/([^/]+)$/.exec(path)?.[1];
  if (method === 'GET' && model) {
    const entry = modelList().data.find((m) => m.id === decodeURIComponent(model)) ?? modelList().data[0];
    return {
      api: 'other',
      answer: () => ({ status: 200, body: { ...entry, id: decodeURIComponent(model) } }),
    };
  }
  // Both providers' error shapes at once, since we cannot tell whose client asked.
  const message = `scripted model server: no route for ${method} ${path}`;
  const error = { type: 'not_found_error', message, param: null, code: null };
  return { api: 'other', answer: () => ({ status: 404, body: { type: 'error', error } }) };
}

function decodeBody(raw: Buffer, encoding: string | undefined): string {
  if (encoding === 'gzip') return gunzipSync(raw).toString('utf8');
  if (encoding === 'deflate') return inflateSync(raw).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(raw).toString('utf8');
  return raw.toString('utf8');
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function errorReply(api: Api, error: NonNullable<ScriptedTurn['error']>): WireReply {
  const message = error.message ?? `scripted ${error.status} error`;
  const { body, headers } =
    api === 'anthropic' ? anthropicError(error.status, message) : openAiError(error.status, message);
  const extra: Record<string, string> = { ...headers };
  if (error.retryAfterSeconds !== undefined) extra['retry-after'] = String(error.retryAfterSeconds);
  if (error.shouldRetry !== undefined) extra['x-should-retry'] = String(error.shouldRetry);
  return { kind: 'json', status: error.status, headers: extra, body };
}

function replyTo(api: Api, turn: ScriptedTurn, recorded: RecordedRequest): WireReply {
  if (turn.error) return errorReply(api, turn.error);
  const body = isRecord(recorded.body) ? recorded.body : {};
  const model = typeof body.model === 'string' ? body.model : 'scripted-model';
  const context = { model, usage: resolveUsage(turn, recorded.body), stream: recorded.stream, body };
  if (api === 'anthropic') return anthropicReply(turn, context);
  return api === 'chat' ? chatReply(turn, context) : responsesReply(turn, context);
}

function send(res: ServerResponse, reply: WireReply): void {
  if (reply.kind === 'json') {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  for (const frame of reply.frames) res.write(frame);
  res.end();
}

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const queue: ScriptedTurn[] = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  const waiters = new Set<{
    match: (r: RecordedRequest) => boolean;
    resolve: (r: RecordedRequest) => void;
  }>();
  const timers = new Set<NodeJS.Timeout>();

  const nextTurn = (recorded: RecordedRequest): ScriptedTurn =>
    options.answer?.(recorded) ?? queue.shift() ?? options.whenEmpty ?? { text: 'done' };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    const body = parseBody(decodeBody(Buffer.concat(chunks), req.headers['content-encoding']));
    const recorded: RecordedRequest = {
      api: route.api,
      method,
      path: url.pathname,
      query: url.search,
      headers: headersOf(req),
      body,
      stream: isRecord(body) && body.stream === true,
    };
    requests.push(recorded);
    options.onRequest?.(recorded);
    for (const waiter of waiters) {
      if (waiter.match(recorded)) {
        waiters.delete(waiter);
        waiter.resolve(recorded);
      }
    }
    if (options.apiKey !== undefined && keyOf(recorded) !== options.apiKey) {
      const { body: answer, headers } = anthropicError(401, 'invalid x-api-key');
      return send(res, { kind: 'json', status: 401, headers, body: answer });
    }
    if (route.api === 'other') {
      const { status, body: answer } = route.answer(body);
      return send(res, { kind: 'json', status, headers: {}, body: answer });
    }
    if (!isRecord(body)) {
      return send(
        res,
        errorReply(route.api, { status: 400, message: 'the request body is not a JSON object' }),
      );
    }
    const turn = nextTurn(recorded);
    if (turn.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, turn.delayMs);
        timers.add(timer);
      });
    }
    if (!res.destroyed) send(res, replyTo(route.api, turn, recorded));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ type: 'error', error: { type: 'api_error', message, param: null, code: null } }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...turns) => void queue.push(...turns),
    remaining: () => queue.length,
    waitForRequest: (match = () => true) => {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.add({ match, resolve }));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runFromCommandLine(process.argv.slice(2), startModelServer);
}
