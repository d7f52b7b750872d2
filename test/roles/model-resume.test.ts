// A model-driven polecat picked up again continues its own conversation, end to end through the
// binary with the anthropic runtime against the scripted model server: after a spent tool-call
// budget, and after its `gt sling` was killed with SIGKILL mid-session (the Deacon expires the dead
// session). The second session names what it resumed and the model's next request carries the
// first session's tool calls, then the resume note.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { Deacon } from '../../src/roles/deacon/deacon.js';
import { openTownServices } from '../../src/town/services.js';
import { toolResultsOf } from '../agents/model-runtime-cases.js';
import { gtBin } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import type { ModelServer } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

interface Event {
  kind: string;
  payload: Record<string, unknown>;
}

const key = 'sk-ant-resume-test-key-never-on-disk';
const keyEnv = 'GT_MODEL_RESUME_TEST_KEY';
const polecat = 'nux';

afterAll(removeTempDirs);

async function anthropicTown(server: ModelServer, policy?: string): Promise<RigTown> {
  const town = await makeRigTown();
  const file = join(town.root, 'town.yaml');
  const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const anthropic = { base_url: server.url, api_key_env: keyEnv, model: 'claude-test' };
  await writeFile(file, stringify({ ...config, agents: { anthropic } }));
  if (policy !== undefined) await writeFile(join(town.root, 'policy.yaml'), policy);
  return town;
}

const slingArgs = (bead: string) => [
  '--json',
  'sling',
  bead,
  'web',
  '--agent',
  'anthropic',
  '--polecat',
  polecat,
];

async function sling(town: RigTown, bead: string): Promise<Record<string, unknown>> {
  const result = await town.gt(...slingArgs(bead));
  expect(result.stdout.trim(), result.stderr).not.toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function feed(town: RigTown, bead: string): Promise<Event[]> {
  const out = await town.ok('--json', 'feed', '--bead', bead, '-n', '0');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

const writeFirst = {
  text: 'Writing first.txt.',
  toolCalls: [{ name: 'write_file', input: { path: 'first.txt', content: 'first\n' } }],
};

describe('a model polecat picked up again', () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
    process.env[keyEnv] = key;
  });
  afterEach(async () => {
    delete process.env[keyEnv];
    await server.close();
  });

  it('after a spent tool-call budget, the next session resumes the model’s own conversation', async () => {
    const town = await anthropicTown(server, 'budgets:\n  session:\n    tool_calls: 1\n');
    server.push(
      writeFirst,
      { toolCalls: [{ name: 'run_command', input: { command: 'echo second > second.txt' } }] },
      { text: 'Stopped.' },
    );
    const bead = await town.bead('Two steps, two sessions', []);
    expect(await sling(town, bead)).toMatchObject({ outcome: 'budget_exceeded' });
    const firstSessionRequests = server.requests.length;

    // The Overseer lifts the budget and slings the bead to the same polecat again.
    await writeFile(join(town.root, 'policy.yaml'), 'budgets:\n  session:\n    tool_calls: 10\n');
    server.push({ text: 'first.txt is already there; nothing left to do.' });
    expect(await sling(town, bead)).toMatchObject({ outcome: 'success' });

    const started = (await feed(town, bead)).filter((e) => e.kind === 'session.started');
    expect(started).toHaveLength(2);
    const resumed = started[1]?.payload['resume'];
    expect(resumed).toMatch(/^conv-[0-9a-f]+$/);
    const later = server.requests.slice(firstSessionRequests).filter((r) => r.api === 'anthropic');
    expect(later).toHaveLength(1);
    const body = JSON.stringify(later[0]?.body);
    // The first session's calls and what the town answered, then the note.
    expect(body).toContain('write_file');
    expect(body).toContain('first.txt');
    expect(body).toContain('echo second > second.txt');
    expect(toolResultsOf(later[0]!).at(-1)).toContain('denied by budget');
    expect(body.indexOf('echo second')).toBeLessThan(body.indexOf('This session was resumed'));

    // Kept privately in the town, without the key.
    const kept = join(town.root, '.gt', 'agents', 'anthropic', `${String(resumed)}.json`);
    expect(await readFile(kept, 'utf8')).not.toContain(key);
    expect(await town.ok('--json', 'feed', '-n', '0')).not.toContain(key);
  });

  it('after its gt sling was killed mid-session, the next session resumes from the last saved turn', async () => {
    const town = await anthropicTown(server);
    server.push(writeFirst, { delayMs: 60_000, text: 'never arrives' });
    const bead = await town.bead('Survive a crash', []);
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && name !== 'GT_TOWN') env[name] = value;
    }
    const child = execa('node', [gtBin, '--town', town.root, ...slingArgs(bead)], {
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      detached: true,
    });
    try {
      // The second model call is in flight: the first turn (the write and its result) is saved.
      await server.waitForRequest((r) => r.api === 'anthropic' && toolResultsOf(r).length === 1);
      child.kill('SIGKILL');
      await child;
    } finally {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the whole group is gone already
        }
      }
    }
    const services = openTownServices(town.root, { env: process.env });
    try {
      const report = await new Deacon({ town: services, checkpointEveryMs: 0 }).tick();
      expect(report.expired).toHaveLength(1);
    } finally {
      services.close();
    }
    const repo = join(town.root, 'web', 'repo.git');
    expect(await gitIn(repo, 'show', `polecat/${polecat}/${bead}:first.txt`)).toBe('first');

    const firstSessionRequests = server.requests.length;
    server.push({ text: 'first.txt survived the crash; done.' });
    expect(await sling(town, bead)).toMatchObject({ outcome: 'success' });
    const started = (await feed(town, bead)).filter((e) => e.kind === 'session.started');
    expect(started).toHaveLength(2);
    expect(started[1]?.payload['resume']).toMatch(/^conv-[0-9a-f]+$/);
    const [next] = server.requests.slice(firstSessionRequests).filter((r) => r.api === 'anthropic');
    const body = JSON.stringify(next?.body);
    expect(body).toContain('Writing first.txt.');
    expect(toolResultsOf(next!)).toHaveLength(1);
    expect(body).toContain('This session was resumed');
  });
});
