// `gt mayor ask` on the anthropic runtime against the scripted model server: the Mayor sees the
// town's MCP tools, creates two beads, a dependency and a convoy, launches it and answers; the beads
// exist and `gt trace` leads from a bead back to the Overseer's words; what its model calls spent is
// in `gt costs` as agent `mayor` and counts against the town's daily budget. A script-only town is
// told how to give the Mayor a model.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { runGt } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';
import { assistantTurns, lastResults, pointTownAt } from './scripted-mayor.js';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

const request = 'Add a /health endpoint to web, with a test, and ship it';

/** The Mayor's plan, one turn per step, reading ids from the tools' answers. */
function mayorTurn(req: RecordedRequest): ScriptedTurn {
  const results = lastResults(req);
  switch (assistantTurns(req)) {
    case 0:
      return {
        thinking: 'Two beads: the endpoint, then its test.',
        toolCalls: [
          {
            name: 'create_bead',
            input: { title: 'Add /health', rig: 'web', steps: ['echo ok > health.txt'] },
          },
          {
            name: 'create_bead',
            input: { title: 'Test /health', rig: 'web', steps: ['echo test > test.txt'] },
          },
        ],
        usage: { input: 900, output: 60 },
      };
    case 1: {
      const [endpoint, test] = results.map((r) => String(r.id));
      return {
        text: 'Linking them and grouping them in a convoy.',
        toolCalls: [
          { name: 'add_dependency', input: { bead: test, depends_on: endpoint } },
          { name: 'create_convoy', input: { title: 'Health endpoint', beads: [endpoint, test] } },
        ],
        usage: { input: 1000, output: 40, cacheRead: 500 },
      };
    }
    case 2: {
      const convoy = (results[1]?.convoy as { id: string }).id;
      return {
        toolCalls: [{ name: 'launch_convoy', input: { convoy } }],
        usage: { input: 1100, output: 20 },
      };
    }
    default:
      return {
        text: 'Planned 2 beads in convoy "Health endpoint" and launched it.',
        usage: { input: 1200, output: 30 },
      };
  }
}

describe('gt mayor ask', () => {
  it('plans with the town tools over MCP, and every bead traces back to the request', async () => {
    const town = await makeRigTown();
    server = await startModelServer({ answer: mayorTurn });
    await pointTownAt(town.root, server.url);
    const env = { MAYOR_TEST_KEY: 'sk-test-mayor-key-123456' };
    const asked = await runGt(['--town', town.root, 'mayor', 'ask', request], { env });
    expect(asked.stderr).toBe('');
    expect(asked.exitCode).toBe(0);
    expect(asked.stdout).toContain('→ create_bead {"title":"Add /health"');
    expect(asked.stdout.trim().split('\n').at(-1)).toBe(
      'Planned 2 beads in convoy "Health endpoint" and launched it.',
    );

    const first = server.requests.find((r) => r.api === 'anthropic')!;
    const offered = (first.body as { tools: { name: string }[]; system: unknown }).tools.map((t) => t.name);
    expect(offered).toEqual(
      expect.arrayContaining(['create_bead', 'add_dependency', 'create_convoy', 'launch_convoy']),
    );
    expect(JSON.stringify((first.body as { system: unknown }).system)).toContain('You are the Mayor');
    expect(first.headers['x-api-key']).toBe(env.MAYOR_TEST_KEY);

    const beads = JSON.parse(await town.ok('--json', 'bd', 'list')) as {
      id: string;
      title: string;
      created_by: string;
    }[];
    const test = beads.find((b) => b.title === 'Test /health')!;
    const endpoint = beads.find((b) => b.title === 'Add /health')!;
    expect(test.created_by).toBe('mayor');
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', test.id)) as {
      dependencies: { depends_on_id: string }[];
    }[];
    expect(shown!.dependencies.map((d) => d.depends_on_id)).toEqual([endpoint.id]);
    const convoys = JSON.parse(await town.ok('--json', 'convoy', 'list')) as {
      name: string;
      state: string;
    }[];
    expect(convoys).toEqual([expect.objectContaining({ name: 'Health endpoint', state: 'launched' })]);

    const trace = (await town.ok('trace', test.id)).split('\n');
    const at = (text: string) => trace.findIndex((line) => line.includes(text));
    expect(at(`overseer: asks the Mayor: "${request}"`)).toBeGreaterThan(0);
    const call = at(
      'mayor: tool create_bead(rig="web", steps=["echo test > test.txt"], title="Test /health")',
    );
    expect(call).toBeGreaterThan(at('asks the Mayor'));
    expect(at(`created ${test.id} "Test /health"`)).toBe(call + 1);
    expect(trace[call + 1]).toMatch(/^\s+│\s+│\s+├─/); // the bead under the call, the call under the request
    expect(at(`${test.id} depends on ${endpoint.id}`)).toBeGreaterThan(0);

    const feed = await town.ok('feed', '-n', '0');
    expect(feed).toContain('mayor agent.reasoning: thinks: Two beads: the endpoint, then its test.');
    expect(feed).toContain('mayor agent.message: says: Linking them and grouping them in a convoy.');
    expect(feed).toContain('mayor mayor.answer: answers: Planned 2 beads');
    expect(feed).not.toContain(env.MAYOR_TEST_KEY);

    // Every model call's spend, priced by the price table, under agent `mayor` with no session.
    const costs = JSON.parse(await town.ok('--json', 'costs', '--by', 'agent')) as {
      rows: Record<string, unknown>[];
    };
    expect(costs.rows).toEqual([
      expect.objectContaining({
        key: 'mayor',
        input_tokens: 900 + 1000 + 1100 + 1200,
        cache_read_tokens: 500,
        output_tokens: 60 + 40 + 20 + 30,
        tokens: 4850,
        sessions: 0,
        unpriced: 0,
      }),
    ]);
    expect(costs.rows[0]?.['cost_usd']).toBeGreaterThan(0);
    expect(feed).toContain('mayor session.usage: usage: 900+60 tokens on claude-sonnet-4-5');
  });

  it("counts the Mayor's spend against the town's daily token budget", async () => {
    const town = await makeRigTown();
    server = await startModelServer({
      script: [{ text: 'Nothing to plan yet.', usage: { input: 3000, output: 100 } }],
    });
    await pointTownAt(town.root, server.url);
    const file = join(town.root, 'town.yaml');
    const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, stringify({ ...config, budgets: { tokens_per_day: 2000 } }));
    const asked = await runGt(['--town', town.root, 'mayor', 'ask', 'anything to do?'], {
      env: { MAYOR_TEST_KEY: 'sk-test-budget' },
    });
    expect(asked.exitCode, asked.stderr).toBe(0);
    // The Mayor spent the day's tokens, so a polecat's first call is refused.
    const bead = await town.bead('Write a file', ['echo hi > hi.txt']);
    const slung = await town.gt('sling', bead, town.rig, '--agent', 'script');
    expect(slung.exitCode).not.toBe(0);
    expect(`${slung.stdout}${slung.stderr}`).toMatch(
      /town daily \(\d{4}-\d{2}-\d{2}\) token budget spent \(3100 of 2000 tokens\)/,
    );
  });

  it('runs on the openai runtime too (Chat Completions)', async () => {
    const town = await makeRigTown();
    server = await startModelServer({ answer: mayorTurn });
    await pointTownAt(town.root, `${server.url}/v1`, 'openai', { model: 'gpt-4.1-mini' });
    const asked = await runGt(['--town', town.root, 'mayor', 'ask', request], {
      env: { MAYOR_TEST_KEY: 'sk-test-openai' },
    });
    expect(asked.stderr).toBe('');
    expect(asked.stdout.trim().split('\n').at(-1)).toBe(
      'Planned 2 beads in convoy "Health endpoint" and launched it.',
    );
    expect(new Set(server.requests.filter((r) => r.path !== '/v1/models').map((r) => r.api))).toEqual(
      new Set(['chat']),
    );
    const convoys = JSON.parse(await town.ok('--json', 'convoy', 'list')) as {
      state: string;
      total: number;
    }[];
    expect(convoys).toEqual([expect.objectContaining({ state: 'launched', total: 2 })]);
  });

  it('tells a town without a model runtime how to give the Mayor one', async () => {
    const town = await makeRigTown();
    const asked = await town.gt('mayor', 'ask', 'anything');
    expect(asked.exitCode).toBe(2);
    expect(asked.stderr).toContain('the Mayor needs a model runtime, and the script runtime has no model');
    expect(asked.stderr).toContain('  mayor:\n    agent: anthropic');
    expect(await town.ok('feed', '-n', '0')).not.toContain('mayor.request');
  });
});
