// The Mayor learns about context rigs from the MCP tool schemas it is given: create_bead's
// `context_rigs` says what it is and when to use it, and a bead made with it carries the rigs a
// later sling mounts; a rig the town lacks is refused and nothing is created.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { gtBin } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

async function connect(root: string): Promise<Client> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [gtBin, '--town', root, 'mcp'],
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'mcp-context-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe('context_rigs in the MCP tools', () => {
  it('is described on create_bead, kept on the bead, and checked against the town’s rigs', async () => {
    const town = await makeRigTown('dashboard');
    await town.ok('rig', 'add', 'api', town.remote.path, '--branch', 'main');
    const client = await connect(town.root);
    try {
      const tools = (await client.listTools()).tools;
      const create = tools.find((tool) => tool.name === 'create_bead');
      const property = (
        create?.inputSchema.properties as Record<string, { type?: string; description?: string }>
      )['context_rigs'];
      expect(property?.type).toBe('array');
      expect(property?.description).toMatch(/READ \(never change\)/);
      expect(property?.description).toContain('../.context/<rig>');
      expect(tools.find((tool) => tool.name === 'submit_plan')?.description).toContain('context_rigs');

      const made = await client.callTool({
        name: 'create_bead',
        arguments: { title: 'Show flags', rig: 'dashboard', context_rigs: ['api'] },
      });
      expect(made.isError).toBeFalsy();
      const id = (JSON.parse((made.content as { text: string }[])[0]?.text ?? '{}') as { id: string }).id;
      const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', id)) as { metadata?: unknown }[];
      expect(shown?.metadata).toEqual({ gastown: { context_rigs: ['api'] } });

      const before = (await town.ok('--json', 'bd', 'list')).length;
      const refused = await client.callTool({
        name: 'create_bead',
        arguments: { title: 'Read nothing', rig: 'dashboard', context_rigs: ['nope'] },
      });
      expect(refused.isError).toBe(true);
      expect((refused.content as { text: string }[])[0]?.text).toContain('nope');
      expect((await town.ok('--json', 'bd', 'list')).length).toBe(before);
    } finally {
      await client.close();
    }
  }, 60_000);
});
