// `gt mayor ask` on the claude-code runtime: the real Claude Code binary, pointed at the scripted
// model server, gets the town's tools through `--mcp-config` (`gt mcp`) and nothing else — no
// shell, no files — creates a bead with them and answers; the bead traces back to the request, and
// what the run spent is in `gt costs` as the Mayor's.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { runGt } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';
import { assistantTurns, pointTownAt } from './scripted-mayor.js';

const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

const toolNames = (req: RecordedRequest) =>
  ((req.body as { tools?: { name: string }[] } | null)?.tools ?? []).map((t) => t.name);

function turn(req: RecordedRequest): ScriptedTurn {
  if (!toolNames(req).includes('mcp__gastown__create_bead')) return { text: 'ok' };
  if (assistantTurns(req) === 0)
    return {
      toolCalls: [{ name: 'mcp__gastown__create_bead', input: { title: 'Rotate the logs', rig: 'web' } }],
    };
  return { text: 'Created one bead to rotate the logs.' };
}

describe('gt mayor ask on claude-code', () => {
  it('runs Claude Code with only the town tools, and the bead traces back to the request', async () => {
    const town = await makeRigTown();
    server = await startModelServer({ answer: turn });
    await pointTownAt(town.root, server.url, 'claude-code', { command: claudeBin });
    const home = join(town.scratch, 'home');
    await mkdir(home);
    const asked = await runGt(['--town', town.root, 'mayor', 'ask', '--', '-v: rotate the logs'], {
      env: { MAYOR_TEST_KEY: 'sk-ant-scripted', HOME: home },
    });
    expect(asked.stderr).toBe('');
    expect(asked.stdout).toContain('→ create_bead {"title":"Rotate the logs","rig":"web"}');
    expect(asked.stdout.trim().split('\n').at(-1)).toBe('Created one bead to rotate the logs.');

    const main = server.requests.filter((r) => toolNames(r).includes('mcp__gastown__create_bead'));
    expect(main.length).toBeGreaterThanOrEqual(2);
    expect(toolNames(main[0]!).every((name) => name.startsWith('mcp__gastown__'))).toBe(true);
    expect(JSON.stringify(main[0]!.body)).toContain('-v: rotate the logs');

    const [bead] = JSON.parse(await town.ok('--json', 'bd', 'list')) as { id: string; created_by: string }[];
    expect(bead!.created_by).toBe('mayor');
    const trace = await town.ok('trace', bead!.id);
    expect(trace).toContain('overseer: asks the Mayor: "-v: rotate the logs"');
    expect(trace).toContain('mayor: tool create_bead(rig="web", title="Rotate the logs")');
    expect(await town.ok('feed', '-n', '0')).toContain('mayor mayor.answer: answers: Created one bead');

    // The run's spend, at the cost Claude Code reports, is in `gt costs` as the Mayor's.
    const costs = JSON.parse(await town.ok('--json', 'costs', '--by', 'agent')) as {
      rows: { key: string; tokens: number; cost_usd: number; sessions: number }[];
    };
    expect(costs.rows).toEqual([expect.objectContaining({ key: 'mayor', sessions: 0 })]);
    expect(costs.rows[0]?.tokens).toBeGreaterThan(0);
    expect(costs.rows[0]?.cost_usd).toBeGreaterThan(0);
    const usage = (await town.ok('--json', 'feed', '-n', '0'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; payload: Record<string, unknown> })
      .filter((event) => event.kind === 'session.usage');
    expect(usage).toMatchObject([
      { payload: { agent: 'mayor', model: 'claude-sonnet-4-5', cost_source: 'agent' } },
    ]);
  }, 60_000);
});
