// Network: a step has only its own loopback, so a server on the host's 127.0.0.1 (the daemon, a model
// server, a database) is out of reach; a spec asking for the host's network is refused (the way
// out is the egress gate: egress.test.ts).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed } from '../../src/sandbox/index.js';
import type { SandboxSpec } from '../../src/sandbox/index.js';
import { removeTempDirs } from '../support/temp.js';
import { makeSandboxTown } from './fixture.js';
import type { SandboxTown } from './fixture.js';

let town: SandboxTown;
let server: Server;
let url: string;
let port: number;
let requests = 0;

beforeAll(async () => {
  town = await makeSandboxTown();
  server = createServer((_request, response) => {
    requests += 1;
    response.end('hello from the host');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeTempDirs();
});

// bash is always there; curl and node are tried too when the host has them under /usr (node may
// live under a home directory the sandbox hides).
const nodeInside = process.execPath.startsWith('/usr/') ? process.execPath : undefined;
const curlInside = existsSync('/usr/bin/curl');
const fetchScript = (target: string) =>
  `${nodeInside} -e 'fetch(process.argv[1]).then(r => r.text()).then(t => console.log(t))' ${target}`;
const bashGet = (target: number) =>
  `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${target}; printf "GET / HTTP/1.0\\r\\n\\r\\n" >&3; cat <&3'`;

describe('network', () => {
  it('cannot reach a server on the host loopback without permission', async () => {
    const spec = town.spec({ network: false });
    const attempts = [
      bashGet(port),
      ...(curlInside ? [`curl -sS --max-time 20 ${url}`] : []),
      ...(nodeInside ? [fetchScript(url)] : []),
    ];
    for (const command of attempts) {
      const result = await runSandboxed(spec, command);
      expect(result.exitCode, command).not.toBe(0);
      expect(result.stdout, command).not.toContain('hello from the host');
    }
    expect(requests).toBe(0);
  });

  it('has only a loopback interface without permission', async () => {
    const result = await runSandboxed(town.spec({ network: false }), 'cat /proc/net/dev');
    const interfaces = [...result.stdout.matchAll(/^\s*([^\s:|]+):/gm)].map(([, name]) => name);
    expect(interfaces).toEqual(['lo']);
  });

  it('refuses a spec that asks for the host network, and runs nothing', async () => {
    const before = requests;
    const spec = { ...town.spec(), network: true } as unknown as SandboxSpec;
    await expect(runSandboxed(spec, bashGet(port))).rejects.toThrow(/host network is never shared/);
    expect(requests).toBe(before);
  });
});
