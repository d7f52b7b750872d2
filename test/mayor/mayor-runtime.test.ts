// The Mayor's own runtime: town.yaml `mayor.agent` / `mayor.model`, separate from the polecats'
// `default_agent`. A town of script polecats plans with a model (the scripted model server), and
// the bead the Mayor made is worked by a script polecat; `--agent` still overrides.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { chooseMayorRuntime } from '../../src/mayor/index.js';
import { townConfigSchema } from '../../src/town/index.js';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { runGt } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import type { RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';
import { assistantTurns } from './scripted-mayor.js';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

function planOneBead(req: RecordedRequest): ScriptedTurn {
  if (assistantTurns(req) === 0)
    return {
      toolCalls: [
        {
          name: 'create_bead',
          input: { title: 'Write hello', rig: 'web', steps: ['echo hello > hello.txt'] },
        },
      ],
      usage: { input: 500, output: 40 },
    };
  return { text: 'Made one bead for web.', usage: { input: 600, output: 10 } };
}

async function editTownYaml(town: RigTown, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const file = join(town.root, 'town.yaml');
  const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(config);
  await writeFile(file, stringify(config));
}

const env = { MAYOR_TEST_KEY: 'sk-test-mayor-runtime-1234' };

describe("the Mayor's own runtime", () => {
  it('plans on mayor.agent with mayor.model while polecats stay on the script default_agent', async () => {
    const town = await makeRigTown();
    server = await startModelServer({ answer: planOneBead });
    const url = server.url;
    await editTownYaml(town, (config) => {
      config.mayor = { agent: 'anthropic', model: 'claude-opus-4-1' };
      config.agents = {
        anthropic: { base_url: url, model: 'claude-sonnet-4-5', api_key_env: 'MAYOR_TEST_KEY' },
      };
    });
    expect(parse(await readFile(join(town.root, 'town.yaml'), 'utf8'))).toMatchObject({
      default_agent: 'script',
    });

    const asked = await runGt(['--town', town.root, 'mayor', 'ask', 'say hello in web'], { env });
    expect(asked.stderr).toBe('');
    expect(asked.exitCode).toBe(0);
    const calls = server.requests.filter((r) => r.api === 'anthropic');
    expect(calls.length).toBe(2);
    for (const call of calls) expect((call.body as { model: string }).model).toBe('claude-opus-4-1');
    expect(JSON.stringify((calls[0]!.body as { system: unknown }).system)).toContain(
      'Polecats run the \\"script\\" runtime by default',
    );

    // The bead the Mayor planned is worked by a script polecat: no model call is made for it.
    const [bead] = JSON.parse(await town.ok('--json', 'bd', 'list')) as { id: string; created_by: string }[];
    expect(bead?.created_by).toBe('mayor');
    const before = server.requests.length;
    const slung = await town.gt('--json', 'sling', bead!.id, 'web');
    expect(slung.exitCode, slung.stderr).toBe(0);
    expect(server.requests.length).toBe(before);
    const feed = await town.ok('feed', '-n', '0');
    expect(feed).toMatch(/session\.started \S+: session \S+ started: script agent on polecat\//);
    expect(feed).toContain('polecat.done');
    expect(feed).toContain('mayor session.usage: usage: 500+40 tokens on claude-opus-4-1');
  });

  it('still takes --agent over mayor.agent, with that runtime’s own model', async () => {
    const town = await makeRigTown();
    server = await startModelServer({ answer: planOneBead });
    const url = server.url;
    await editTownYaml(town, (config) => {
      config.mayor = { agent: 'openai', model: 'gpt-4.1-mini' };
      config.agents = {
        openai: { base_url: `${url}/v1`, model: 'gpt-4.1', api_key_env: 'MAYOR_TEST_KEY' },
        anthropic: { base_url: url, model: 'claude-sonnet-4-5', api_key_env: 'MAYOR_TEST_KEY' },
      };
    });
    const asked = await runGt(['--town', town.root, 'mayor', 'ask', '--agent', 'anthropic', 'say hello'], {
      env,
    });
    expect(asked.exitCode, asked.stderr).toBe(0);
    const apis = new Set(server.requests.filter((r) => r.path !== '/v1/models').map((r) => r.api));
    expect(apis).toEqual(new Set(['anthropic']));
    const models = server.requests.map((r) => (r.body as { model?: string }).model);
    expect(new Set(models)).toEqual(new Set(['claude-sonnet-4-5']));
  });

  it('refuses a runtime that cannot serve the Mayor in town.yaml itself, naming mayor.agent', () => {
    const bad = townConfigSchema.safeParse({ name: 't', mayor: { agent: 'script' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['mayor', 'agent']);
    const config = townConfigSchema.parse({
      name: 't',
      default_agent: 'codex',
      mayor: { agent: 'claude-code' },
    });
    expect(chooseMayorRuntime(config).name).toBe('claude-code');
    expect(() => chooseMayorRuntime(townConfigSchema.parse({ name: 't', default_agent: 'codex' }))).toThrow(
      /the codex runtime cannot serve the Mayor's tools yet[\s\S]*mayor:\n {4}agent: anthropic/,
    );
  });
});
