// The session's side of the hooks: routes that only answer requests carrying the session's random
// token, served by the session's egress gate (in the sandbox) or a loopback HTTP server on a random
// port (on the host). `gt hook <event>` forwards Claude Code's hook input
// here; the answer is what the hook prints. Anything unexpected is an error status, which the hook
// turns into exit code 2 (the call is blocked). Other routes may share the server and its token:
// the sandboxed `bd` and `gt` shims post their commands to `/exec` (town-forward.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hookPath, isHookEvent } from './hook-protocol.js';
import type { HookEvent } from './hook-protocol.js';

export interface HookServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Answers one hook event: the JSON the hook prints (`{}` for nothing); throwing blocks the call. */
export type HookHandler = (event: HookEvent, input: unknown) => Promise<Record<string, unknown>>;

const maxBody = 32 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBody) throw new Error(`hook input larger than ${maxBody} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Another POST route behind the same token (the forwarded town commands: town-forward.ts). */
export type HookRoute = (body: unknown) => Promise<Record<string, unknown>>;

function routeOf(
  url: string,
  handle: HookHandler,
  routes: Readonly<Record<string, HookRoute>>,
): HookRoute | undefined {
  const event = url.replace(/^\/hooks\//, '');
  if (isHookEvent(event)) return url === hookPath(event) ? (body) => handle(event, body) : undefined;
  return Object.hasOwn(routes, url) ? routes[url] : undefined;
}

export interface HookRoutes {
  token: string;
  /** Serves the hooks and `routes` (paths as `hookPath` gives them) behind the token. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The session's routes with a fresh random token, as a request listener: the egress gate serves it
 * under `/__gastown/` on the session's own socket (sandboxed sessions), `startHookServer` on
 * loopback TCP (sessions on the host).
 */
export function hookRoutes(
  handle: HookHandler,
  routes: Readonly<Record<string, HookRoute>> = {},
): HookRoutes {
  const token = randomBytes(24).toString('hex');
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const route = routeOf(url, handle, routes);
    if (req.method !== 'POST' || route === undefined) {
      return reply(res, 404, { error: `no hook at ${req.method ?? '?'} ${url}` });
    }
    if (!tokenMatches(req.headers.authorization, token))
      return reply(res, 401, { error: 'wrong hook token' });
    readBody(req)
      .then((text) => route(JSON.parse(text) as unknown))
      .then(
        (answer) => reply(res, 200, answer),
        (error: unknown) =>
          reply(res, 500, { error: error instanceof Error ? error.message : String(error) }),
      );
  };
  return { token, listener };
}

/** `routes`: more POST paths served next to the hooks, e.g. `{ '/exec': townForwardRoute(…) }`. */
export async function startHookServer(
  handle: HookHandler,
  routes: Readonly<Record<string, HookRoute>> = {},
): Promise<HookServer> {
  const { token, listener } = hookRoutes(handle, routes);
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
