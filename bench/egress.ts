// Egress gate benches. (1) The latency a model request gains by going through the gate: the same
// small streamed reply from a local endpoint, fetched directly and through the agent's whole path
// (TCP to the bridge on loopback, the bridge's pipe to the unix socket, the gate's key swap and
// usage reading, the endpoint) — the added milliseconds per request, target ≤ 5 ms. (2) A
// sandboxed step's cost with the egress bridge started first, against the same step without it.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  findBridgeScript,
  runSandboxed,
  sandboxAvailability,
  startEgressGate,
} from '../src/sandbox/index.js';
import type { SandboxSpec } from '../src/sandbox/index.js';
import { comparisonLine, line, ms, progress } from './report.js';
import { median } from './timing.js';

const realKey = 'sk-ant-bench-real-key';

/** A reply shaped like the Messages API's stream: start, one text delta, stop, with usage. */
const frames = [
  'event: message_start\ndata: {"type":"message_start","message":{"model":"bench","usage":{"input_tokens":1200,"output_tokens":1}}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hello"}}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":12}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];

function startEndpoint(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers['x-api-key'] !== realKey) return res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const frame of frames) res.write(frame);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const body = JSON.stringify({
  model: 'bench',
  max_tokens: 16,
  stream: true,
  messages: [{ role: 'user', content: 'hi' }],
});

function post(port: number, key: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/v1/messages', agent, headers: { 'x-api-key': key } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function perRequestMs(send: () => Promise<void>, runs: number): Promise<number> {
  for (let i = 0; i < 20; i++) await send();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await send();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The bridge as the sandbox starts it, here on a free host port, keeping a `sleep` as its command. */
async function startBridge(socket: string): Promise<{ port: number; stop: () => void }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(process.execPath, [findBridgeScript(), String(port), socket, 'sleep', '600'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, stop: () => child.kill('SIGTERM') };
}

export async function benchEgressLatency(dir: string, runs = 300, targetMs = 5): Promise<void> {
  progress(`egress: ${runs} streamed model requests, direct and through bridge and gate`);
  const endpoint = await startEndpoint();
  const endpointPort = (endpoint.address() as AddressInfo).port;
  const gate = await startEgressGate({
    dir: join(dir, 'egress-session'),
    decide: () => Promise.resolve({ decision: 'deny', rule: 'bench', reason: 'bench' }),
    record: () => undefined,
    model: {
      baseUrl: `http://127.0.0.1:${endpointPort}`,
      credential: { header: 'x-api-key', value: realKey },
    },
  });
  const bridge = await startBridge(gate.socket);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const direct = await perRequestMs(() => post(endpointPort, realKey, agent), runs);
    const gated = await perRequestMs(() => post(bridge.port, gate.placeholderKey, agent), runs);
    const added = gated - direct;
    line(
      comparisonLine({
        name: 'model request through the egress gate',
        value: `${ms(gated)} (+${ms(added)})`,
        baselineName: 'direct to the endpoint',
        baseline: ms(direct),
        ratio: gated / direct,
        target: { text: `≤ ${targetMs} ms added`, ok: added <= targetMs },
      }),
    );
  } finally {
    agent.destroy();
    bridge.stop();
    await gate.close();
    await new Promise((resolve) => endpoint.close(resolve));
  }
}

export async function benchEgressStep(dir: string, runs = 15): Promise<void> {
  const availability = sandboxAvailability();
  if (!availability.available) {
    line(`sandbox step with the egress bridge: n/a (${availability.reason ?? 'no sandbox'})`);
    return;
  }
  progress(`egress: ${runs} sandboxed steps with and without the bridge`);
  const worktree = join(dir, 'egress-town', 'rig', 'polecats', 'nux');
  mkdirSync(worktree, { recursive: true });
  const gate = await startEgressGate({
    dir: join(dir, 'egress-step-session'),
    decide: () => Promise.resolve({ decision: 'deny', rule: 'bench', reason: 'bench' }),
    record: () => undefined,
  });
  try {
    const plain: SandboxSpec = { worktree, townRoot: join(dir, 'egress-town') };
    const gated: SandboxSpec = {
      ...plain,
      egress: { socket: gate.socket, bridge: findBridgeScript(), node: process.execPath },
    };
    const time = async (spec: SandboxSpec) => {
      const times: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        const start = performance.now();
        const result = await runSandboxed(spec, 'true');
        if (result.exitCode !== 0) throw new Error(`the step failed: ${result.stderr}`);
        if (i >= 2) times.push(performance.now() - start);
      }
      return median(times);
    };
    const without = await time(plain);
    const withBridge = await time(gated);
    line(
      comparisonLine({
        name: 'sandboxed step with the egress bridge',
        value: ms(withBridge),
        baselineName: 'the same step without it',
        baseline: ms(without),
        ratio: withBridge / without,
      }),
    );
  } finally {
    await gate.close();
  }
}
