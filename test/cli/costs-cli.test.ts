// `gt costs` through the built binary: an aligned table with a total, a stable --json shape, --since,
// the unpriced footnote, and a clear error for a grouping it does not know.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordUsage } from '../../src/roles/budget/usage.js';
import { openTownServices } from '../../src/town/services.js';
import { runGt } from '../support/cli.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

afterAll(removeTempDirs);

let root: string;
const gt = (...args: string[]) => runGt(['--town', root, ...args]);

beforeAll(async () => {
  root = (await makeTown()).root;
  const town = openTownServices(root, { env: {} });
  try {
    const at = (day: string) => ({ now: new Date(`${day}T09:30:00Z`) });
    const base = { rig: 'web', agent: 'anthropic', model: 'claude-sonnet-4-5' };
    recordUsage(
      town,
      { ...base, sessionId: 's1', beadId: 'gt-a', inputTokens: 1_000_000, outputTokens: 100_000 },
      at('2026-11-20'),
    );
    recordUsage(
      town,
      { ...base, sessionId: 's2', beadId: 'gt-b', inputTokens: 200_000, outputTokens: 0, costUsd: 0.25 },
      at('2026-11-21'),
    );
    recordUsage(
      town,
      {
        ...base,
        sessionId: 's3',
        beadId: 'gt-b',
        model: 'llama3.1:8b',
        inputTokens: 5000,
        outputTokens: 500,
      },
      at('2026-11-21'),
    );
  } finally {
    town.close();
  }
});

describe('gt costs', () => {
  it('prints an aligned table by bead, most expensive first, with a total and the unpriced note', async () => {
    const result = await gt('costs');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^BEAD\s+SESSIONS\s+INPUT\s+CACHE READ\s+CACHE WRITE\s+OUTPUT\s+USD$/);
    expect(lines[1]).toMatch(/^gt-a\s+1\s+1,000,000\s+0\s+0\s+100,000\s+\$4\.5000$/);
    expect(lines[2]).toMatch(/^gt-b\s+2\s+205,000\s+0\s+0\s+500\s+\$0\.2500\*$/);
    expect(lines[3]).toMatch(/^-+( +-+){6}$/);
    expect(lines[4]).toMatch(/^TOTAL\s+3\s+1,205,000\s+0\s+0\s+100,500\s+\$4\.7500\*$/);
    expect(lines[5]).toContain('1 usage report(s) of models without a price count as $0');
    // Columns line up: every row is as wide as the header.
    expect(new Set(lines.slice(0, 5).map((line) => line.length)).size).toBe(1);
  });

  it('groups by day, model, rig, agent and convoy, and filters with --since', async () => {
    const byDay = await gt('costs', '--by', 'day');
    expect(byDay.stdout).toMatch(/^2026-11-20\s/m);
    expect(byDay.stdout.indexOf('2026-11-20')).toBeLessThan(byDay.stdout.indexOf('2026-11-21'));
    expect((await gt('costs', '--by', 'model')).stdout).toMatch(/^llama3\.1:8b\s+1\s.*\$0\.0000\*$/m);
    expect((await gt('costs', '--by', 'convoy')).stdout).toMatch(/^\(none\)\s+3\s/m);
    const since = JSON.parse(
      (await gt('--json', 'costs', '--by', 'rig', '--since', '2026-11-21')).stdout,
    ) as {
      since: string;
      rows: { key: string; sessions: number }[];
    };
    expect(since.since).toBe('2026-11-21');
    expect(since.rows).toEqual([expect.objectContaining({ key: 'web', sessions: 2 })]);
    expect((await gt('costs', '--since', '2027-01-01')).stdout.trim()).toBe('No usage since 2027-01-01');
  });

  it('answers --json with rows and totals in a stable shape', async () => {
    const result = await gt('--json', 'costs', '--by', 'agent');
    expect(result.exitCode).toBe(0);
    const body = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['by', 'since', 'rows', 'totals']);
    expect(body).toMatchObject({
      by: 'agent',
      since: null,
      rows: [
        {
          key: 'anthropic',
          input_tokens: 1_205_000,
          cache_read_tokens: 0,
          cache_write_tokens: 0,
          output_tokens: 100_500,
          tokens: 1_305_500,
          cost_usd: 4.75,
          sessions: 3,
          unpriced: 1,
        },
      ],
      totals: { sessions: 3, cost_usd: 4.75, unpriced: 1 },
    });
  });

  it('refuses an unknown grouping or date, naming what it accepts', async () => {
    const by = await gt('costs', '--by', 'planet');
    expect(by.exitCode).toBe(2);
    expect(by.stderr).toContain(
      '--by: unknown grouping "planet" (one of bead, convoy, rig, agent, day, model)',
    );
    const since = await gt('costs', '--since', 'last week');
    expect(since.exitCode).toBe(2);
    expect(since.stderr).toContain('--since: "last week" is not a date');
  });
});
