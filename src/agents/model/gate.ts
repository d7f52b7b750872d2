// The model loops' calls go through an egress gate of the session's own, the same model route Codex
// and Claude Code reach from inside their sandbox: it puts the real key on, reads the usage and stop
// reason as the reply streams, and records each call as `model.request` (through the gateway's
// `record`), so the ledger has every model request of every runtime from one place. The loop runs
// on the host, so a relay on 127.0.0.1 (a random port) leads to the gate's unix socket; the client
// sends the gate's placeholder key, never the real one.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEgressGate } from '../../sandbox/index.js';
import type { SessionStart } from '../runtime.js';
import type { EndpointKey, Via } from './http.js';

export interface ModelGate {
  via: Via;
  close(): Promise<void>;
}

function pipeBoth(client: Socket, socketPath: string): void {
  const gate = connect(socketPath);
  const end = () => {
    client.destroy();
    gate.destroy();
  };
  for (const side of [client, gate]) {
    side.on('error', end);
    side.on('close', end);
  }
  client.pipe(gate);
  gate.pipe(client);
}

/** Starts the session's gate in front of `endpoint` (the full request URL's base) and its relay. */
export async function startModelGate(
  start: SessionStart,
  endpoint: string,
  key: EndpointKey,
  header: 'x-api-key' | 'authorization',
): Promise<ModelGate> {
  const town = start.env['GT_TOWN'];
  const temporary = town === undefined ? mkdtempSync(join(tmpdir(), 'gt-model-gate-')) : undefined;
  const dir =
    temporary ?? join(town ?? '', '.gt', 'sessions', start.sessionId.replace(/[^A-Za-z0-9._-]/g, '_'));
  const gate = await startEgressGate({
    dir,
    // The loop itself opens no other connection; its tools run in the sandbox without network.
    decide: () => Promise.resolve({ decision: 'deny', rule: 'model-loop', reason: 'only the model route' }),
    record: (kind, payload) => start.tools.record?.(kind, payload),
    // No cut mid-stream: the loop sees each reply's usage and stops at the next tool call, naming
    // the spent budget; a cut reply would only be retried.
    // Paths are kept whole by the client, so the gate needs only the endpoint's origin.
    model: { baseUrl: new URL(endpoint).origin, credential: { header, value: key.value ?? '' } },
  });
  // The client keeps its connections alive; closing must end them, or close() would wait on them.
  const open = new Set<Socket>();
  const relay = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    pipeBoth(client, gate.socket);
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = relay.address() as AddressInfo;
  return {
    via: { origin: `http://127.0.0.1:${port}`, key: gate.placeholderKey },
    close: async () => {
      const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
      for (const client of open) client.destroy();
      await closed;
      await gate.close();
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
