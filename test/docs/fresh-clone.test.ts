// THE FRESH-CLONE TEST (slow: a build and the demo, under a minute on an idle machine). It does
// what a newcomer does, as CI does: clone the repository's HEAD into an empty directory and run the
// README's quick start exactly as written. Two steps cannot run here and are stood in for, each the
// same effect by other means: `apt-get install` (the test checks the packages are installed, and
// fails if not), and the download half of `npm ci` (the clone's node_modules links to this
// checkout's). npm runs offline with a private cache, so nothing is fetched and the user's npx
// cache is left alone.
import { existsSync } from 'node:fs';
import { mkdir, realpath, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, makeTempDir } from '../support/temp.js';
import { aptPackages, readRepoFile, repoRoot, sectionCommands } from './quick-start.js';

afterAll(removeTempDirs);

const [quickStart] = sectionCommands(readRepoFile('README.md'), 'Quick start');

function childEnv(tmp: string, cache: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'GT_TOWN' && !key.startsWith('npm_')) env[key] = value;
  }
  return { ...env, TMPDIR: tmp, npm_config_cache: cache, npm_config_offline: 'true', npm_config_yes: 'true' };
}

describe('a fresh clone', () => {
  it('runs the README quick start as written: the demo convoy lands and the ledger verifies', async () => {
    const [install, run] = quickStart!;
    for (const pkg of aptPackages(install!)) {
      const status = await execa('dpkg', ['-s', pkg], { reject: false });
      expect(status.exitCode, `${pkg} is not installed: ${install}`).toBe(0);
    }

    const work = await makeTempDir('gt-fresh-clone');
    const clone = join(work, 'gastown');
    await execa('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]);
    await symlink(await realpath(join(repoRoot, 'node_modules')), join(clone, 'node_modules'));
    expect(existsSync(join(clone, 'dist')), 'a fresh clone has no build').toBe(false);

    const env = childEnv(join(work, 'tmp'), join(work, 'npm-cache'));
    for (const dir of [env.TMPDIR!, env.npm_config_cache!]) await mkdir(dir, { recursive: true });
    const steps = run!.split('&&').map((step) => step.trim());
    expect(steps).toEqual(['npm ci', 'npx gt demo']);
    // `npm ci` less the download: its `prepare` (the build) is not run separately, because npx
    // itself runs `prepare` when it links this package to run its bin, the first time — so a build
    // that `npm ci` would break breaks this too.
    // The README's command, as written, through a shell.
    const demo = await execa('sh', ['-c', steps[1]!], {
      cwd: clone,
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(demo.exitCode, `${demo.stdout}\n${demo.stderr}`).toBe(0);
    expect(demo.stdout).toContain('The convoy landed.');
    expect(demo.stdout).toMatch(/merged 8 · /);
    expect(demo.stdout).toMatch(/ledger verified \(\d+ events\)/);

    const town = /The town is at (\S+)\./.exec(demo.stdout)?.[1];
    expect(town?.startsWith(env.TMPDIR!), `the demo's town is under the test's TMPDIR: ${town}`).toBe(true);
    const verify = await execa('node', [join(clone, 'dist/bin/gt.js'), '--town', town!, 'audit', 'verify'], {
      env,
      extendEnv: false,
      reject: false,
    });
    expect(verify.exitCode, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^Ledger intact/);
  }, 600_000);
});
