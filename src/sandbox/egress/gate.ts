// The gate itself: one HTTP server per session on a unix socket in the session's own directory
// (0700, ours), which the sandbox sees at a fixed path and its bridge (bridge.ts) reaches from the
// agent's private 127.0.0.1. Requests are told apart by their target: `CONNECT host:port` and
// `GET http://host/…` are forward-proxy requests (proxy.ts), `/__gastown/…` are the session's own
// routes, and every other relative URI is the model route (model-route.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { invalidInput } from '../../errors.js';
import { defaultLookup } from './destination.js';
import { handleModel } from './model-route.js';
import { handleConnect, handleForward } from './proxy.js';
import type { EgressGate, EgressGateOptions } from './types.js';

/** Paths under this prefix are the session's own (hooks, forwarded town commands). */
export const sessionRoutePrefix = '/__gastown';
export const egressSocketName = 'egress.sock';

/** The session directory: created 0700 when missing; refused when it is a symlink or not ours. */
function prepareDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || (process.getuid !== undefined && stat.uid !== process.getuid())) {
    throw invalidInput(`egress: the session directory ${dir} is not a directory we own`, { path: dir });
  }
  chmodSync(dir, 0o700);
}

/** Longer paths do not fit a unix socket address (108 bytes with its NUL, less on some systems). */
const maxSocketPath = 100;

/** The session directory, or a private temporary one when its socket path would be too long. */
function socketDir(dir: string): string {
  if (join(dir, egressSocketName).length <= maxSocketPath) {
    prepareDir(dir);
    return dir;
  }
  return mkdtempSync(join(tmpdir(), 'gt-egress-'));
}

export async function startEgressGate(options: EgressGateOptions): Promise<EgressGate> {
  const dir = socketDir(options.dir);
  const socket = join(dir, egressSocketName);
  rmSync(socket, { force: true });
  const placeholderKey = `sk-ant-gastown-${randomBytes(24).toString('hex')}`;
  const proxy = {
    decide: options.decide,
    record: options.record,
    lookup: options.lookup ?? defaultLookup,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
  };
  const model = {
    model: options.model,
    placeholderKey,
    budget: options.budget,
    record: options.record,
  };
  const fail = (res: ServerResponse, error: unknown) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`gastown egress: ${error instanceof Error ? error.message : String(error)}\n`);
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (!url.startsWith('/')) {
      handleForward(proxy, req, res).catch((error: unknown) => fail(res, error));
    } else if (url === sessionRoutePrefix || url.startsWith(`${sessionRoutePrefix}/`)) {
      if (options.session === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('gastown egress: no session routes\n');
        return;
      }
      req.url = url.slice(sessionRoutePrefix.length) || '/';
      options.session(req, res);
    } else {
      handleModel(model, req, res);
    }
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, onRequest);
  // Tunnels leave the server's bookkeeping once upgraded; close() must still end them.
  const tunnels = new Set<Duplex>();
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    tunnels.add(client);
    client.once('close', () => tunnels.delete(client));
    handleConnect(proxy, req, client, head).catch(() => client.destroy());
  });
  server.on('clientError', (_error, client) => client.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  // The sandbox runs as another uid; the directory (0700) is what keeps everyone else out.
  chmodSync(socket, 0o666);
  return {
    socket,
    placeholderKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const client of tunnels) client.destroy();
        server.close(() => {
          rmSync(socket, { force: true });
          // The directory goes too once empty; a session's other files keep it.
          try {
            rmdirSync(dir);
          } catch {
            // Not empty, or gone already.
          }
          resolve();
        });
      }),
  };
}
