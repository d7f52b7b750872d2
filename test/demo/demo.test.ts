// `gt demo` end to end through the binary: the convoy lands with every bead merged exactly once,
// the conflict and the failed check are reworked, the asked step is approved, and the ledger verifies.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGt } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';

describe('gt demo', () => {
  it('runs the sample convoy to the end and leaves a town that verifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gt-demo-test-'));
    const result = await runGt(['--json', 'demo', '--dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      landed: boolean;
      merged: number;
      reworked: number;
      asked: number;
      verified: boolean;
      root: string;
      convoy: string;
    };
    expect(summary).toMatchObject({ landed: true, merged: 8, asked: 1, verified: true });
    expect(summary.reworked).toBeGreaterThanOrEqual(1);
    for (const rig of ['calc', 'site']) {
      const trailers = await gitIn(
        join(summary.root, rig, 'repo.git'),
        'log',
        '--format=%(trailers:key=Gas-Town-Bead,valueonly)',
        'main',
      );
      // Four beads per rig reached main, each exactly once: reworks fold into one commit.
      const ids = trailers.split('\n').filter(Boolean);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
    }
    const calc = await gitIn(join(summary.root, 'calc', 'repo.git'), 'show', 'main:calc.js');
    expect(calc).toContain('export const mul');
    expect(calc).toContain('export const div');
    const status = JSON.parse(
      (await runGt(['--town', summary.root, '--json', 'convoy', 'status', summary.convoy])).stdout,
    ) as { convoy: { state: string } };
    expect(status.convoy.state).toBe('landed');
    const verify = await runGt(['--town', summary.root, 'audit', 'verify']);
    expect(verify.exitCode).toBe(0);
    const again = await runGt(['demo', '--dir', dir]);
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toContain('already exists');
  });
});
