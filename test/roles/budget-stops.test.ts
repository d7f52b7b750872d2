// Runaway sessions stop at their budget: a real `anthropic` polecat against the scripted model
// server, whose turns report large usage. Once a token or USD budget (of the session, the bead, its
// convoy or the town's day) is spent, the next tool call is denied by rule `budget`, the session
// ends `budget_exceeded` with its work so far committed, the bead goes back to open and the Overseer
// gets an escalation.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { recordUsage } from '../../src/roles/budget/usage.js';
import { openTownServices } from '../../src/town/services.js';
import { runGt } from '../support/cli.js';
import { startModelServer, type ModelServer, type ScriptedTurn } from '../support/model-server.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

const keyVar = 'GASTOWN_BUDGET_TEST_KEY';

interface Setup {
  policy: string;
  townBudgets?: string;
  /** Usage recorded before the session (earlier sessions, other beads). */
  before?: (town: RigTown, bead: string) => Promise<void>;
}

const run = (command: string) => ({ name: 'run_command', input: { command } });

/** Turn 1 writes notes.txt cheaply; turn 2 reports `usage` and asks to write more.txt. */
const script = (usage: ScriptedTurn['usage']): ScriptedTurn[] => [
  { text: 'Writing notes.', toolCalls: [run('echo first > notes.txt')], usage: { input: 1000, output: 100 } },
  { text: 'Writing more.', toolCalls: [run('echo second > more.txt')], usage },
  { text: 'All done.', usage: { input: 10, output: 10 } },
];

async function runBudgeted(setup: Setup, turns: ScriptedTurn[]) {
  const server: ModelServer = await startModelServer({ script: turns });
  try {
    const town = await makeRigTown();
    await writeFile(
      join(town.root, 'town.yaml'),
      `name: testtown\n${setup.townBudgets ? `budgets: ${setup.townBudgets}\n` : ''}agents:\n  anthropic:\n` +
        `    base_url: ${server.url}\n    model: claude-sonnet-4-5\n    api_key_env: ${keyVar}\n`,
    );
    await writeFile(join(town.root, 'policy.yaml'), setup.policy);
    const bead = await town.bead('Write some notes', []);
    await setup.before?.(town, bead);
    const result = await runGt(
      ['--town', town.root, '--json', 'sling', bead, town.rig, '--agent', 'anthropic'],
      {
        env: { [keyVar]: 'sk-scripted' },
      },
    );
    const json = JSON.parse(result.stdout || '{}') as { outcome?: string; summary?: string; commit?: string };
    return {
      town,
      bead,
      result,
      json,
      requests: server.requests.filter((r) => r.api === 'anthropic').length,
    };
  } finally {
    await server.close();
  }
}

async function expectStopped(run: Awaited<ReturnType<typeof runBudgeted>>, reason: RegExp): Promise<void> {
  const { town, bead, json } = run;
  expect(json.outcome, run.result.stderr).toBe('budget_exceeded');
  expect(json.summary).toMatch(reason);
  // The second write was refused by the budget, in the ledger with the numbers.
  const calls = (await town.ok('--json', 'feed', '--bead', bead, '--kind', 'tool.call', '-n', '0'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { payload: Record<string, unknown> });
  expect(calls.map((c) => [c.payload.command, c.payload.decision, c.payload.rule])).toEqual([
    ['echo first > notes.txt', 'allow', 'builtin:dev-commands'],
    ['echo second > more.txt', 'deny', 'budget'],
  ]);
  expect(String(calls[1]?.payload.reason)).toMatch(reason);
  // The work so far is committed on the polecat's branch; the refused file never existed.
  const commit = json.commit ?? '';
  const repo = join(town.root, town.rig, 'repo.git');
  expect((await execa('git', ['-C', repo, 'show', `${commit}:notes.txt`])).stdout).toBe('first');
  const files = (await execa('git', ['-C', repo, 'ls-tree', '--name-only', commit])).stdout.split('\n');
  expect(files).not.toContain('more.txt');
  const [after] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as { status: string }[];
  expect(after?.status).toBe('open');
  const escalations = JSON.parse(await town.ok('--json', 'escalate', 'list')) as {
    kind: string;
    summary: string;
  }[];
  expect(escalations.map((e) => e.kind)).toEqual(['budget']);
  expect(escalations[0]?.summary).toMatch(reason);
  // gt costs counts the session's model calls under its bead.
  const costs = JSON.parse(await town.ok('--json', 'costs', '--by', 'bead')) as {
    rows: { key: string; sessions: number }[];
  };
  expect(costs.rows.find((r) => r.key === bead)?.sessions).toBeGreaterThan(0);
}

async function withTown(
  town: RigTown,
  fn: (services: ReturnType<typeof openTownServices>) => Promise<void> | void,
) {
  const services = openTownServices(town.root, { env: {} });
  try {
    await fn(services);
  } finally {
    services.close();
  }
}

describe('a model session at its budget', () => {
  it('stops when the session’s tokens are spent; no model call follows', async () => {
    const run = await runBudgeted(
      { policy: 'budgets:\n  session:\n    tokens: 50000\n' },
      script({ input: 100_000, output: 100 }),
    );
    await expectStopped(run, /session token budget spent \(101200 of 50000 tokens\)/);
    expect(run.requests).toBe(2);
  });

  it('stops when the session’s dollars are spent (priced from the table)', async () => {
    // claude-sonnet-4-5: 200,000 input tokens at $3 per million is $0.60.
    const run = await runBudgeted(
      { policy: 'budgets:\n  session:\n    usd: 0.5\n' },
      script({ input: 200_000, output: 100 }),
    );
    await expectStopped(run, /session USD budget spent \(\$0\.6060 of \$0\.5\)/);
  });

  it('stops when the bead’s dollars, counting its earlier sessions, are spent', async () => {
    const run = await runBudgeted(
      {
        policy: 'budgets:\n  bead:\n    usd: 1\n',
        before: (town, bead) =>
          withTown(town, (services) => {
            recordUsage(services, {
              sessionId: 'ses-earlier',
              beadId: bead,
              agent: 'anthropic',
              inputTokens: 1,
              outputTokens: 0,
              costUsd: 0.9,
            });
          }),
      },
      script({ input: 50_000, output: 100 }),
    );
    await expectStopped(run, /bead USD budget spent \(\$1\.0560 of \$1\)/);
  });

  it('stops when the convoy’s tokens, over all its beads, are spent', async () => {
    const run = await runBudgeted(
      {
        policy: 'budgets:\n  convoy:\n    tokens: 30000\n',
        before: async (town, bead) => {
          const other = await town.bead('Sibling', []);
          await town.ok('convoy', 'create', 'notes', bead, other);
          await withTown(town, (services) => {
            recordUsage(services, {
              beadId: other,
              agent: 'anthropic',
              inputTokens: 20_000,
              outputTokens: 0,
            });
          });
        },
      },
      script({ input: 9_000, output: 100 }),
    );
    await expectStopped(run, /convoy cv-\w+ token budget spent \(30200 of 30000 tokens\)/);
  });

  it('stops when the town’s daily dollars are spent', async () => {
    const run = await runBudgeted(
      {
        policy: '',
        townBudgets: '{usd_per_day: 2}',
        before: (town) =>
          withTown(town, (services) => {
            recordUsage(services, {
              beadId: 'hq-other',
              agent: 'claude-code',
              inputTokens: 0,
              outputTokens: 0,
              costUsd: 1.5,
            });
          }),
      },
      script({ input: 100, output: 40_000 }),
    );
    await expectStopped(run, /town daily \(\d{4}-\d{2}-\d{2}\) USD budget spent \(\$2\.1048 of \$2\)/);
  });

  it('stops at once, before any tool call, when the bead’s budget was spent before', async () => {
    const run = await runBudgeted(
      {
        policy: 'budgets:\n  bead:\n    tokens: 1000\n',
        before: (town, bead) =>
          withTown(town, (services) => {
            recordUsage(services, { beadId: bead, agent: 'anthropic', inputTokens: 1000, outputTokens: 0 });
          }),
      },
      script({ input: 10, output: 10 }),
    );
    expect(run.json.outcome, run.result.stderr).toBe('budget_exceeded');
    expect(run.json.summary).toBe('bead token budget spent (1000 of 1000 tokens)');
    const calls = await run.town.ok('--json', 'feed', '--bead', run.bead, '--kind', 'tool.call', '-n', '0');
    expect(calls.trim()).toBe('');
  });
});
