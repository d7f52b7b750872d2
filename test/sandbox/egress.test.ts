// A sandbox whose only way out is the egress gate, with the real bridge: the step's 127.0.0.1:8377
// is the gate and nothing else is reachable. A listener on the host's loopback and a host on
// another network (its own namespace) receive no byte from a direct attempt (bash, curl, python3,
// node); DNS fails; the proxy variables lead curl through the gate, where the policy's allow lets
// the other host's page through (recorded with its bytes) and its deny refuses it naming the rule;
// the session's routes answer under /__gastown/; the step's exit status comes back through the bridge.
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBridgeScript, runSandboxed, startEgressGate } from '../../src/sandbox/index.js';
import type { EgressDecide, EgressGate, SandboxSpec } from '../../src/sandbox/index.js';
import { startNetnsHost } from '../support/netns-host.js';
import type { NetnsHost } from '../support/netns-host.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { makeSandboxTown } from './fixture.js';
import type { SandboxTown } from './fixture.js';

let town: SandboxTown;
let remote: NetnsHost;
let loopback: Server;
let loopbackBytes = 0;
let loopbackConnections = 0;
let gate: EgressGate;
let allowRemote = false;
const records: { kind: string; payload: Record<string, unknown> }[] = [];

const decide: EgressDecide = (request) =>
  Promise.resolve(
    allowRemote && request.host === remote.address
      ? { decision: 'allow', rule: 'policy.yaml#rules[0]', reason: 'the test host' }
      : {
          decision: 'deny',
          rule: 'builtin:network-default',
          reason: 'hosts are denied unless a rule allows them',
        },
  );

beforeAll(async () => {
  town = await makeSandboxTown();
  remote = await startNetnsHost();
  loopback = createServer((socket) => {
    loopbackConnections++;
    socket.on('data', (chunk: Buffer) => (loopbackBytes += chunk.length));
  });
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
  gate = await startEgressGate({
    dir: `${await makeTempDir('gt-egress-session')}/session`,
    decide,
    record: (kind, payload) => records.push({ kind, payload }),
    session: (req, res) => res.end(`session says hi to ${req.method} ${req.url}`),
  });
});
afterAll(async () => {
  await gate.close();
  await remote.close();
  await new Promise((resolve) => loopback.close(resolve));
  await removeTempDirs();
});

const spec = (): SandboxSpec =>
  town.spec({
    network: false,
    egress: { socket: gate.socket, bridge: findBridgeScript(), node: process.execPath },
  });
const hostPort = () => (loopback.address() as AddressInfo).port;

describe('a sandbox behind the egress gate', () => {
  it('reaches nothing directly: neither the host loopback nor another network receives a byte', async () => {
    const port = hostPort();
    const attempts = [
      `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}; echo leak >&3'`,
      `curl -sS --noproxy '*' --max-time 10 -d leak http://127.0.0.1:${port}/`,
      `python3 -c "import socket; s = socket.create_connection(('127.0.0.1', ${port}), 5); s.sendall(b'leak')"`,
      `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', function () { this.end('leak') })"`,
      `curl -sS --noproxy '*' --max-time 10 -d leak ${remote.url}/`,
      `python3 -c "import socket; s = socket.create_connection(('${remote.address}', ${remote.port}), 5); s.sendall(b'leak')"`,
    ];
    for (const command of attempts) {
      const result = await runSandboxed(spec(), command);
      expect(result.exitCode, `${command}\n${result.stdout}${result.stderr}`).not.toBe(0);
    }
    expect(loopbackConnections).toBe(0);
    expect(loopbackBytes).toBe(0);
    expect(remote.seen()).toEqual({ connections: 0, bytes: 0 });
  });

  it('cannot resolve names: no resolver is reachable', async () => {
    for (const command of [
      'getent hosts example.com',
      `python3 -c "import socket; socket.getaddrinfo('example.com', 443)"`,
    ]) {
      const result = await runSandboxed(spec(), command);
      expect(result.exitCode, command).not.toBe(0);
    }
  });

  it('goes through the gate with the proxy variables: refused by the default rule, let through by an allow rule', async () => {
    allowRemote = false;
    const refused = await runSandboxed(spec(), `curl -sS --max-time 20 ${remote.url}/`);
    expect(refused.stdout).toContain(`${remote.address}:${remote.port} refused by builtin:network-default`);
    const tunnel = await runSandboxed(
      spec(),
      `curl -sS --max-time 20 --proxytunnel ${remote.url}/ -o /dev/null -w '%{http_code}'`,
    );
    expect(tunnel.stderr).toMatch(/CONNECT tunnel failed, response 403/);
    expect(remote.seen()).toEqual({ connections: 0, bytes: 0 });

    allowRemote = true;
    const through = await runSandboxed(spec(), `curl -sS --max-time 20 --proxytunnel ${remote.url}/hello`);
    expect(through.stdout).toBe('hello from the netns host');
    expect(through.exitCode).toBe(0);
    expect(remote.seen().connections).toBe(1);
    const allowed = records.filter((r) => r.kind === 'network.connect' && r.payload['decision'] === 'allow');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]?.payload).toMatchObject({
      host: remote.address,
      via: 'connect',
      rule: 'policy.yaml#rules[0]',
    });
    expect(allowed[0]?.payload['bytes_down']).toBeGreaterThan(0);
    const denied = records.filter((r) => r.kind === 'network.connect' && r.payload['decision'] === 'deny');
    expect(denied.map((r) => r.payload['via'])).toEqual(['forward', 'connect']);
  });

  it("reaches the session's routes at 127.0.0.1:8377/__gastown/ and returns the step's exit status", async () => {
    const result = await runSandboxed(
      spec(),
      'curl -sS -X POST http://127.0.0.1:8377/__gastown/exec; echo; env | grep -i _proxy | sort; exit 7',
    );
    expect(result.stdout).toContain('session says hi to POST /exec');
    expect(result.stdout).toContain('HTTPS_PROXY=http://127.0.0.1:8377');
    expect(result.stdout).toContain('NO_PROXY=127.0.0.1,localhost');
    expect(result.exitCode).toBe(7);
  });
});
