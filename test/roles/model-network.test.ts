// The model loops (openai, anthropic) run their tool commands in the sandbox without network: a
// `run_command` the policy allows, which opens a TCP connection to a listener on the host's
// 127.0.0.1, reaches nothing — the listener sees no connection and no byte — while the command itself
// did run (its output says why it could not connect). Their own model calls go through the
// session's egress gate, which puts the real key on and records each call in the ledger.
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { toolResultsOf } from '../agents/model-runtime-cases.js';
import type { ModelServer } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeRigTown } from '../support/rig-town.js';

const key = 'sk-model-loop-key-kept-by-the-gate';
const keyEnv = 'GT_MODEL_NETWORK_TEST_KEY';

describe('a model-loop polecat', () => {
  let server: ModelServer;
  let listener: Server;
  let connections = 0;
  let bytes = 0;
  beforeEach(async () => {
    server = await startModelServer();
    process.env[keyEnv] = key;
    connections = 0;
    bytes = 0;
    listener = createServer((socket) => {
      connections += 1;
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      socket.on('error', () => undefined);
    });
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
  });
  afterEach(async () => {
    delete process.env[keyEnv];
    await server.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  it.each(['openai', 'anthropic'])(
    '%s: a command that connects to the host gets no byte through',
    async (agent) => {
      const { port } = listener.address() as AddressInfo;
      const town = await makeRigTown();
      const file = join(town.root, 'town.yaml');
      const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      const baseUrl = agent === 'openai' ? `${server.url}/v1` : server.url;
      const agentConfig = { base_url: baseUrl, model: 'm', api_key_env: keyEnv };
      await writeFile(file, stringify({ ...config, agents: { [agent]: agentConfig } }));
      const connect =
        `node -e "const s=require('net').connect(${port},'127.0.0.1');` +
        `s.on('connect',()=>{s.end('leaked');console.log('connected')});` +
        `s.on('error',e=>console.log('no connection: '+e.code))"`;
      await writeFile(
        join(town.root, 'policy.yaml'),
        stringify({
          rules: [{ match: { tool: 'run', command: 'node -e *' }, decision: 'allow', reason: 'the test' }],
        }),
      );
      const bead = await town.bead('Phone home', [], '--description', 'Try the network.');
      server.push({ toolCalls: [{ name: 'run_command', input: { command: connect } }] }, { text: 'Tried.' });
      expect(await town.ok('sling', bead, 'web', '--agent', agent)).toContain('Done: Tried.');
      const told = toolResultsOf(server.requests.filter((r) => r.api !== 'other')[1]!);
      expect(told.join('\n')).toContain('no connection: E');
      expect(told.join('\n')).not.toContain('connected');
      expect(connections).toBe(0);
      expect(bytes).toBe(0);

      // Every model call went through the session's egress gate: the server got the real key from it,
      // and the ledger has each call as `model.request`, with its tokens and stop reason, never the key.
      const generations = server.requests.filter((r) => r.api !== 'other');
      expect(generations).toHaveLength(2);
      for (const request of generations) {
        expect(request.headers['x-api-key'] ?? request.headers.authorization).toMatch(new RegExp(`${key}$`));
      }
      const events = (await town.ok('--json', 'feed', '--bead', bead, '-n', '0'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { kind: string; payload: Record<string, unknown> });
      const calls = events.filter((e) => e.kind === 'model.request').map((e) => e.payload);
      expect(calls).toHaveLength(2);
      expect(calls[0]).toMatchObject({ method: 'POST', status: 200, model: 'm' });
      expect(calls[1]).toMatchObject({ tokens: { input: expect.any(Number) as unknown } });
      expect(calls[1]?.['stop_reason']).toEqual(expect.any(String));
      expect(JSON.stringify(events)).not.toContain(key);
    },
  );
});
