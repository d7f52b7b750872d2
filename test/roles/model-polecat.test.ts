// A polecat driven by a model, end to end through the binary: `gt sling` with the anthropic (or
// openai) runtime, town.yaml pointing it at the scripted model server. The model writes a file with
// write_file and runs a command, both through the gateway and the sandbox; the bead ends in review
// with a commit holding the file. A dangerous command is denied and the ledger names the rule.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { gitIn } from '../support/git-fixtures.js';
import type { ModelServer } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { toolResultsOf } from '../agents/model-runtime-cases.js';

interface Event {
  kind: string;
  payload: Record<string, unknown>;
}

const key = 'sk-ant-test-key-that-must-stay-out-of-the-ledger';
const keyEnv = 'GT_MODEL_POLECAT_TEST_KEY';

async function configureAgent(
  town: RigTown,
  agent: string,
  settings: Record<string, unknown>,
): Promise<void> {
  const file = join(town.root, 'town.yaml');
  const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, stringify({ ...config, agents: { [agent]: settings } }));
}

async function feed(town: RigTown, bead: string): Promise<Event[]> {
  const out = await town.ok('--json', 'feed', '--bead', bead, '-n', '0');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

describe('a polecat driven by a model runtime', () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
    process.env[keyEnv] = key;
  });
  afterEach(async () => {
    delete process.env[keyEnv];
    await server.close();
  });

  it('writes a file and runs a command through the gateway, and the bead ends in review with the file committed', async () => {
    const town = await makeRigTown();
    await configureAgent(town, 'anthropic', {
      base_url: server.url,
      api_key_env: keyEnv,
      model: 'claude-test',
    });
    const bead = await town.bead('Add a greeting', [], '--description', 'Create hello.txt saying hello.');
    server.push(
      {
        thinking: 'A file with a greeting.',
        text: 'Writing hello.txt.',
        toolCalls: [{ name: 'write_file', input: { path: 'hello.txt', content: 'hello from the model\n' } }],
      },
      { toolCalls: [{ name: 'run_command', input: { command: 'cat hello.txt && wc -l < hello.txt' } }] },
      { text: 'Added hello.txt with a greeting.', usage: { input: 900, output: 40 } },
    );
    const out = await town.ok('sling', bead, 'web', '--agent', 'anthropic');
    expect(out).toContain('Done: Added hello.txt with a greeting.');

    const branch = `polecat/furiosa/${bead}`;
    const repo = join(town.root, 'web', 'repo.git');
    expect(await gitIn(repo, 'show', `${branch}:hello.txt`)).toBe('hello from the model');
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as { labels: string[] }[];
    expect(shown?.labels).toContain('gt:review');

    // The command really ran in the worktree, and the model read its output.
    const requests = server.requests.filter((r) => r.api === 'anthropic');
    expect(requests).toHaveLength(3);
    expect(requests[0]?.headers['x-api-key']).toBe(key);
    expect(toolResultsOf(requests[2]!).at(-1)).toContain('hello from the model');
    expect(JSON.stringify(requests[0]?.body)).toContain(bead);

    const events = await feed(town, bead);
    const calls = events.filter((e) => e.kind === 'tool.call').map((e) => e.payload);
    expect(calls).toMatchObject([
      { tool: 'write', path: 'hello.txt', agent_tool: 'write_file', decision: 'allow' },
      { tool: 'run', command: 'cat hello.txt && wc -l < hello.txt', decision: 'allow' },
    ]);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['agent.reasoning', 'agent.message']));
    const usage = events.filter((e) => e.kind === 'session.usage').map((e) => e.payload);
    expect(usage).toHaveLength(3);
    expect(usage.at(-1)).toMatchObject({
      agent: 'anthropic',
      model: 'claude-test',
      usage: { input_tokens: 900, output_tokens: 40 },
    });
    const ledger = await town.ok('--json', 'feed', '-n', '0');
    expect(ledger).not.toContain(key);
  });

  it('denies a dangerous command, tells the model the rule, and the ledger shows it', async () => {
    const town = await makeRigTown();
    await configureAgent(town, 'anthropic', { base_url: server.url, api_key_env: keyEnv });
    const bead = await town.bead('Clean up', [], '--description', 'Free some disk space.');
    server.push(
      { toolCalls: [{ name: 'run_command', input: { command: 'sudo rm -rf /' } }] },
      {
        toolCalls: [{ name: 'give_up', input: { reason: 'I may not delete anything outside the worktree' } }],
      },
    );
    const result = await town.gt('sling', bead, 'web', '--agent', 'anthropic');
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain('gave up: I may not delete anything outside the worktree');

    const events = await feed(town, bead);
    const call = events.find((e) => e.kind === 'tool.call');
    expect(call?.payload).toMatchObject({ tool: 'run', command: 'sudo rm -rf /', decision: 'deny' });
    const rule = String(call?.payload.rule);
    expect(rule).toMatch(/^builtin:/);
    expect(result.stdout).toContain(rule);
    const told = toolResultsOf(server.requests.filter((r) => r.api === 'anthropic')[1]!);
    expect(told[0]).toContain(`denied by ${rule}`);
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as { status: string }[];
    expect(shown?.status).toBe('open');
  });

  it('runs the openai runtime against a local OpenAI-compatible server without a key (the Ollama setup)', async () => {
    const town = await makeRigTown();
    await configureAgent(town, 'openai', { base_url: `${server.url}/v1`, model: 'qwen2.5-coder:7b' });
    const bead = await town.bead('Add notes', [], '--description', 'Write NOTES.md.');
    server.push(
      { toolCalls: [{ name: 'write_file', input: { path: 'NOTES.md', content: '# Notes\n' } }] },
      { text: 'Wrote NOTES.md.' },
    );
    expect(await town.ok('sling', bead, 'web', '--agent', 'openai')).toContain('Done: Wrote NOTES.md.');
    const [first] = server.requests.filter((r) => r.api === 'chat');
    expect(first?.headers.authorization).toBeUndefined();
    expect(first?.body).toMatchObject({ model: 'qwen2.5-coder:7b' });
    const repo = join(town.root, 'web', 'repo.git');
    expect(await gitIn(repo, 'show', `polecat/furiosa/${bead}:NOTES.md`)).toBe('# Notes');
  });
});
