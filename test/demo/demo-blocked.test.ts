// `gt demo` on a machine without bubblewrap (a PATH that lacks `bwrap`): it says so and how to fix
// it, and exits non-zero at once, instead of watching a convoy that can never move.
import { afterAll, describe, expect, it } from 'vitest';
import { runGt } from '../support/cli.js';
import { pathWithout } from '../support/path-without.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

describe('gt demo without bubblewrap', () => {
  it('fails with what is missing and the fix, not a stalled convoy', { timeout: 120_000 }, async () => {
    const dir = await makeTempDir('gt-demo-blocked');
    const result = await runGt(['demo', '--dir', dir], { env: { PATH: await pathWithout('bwrap') } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('the town cannot run work');
    expect(result.stderr).toContain('bubblewrap is not installed');
    expect(result.stderr).toContain('`apt-get install -y bubblewrap`');
    // It never got as far as launching the convoy or watching it.
    expect(result.stdout).not.toContain('the daemon takes it from here');
    expect(result.stdout).not.toContain('did NOT land');
  });
});
