// `gt mcp` through the SDK's real client over stdio: the town's tools are listed, a plan is built
// call by call (beads, a dependency, a convoy, its launch) and read back; every call is in the
// ledger as the Mayor under the request span, and what a call changed hangs under the call.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openTownServices } from '../../src/town/services.js';
import { gtBin } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

const requestSpan = '0123456789abcdef';

async function connect(root: string): Promise<Client> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.GT_ACTOR;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [gtBin, '--town', root, 'mcp'],
    env: { ...env, GT_REQUEST_SPAN: requestSpan, GT_REQUEST_ID: 'req-1' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  const text = content[0]?.text ?? '';
  if (result.isError) throw new Error(`${name}: ${text}`);
  return JSON.parse(text) as Record<string, unknown> & Record<string, unknown>[];
}

describe('gt mcp', () => {
  it('serves the town tools to a real MCP client and records every call as the Mayor', async () => {
    const town = await makeRigTown();
    const client = await connect(town.root);
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(
        expect.arrayContaining([
          'list_rigs',
          'list_beads',
          'show_bead',
          'create_bead',
          'add_dependency',
          'create_convoy',
          'launch_convoy',
          'sling',
          'submit_plan',
          'status',
          'send_mail',
          'read_inbox',
        ]),
      );
      const rigs = (await call(client, 'list_rigs')) as unknown as { name: string }[];
      expect(rigs.map((r) => r.name)).toEqual(['web']);

      const schema = await call(client, 'create_bead', {
        title: 'Write the schema',
        rig: 'web',
        steps: ['echo schema > schema.sql'],
      });
      const api = await call(client, 'create_bead', { title: 'Serve the API', rig: 'web', priority: 1 });
      const dep = await call(client, 'add_dependency', { bead: api.id, depends_on: schema.id });
      expect(dep).toEqual({ bead: api.id, depends_on: schema.id, type: 'blocks' });
      const made = await call(client, 'create_convoy', { title: 'API', beads: [schema.id, api.id] });
      const convoyId = (made.convoy as { id: string }).id;
      const launched = await call(client, 'launch_convoy', { convoy: convoyId });
      expect(launched.convoy).toMatchObject({ id: convoyId, state: 'launched' });
      expect(launched.dispatch).toContain('`gt up`');

      const ready = (await call(client, 'list_beads', { status: 'ready' })) as unknown as { id: string }[];
      expect(ready.map((b) => b.id)).toEqual([schema.id]);
      const shown = await call(client, 'show_bead', { id: api.id });
      expect(shown).toMatchObject({ id: api.id, title: 'Serve the API', priority: 1, created_by: 'mayor' });
      expect(shown.dependencies).toEqual([expect.objectContaining({ depends_on_id: schema.id })]);
      const status = await call(client, 'status');
      expect(status.convoys).toEqual([
        expect.objectContaining({ id: convoyId, state: 'launched', beads: 2 }),
      ]);

      const unknownRig = await client.callTool({
        name: 'create_bead',
        arguments: { title: 'x', rig: 'api' },
      });
      expect(unknownRig.isError).toBe(true);
      expect(JSON.stringify(unknownRig.content)).toContain('rig not found: api (rigs: web)');

      await call(client, 'send_mail', { to: 'overseer', subject: 'Planned the API', body: 'Two beads.' });
      await town.ok('mail', 'send', 'mayor', '-s', 'Also docs', '-m', 'Please add docs too.');
      const mail = (await call(client, 'read_inbox')) as unknown as { from: string; subject: string }[];
      expect(mail).toEqual([expect.objectContaining({ from: 'overseer', subject: 'Also docs' })]);
      expect(await call(client, 'read_inbox')).toEqual([]);
    } finally {
      await client.close();
    }

    const services = openTownServices(town.root, { env: process.env });
    try {
      const calls = services.db
        .prepare(
          `SELECT actor, span_id, parent_span_id, payload FROM ledger WHERE kind = 'mcp.call' ORDER BY seq`,
        )
        .all() as { actor: string; span_id: string; parent_span_id: string; payload: string }[];
      expect(calls.length).toBe(13);
      expect(new Set(calls.map((c) => c.actor))).toEqual(new Set(['mayor']));
      expect(new Set(calls.map((c) => c.parent_span_id))).toEqual(new Set([requestSpan]));
      const createCall = calls.find((c) => c.payload.includes('"Write the schema"'))!;
      expect(JSON.parse(createCall.payload)).toMatchObject({ tool: 'create_bead', request: 'req-1' });
      const created = services.db
        .prepare(`SELECT kind FROM ledger WHERE parent_span_id = ? ORDER BY seq`)
        .pluck()
        .all(createCall.span_id);
      expect(created).toEqual(['bead.created']);
      const failed = services.db
        .prepare(`SELECT payload FROM ledger WHERE kind = 'mcp.call_failed'`)
        .pluck()
        .all() as string[];
      expect(failed.map((p) => JSON.parse(p) as { tool: string })).toEqual([
        expect.objectContaining({ tool: 'create_bead', code: 'not_found' }),
      ]);
    } finally {
      services.close();
    }
  });

  it('hands a slung bead to the daemon through a launched one-bead convoy', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Bump the version', ['echo 1.0.1 > VERSION']);
    const client = await connect(town.root);
    try {
      const slung = await call(client, 'sling', { bead, rig: 'web' });
      expect(slung).toMatchObject({ bead, rig: 'web' });
      const again = await call(client, 'sling', { bead, rig: 'web' });
      expect(again).toMatchObject({ convoy: slung.convoy, note: 'already in a launched convoy' });
      const wrongAgent = await client.callTool({
        name: 'sling',
        arguments: { bead, rig: 'web', agent: 'codex' },
      });
      expect(wrongAgent.isError).toBe(true);
      expect(JSON.stringify(wrongAgent.content)).toContain(
        "the daemon dispatches with the town's default agent",
      );
    } finally {
      await client.close();
    }
    const convoys = JSON.parse(await town.ok('--json', 'convoy', 'list')) as {
      id: string;
      state: string;
      name: string;
    }[];
    expect(convoys).toEqual([expect.objectContaining({ name: `sling ${bead}`, state: 'launched' })]);
    expect(await town.ok('--json', 'bd', 'show', bead)).toContain('"status": "open"');
  });
});
