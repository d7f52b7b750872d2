// The egress gate on its own, spoken to over its unix socket as the sandbox's bridge would: the
// model route swaps the placeholder key for the real one (the endpoint sees only the real key),
// reads the streamed usage into `model.request` and cuts a reply when the budget runs out; CONNECT
// and plain forwarding ask `decide` first (no DNS for a refused host), refuse private addresses
// the policy did not name, carry bytes for allowed ones, and record every attempt.
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideOncePerDestination, startEgressGate } from '../../src/sandbox/index.js';
import type { EgressDecide, EgressGate, EgressRequest } from '../../src/sandbox/index.js';
import type { ModelBudget } from '../../src/sandbox/egress/index.js';
import { gateConnect, gateRequest, getOverTunnel } from '../support/egress-client.js';
import { startModelServer } from '../support/model-server.js';
import type { ModelServer } from '../support/model-server.js';
import { startNetnsHost } from '../support/netns-host.js';
import type { NetnsHost } from '../support/netns-host.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

const realKey = 'sk-ant-real-0123456789abcdef0123456789';
let remote: NetnsHost;
let loopback: Server;
let loopbackBytes = 0;

beforeAll(async () => {
  remote = await startNetnsHost();
  loopback = createServer((socket) => socket.on('data', (chunk: Buffer) => (loopbackBytes += chunk.length)));
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await remote.close();
  await new Promise((resolve) => loopback.close(resolve));
  await removeTempDirs();
});

interface Recorded {
  kind: string;
  payload: Record<string, unknown>;
}

async function gateWith(
  decide: EgressDecide,
  extra: {
    server?: ModelServer;
    lookup?: (host: string) => Promise<string[]>;
    budget?: ModelBudget;
  } = {},
) {
  const records: Recorded[] = [];
  const lookups: string[] = [];
  const gate: EgressGate = await startEgressGate({
    dir: join(await makeTempDir('gt-egress'), 'session'),
    decide,
    record: (kind, payload) => records.push({ kind, payload }),
    lookup: async (host) => {
      lookups.push(host);
      return extra.lookup ? extra.lookup(host) : [];
    },
    ...(extra.server === undefined
      ? {}
      : { model: { baseUrl: extra.server.url, credential: { header: 'x-api-key', value: realKey } } }),
    ...(extra.budget === undefined ? {} : { budget: extra.budget }),
    session: (req, res) => res.end(`session route ${req.method} ${req.url}`),
  });
  return { gate, records, lookups };
}

const allowAll: EgressDecide = () =>
  Promise.resolve({ decision: 'allow', rule: 'test:allow', reason: 'test' });
const denyAll: EgressDecide = () =>
  Promise.resolve({
    decision: 'deny',
    rule: 'builtin:network-default',
    reason: 'hosts are denied unless allowed',
  });

const messages = (gate: EgressGate, key: string) =>
  gateRequest(
    gate.socket,
    'POST',
    '/v1/messages?beta=true',
    { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  );

describe('the egress gate', () => {
  it('keeps its socket in a 0700 directory of its own', async () => {
    const { gate } = await gateWith(allowAll);
    try {
      expect(statSync(join(gate.socket, '..')).mode & 0o777).toBe(0o700);
      expect(statSync(gate.socket).isSocket()).toBe(true);
    } finally {
      await gate.close();
    }
  });

  it('sends model calls with the real key only, and records each with its usage', async () => {
    const server = await startModelServer({
      apiKey: realKey,
      script: [{ text: 'hello', usage: { input: 1234, output: 56 } }],
    });
    const { gate, records } = await gateWith(denyAll, { server });
    try {
      const answer = await messages(gate, gate.placeholderKey);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('message_stop');
      expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual([realKey]);
      expect(server.requests[0]?.path).toBe('/v1/messages');
      expect(server.requests[0]?.query).toBe('?beta=true');
      expect(records).toEqual([
        {
          kind: 'model.request',
          payload: expect.objectContaining({
            method: 'POST',
            path: '/v1/messages',
            model: 'claude-sonnet-4-5',
            status: 200,
            tokens: { input: 1234, output: 56, cache_read: 0, cache_write: 0 },
            stop_reason: 'end_turn',
          }) as unknown,
        },
      ]);
      // Anything but this session's placeholder is refused before it reaches the endpoint.
      for (const key of ['sk-ant-guess', realKey]) {
        expect((await messages(gate, key)).status).toBe(401);
      }
      expect(server.requests).toHaveLength(1);
      expect(records.at(-1)?.payload).toMatchObject({ status: 401, refused: "not this session's key" });
    } finally {
      await gate.close();
      await server.close();
    }
  });

  it('keeps model calls under the endpoint’s base path', async () => {
    const server = await startModelServer();
    const records: Recorded[] = [];
    const gate = await startEgressGate({
      dir: join(await makeTempDir('gt-egress'), 'session'),
      decide: denyAll,
      record: (kind, payload) => records.push({ kind, payload }),
      model: { baseUrl: `${server.url}/anthropic/`, credential: { header: 'x-api-key', value: realKey } },
    });
    try {
      const key = { 'x-api-key': gate.placeholderKey };
      expect((await gateRequest(gate.socket, 'GET', '/../admin', key)).status).toBe(400);
      expect((await gateRequest(gate.socket, 'GET', '/%2e%2e/admin', key)).status).toBe(400);
      expect(server.requests).toEqual([]);
      await gateRequest(gate.socket, 'GET', '/v1/models', key);
      expect(server.requests.map((r) => r.path)).toEqual(['/anthropic/v1/models']);
      expect(records[0]?.payload).toMatchObject({
        status: 400,
        refused: 'the path leaves the model endpoint',
      });
    } finally {
      await gate.close();
      await server.close();
    }
  });

  it('cuts a streamed reply once the budget is spent, and refuses the next call before it goes out', async () => {
    const server = await startModelServer({
      script: [{ text: 'a long answer '.repeat(200), usage: { input: 5000, output: 900 } }],
    });
    // A budget of 1000 tokens, judged on what the stream reports: spent once its input is counted.
    let spent = false;
    const seen: number[] = [];
    const { gate, records } = await gateWith(denyAll, {
      server,
      budget: (inFlight) => {
        seen.push(inFlight.inputTokens);
        if (inFlight.inputTokens >= 1000) spent = true;
        return spent ? 'session token budget spent' : undefined;
      },
    });
    try {
      const answer = await messages(gate, gate.placeholderKey);
      expect(seen).toEqual([0, 5000]);
      expect(answer.body).not.toContain('message_stop');
      expect(answer.body).toContain('event: error');
      expect(answer.body).toContain('budget spent: session token budget spent');
      expect(records.at(-1)?.payload).toMatchObject({ stopped: 'session token budget spent' });
      const second = await messages(gate, gate.placeholderKey);
      expect(second.status).toBe(403);
      expect(second.body).toContain('budget spent');
      expect(server.requests).toHaveLength(1);
    } finally {
      await gate.close();
      await server.close();
    }
  });

  it('refuses a CONNECT the policy denies, naming the rule, without resolving the name or sending a byte', async () => {
    const { gate, records, lookups } = await gateWith(denyAll, {
      lookup: () => Promise.resolve([remote.address]),
    });
    try {
      const before = remote.seen();
      const answer = await gateConnect(gate.socket, `exfil.example.com:${remote.port}`);
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('builtin:network-default');
      expect(lookups).toEqual([]);
      expect(remote.seen()).toEqual(before);
      expect(records).toEqual([
        {
          kind: 'network.connect',
          payload: expect.objectContaining({
            host: 'exfil.example.com',
            decision: 'deny',
            rule: 'builtin:network-default',
            bytes_up: 0,
          }) as unknown,
        },
      ]);
    } finally {
      await gate.close();
    }
  });

  it('tunnels to a host the policy allows and records the bytes each way', async () => {
    const asked: EgressRequest[] = [];
    const decide: EgressDecide = (request) => {
      asked.push(request);
      return allowAll(request);
    };
    const { gate, records } = await gateWith(decide, { lookup: () => Promise.resolve([remote.address]) });
    try {
      const answer = await gateConnect(gate.socket, `remote.test:${remote.port}`);
      expect(answer.status).toBe(200);
      const reply = await getOverTunnel(answer.tunnel!, 'remote.test');
      expect(reply).toContain('hello from the netns host');
      await gate.close();
      expect(asked).toEqual([
        { host: 'remote.test', port: remote.port, via: 'connect', privateAddress: false },
      ]);
      const connect = records.find((r) => r.kind === 'network.connect')?.payload;
      expect(connect).toMatchObject({
        host: 'remote.test',
        address: remote.address,
        decision: 'allow',
        rule: 'test:allow',
      });
      expect(connect?.['bytes_up']).toBeGreaterThan(20);
      expect(connect?.['bytes_down']).toBeGreaterThan(20);
    } finally {
      await gate.close();
    }
  });

  it('forwards plain HTTP to an allowed host and refuses a denied one with the rule in the body', async () => {
    const allowed = await gateWith(allowAll);
    const denied = await gateWith(denyAll);
    try {
      const ok = await gateRequest(allowed.gate.socket, 'GET', `${remote.url}/page`);
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('hello from the netns host');
      expect(allowed.records[0]?.payload).toMatchObject({ via: 'forward', decision: 'allow' });
      const before = remote.seen();
      const no = await gateRequest(denied.gate.socket, 'GET', `${remote.url}/page`);
      expect(no.status).toBe(403);
      expect(no.body).toContain('refused by builtin:network-default');
      expect(no.headers['x-gastown-rule']).toBe('builtin:network-default');
      expect(remote.seen()).toEqual(before);
    } finally {
      await allowed.gate.close();
      await denied.gate.close();
    }
  });

  it('asks again about a name that resolves to a private address, and sends nothing unless allowed', async () => {
    const asked: EgressRequest[] = [];
    // A policy that allows the name, but not a private address it was not told about.
    const decide: EgressDecide = (request) => {
      asked.push(request);
      return request.privateAddress ? denyAll(request) : allowAll(request);
    };
    const { gate } = await gateWith(decide, { lookup: () => Promise.resolve(['127.0.0.1']) });
    const port = (loopback.address() as AddressInfo).port;
    try {
      const answer = await gateConnect(gate.socket, `rebind.example.com:${port}`);
      expect(answer.status).toBe(403);
      expect(asked.map((r) => r.privateAddress)).toEqual([false, true]);
      const literal = await gateConnect(gate.socket, `127.0.0.1:${port}`);
      expect(literal.status).toBe(403);
      expect(asked.at(-1)).toMatchObject({ host: '127.0.0.1', privateAddress: true });
      expect(loopbackBytes).toBe(0);
    } finally {
      await gate.close();
    }
  });

  it("passes /__gastown/… to the session's routes without the prefix", async () => {
    const { gate } = await gateWith(denyAll);
    try {
      const answer = await gateRequest(gate.socket, 'POST', '/__gastown/hooks/pre-tool-use', {}, '{}');
      expect(answer.body).toBe('session route POST /hooks/pre-tool-use');
    } finally {
      await gate.close();
    }
  });
});

describe('decideOncePerDestination', () => {
  it('asks once per destination, concurrent requests sharing the answer; a failure is asked again', async () => {
    const asked: string[] = [];
    let fail = true;
    const decide = decideOncePerDestination((request) => {
      asked.push(`${request.host}:${request.port}:${request.privateAddress}`);
      if (request.host === 'flaky.test' && fail) {
        fail = false;
        return Promise.reject(new Error('the approvals queue is busy'));
      }
      return allowAll(request);
    });
    const npm = { host: 'registry.npmjs.org', port: 443, via: 'connect', privateAddress: false } as const;
    await Promise.all([decide(npm), decide(npm), decide({ ...npm, via: 'forward' })]);
    await decide({ ...npm, port: 80 });
    await expect(decide({ ...npm, host: 'flaky.test' })).rejects.toThrow(/busy/);
    await decide({ ...npm, host: 'flaky.test' });
    expect(asked).toEqual([
      'registry.npmjs.org:443:false',
      'registry.npmjs.org:80:false',
      'flaky.test:443:false',
      'flaky.test:443:false',
    ]);
  });
});
