// `gt rig add` flags, `gt rig set | unset | show` against real towns through the built binary:
// values typed by the schema, comments kept, the rigs row and ledger in step, and a refused value
// leaving the file, the row and the ledger exactly as they were.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openDb } from '../../src/db/open.js';
import { loadRigConfig } from '../../src/town/index.js';
import { runGt } from '../support/cli.js';
import { makeRemote } from '../support/git-fixtures.js';
import type { GitRemote } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown, rigRows } from '../support/town.js';

let remote: GitRemote;

beforeAll(async () => {
  const { scratch } = await makeTown('fixtures');
  remote = await makeRemote(scratch);
});
afterAll(removeTempDirs);

const gt = (root: string, ...args: string[]) => runGt(['--town', root, ...args]);

function ledgerKinds(root: string): { kind: string; payload: Record<string, unknown> }[] {
  const db = openDb(join(root, '.gt', 'town.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT kind, payload FROM ledger ORDER BY seq')
      .all()
      .map((row) => {
        const { kind, payload } = row as { kind: string; payload: string };
        return { kind, payload: JSON.parse(payload) as Record<string, unknown> };
      });
  } finally {
    db.close();
  }
}

async function townWithRig(...flags: string[]) {
  const { root } = await makeTown();
  const added = await gt(root, 'rig', 'add', 'app', remote.path, ...flags);
  expect(added.stderr).toBe('');
  expect(added.exitCode).toBe(0);
  return { root, file: join(root, 'app', 'rig.yaml') };
}

describe('gt rig add with settings', () => {
  it('writes --merge-mode, --github and --max-polecats into rig.yaml', async () => {
    const { root, file } = await townWithRig(
      '--merge-mode',
      'pr',
      '--github',
      'acme/app',
      '--max-polecats',
      '2',
    );
    expect(parse(await readFile(file, 'utf8'))).toMatchObject({
      merge_mode: 'pr',
      github: { repo: 'acme/app' },
      max_polecats: 2,
    });
    const shown = await gt(root, 'rig', 'show', 'app', '--json');
    expect(shown.exitCode).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      rig: 'app',
      settings: { merge_mode: 'pr', github: { repo: 'acme/app' }, max_polecats: 2, check: null },
    });
  });

  it.each([
    [['--merge-mode', 'rebase'], 'merge_mode'],
    [['--github', 'not a slug'], 'github.repo'],
    [['--max-polecats', 'many'], 'max_polecats'],
    [['--max-polecats', '0'], 'max_polecats'],
  ])('refuses %j before cloning, naming %s, and leaves nothing', async (flags, key) => {
    const { root } = await makeTown();
    const before = await readdir(root);
    const result = await gt(root, 'rig', 'add', 'app', remote.path, ...flags);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`→ at ${key}`);
    expect(await readdir(root)).toEqual(before);
    expect(existsSync(join(root, 'app'))).toBe(false);
    expect(rigRows(root)).toEqual([]);
    // Refused before anything was staged: not even the scratch directory was made.
    expect(existsSync(join(root, '.gt', 'tmp'))).toBe(false);
  });
});

describe('gt rig set and unset', () => {
  it('sets typed values, creates nested groups, keeps comments and records each change', async () => {
    const { root, file } = await townWithRig();
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('merge_mode:', '# how we land\nmerge_mode:'),
    );

    expect((await gt(root, 'rig', 'set', 'app', 'merge_mode', 'pr')).exitCode).toBe(0);
    expect((await gt(root, 'rig', 'set', 'app', 'max_polecats', '7')).exitCode).toBe(0);
    expect((await gt(root, 'rig', 'set', 'app', 'github.auto_merge', 'yes')).exitCode).toBe(0);
    const nested = await gt(root, 'rig', 'set', 'app', 'github.api_url', 'https://ghe.example.com/api/v3');
    expect(nested.stdout).toBe('app: github.api_url = https://ghe.example.com/api/v3 (was unset)');

    const text = await readFile(file, 'utf8');
    expect(text).toContain('# how we land\nmerge_mode: pr\n');
    expect(text).toContain('# Gas Town: rig settings.');
    const config = await loadRigConfig(file);
    expect(config).toMatchObject({
      merge_mode: 'pr',
      max_polecats: 7,
      github: { api_url: 'https://ghe.example.com/api/v3', auto_merge: true, require_review: false },
    });
    const updates = ledgerKinds(root).filter((e) => e.kind === 'rig.updated');
    expect(updates.map((e) => e.payload)).toEqual([
      { name: 'app', setting: 'merge_mode', from: 'local', to: 'pr' },
      { name: 'app', setting: 'max_polecats', from: 4, to: 7 },
      { name: 'app', setting: 'github.auto_merge', from: null, to: true },
      { name: 'app', setting: 'github.api_url', from: null, to: 'https://ghe.example.com/api/v3' },
    ]);
  });

  it('changes the check in rig.yaml and in the rigs row together, and unset brings back the default', async () => {
    const { root, file } = await townWithRig();
    expect((await gt(root, 'rig', 'set', 'app', 'check', 'npm test -- --ci')).exitCode).toBe(0);
    expect((await loadRigConfig(file)).check).toBe('npm test -- --ci');
    expect(rigRows(root)[0]?.check_command).toBe('npm test -- --ci');

    const unset = await gt(root, 'rig', 'unset', 'app', 'check');
    expect(unset.exitCode).toBe(0);
    expect((await loadRigConfig(file)).check).toBeNull();
    expect(parse(await readFile(file, 'utf8'))).not.toHaveProperty('check');
    expect(rigRows(root)[0]?.check_command).toBeNull();
  });

  it.each([
    [['max_polecats', 'lots'], 'max_polecats must be a number, not "lots"'],
    [['github.auto_merge', 'maybe'], 'github.auto_merge must be true or false, not "maybe"'],
    [['max_polecats', '-1'], '→ at max_polecats'],
    [['merge_mode', 'squash'], '→ at merge_mode'],
    [['github.repo', 'acme'], '→ at github.repo'],
    [['github.api_url', 'not a url'], '→ at github.api_url'],
    [
      ['github', 'acme/app'],
      'github is a group of settings; set one of its keys (github.api_url, github.repo',
    ],
    [['branch', 'dev'], 'branch is fixed when the rig is added'],
    [['prefix', 'zz'], 'prefix is fixed when the rig is added'],
    [['merge-mode', 'pr'], 'no setting named "merge-mode"; settings: check, merge_mode'],
    [['check', ''], '→ at check'],
  ])('refuses %j, naming the key, and changes nothing', async (args, message) => {
    const { root, file } = await townWithRig('--check', 'make test');
    const text = await readFile(file, 'utf8');
    const rows = rigRows(root);
    const events = ledgerKinds(root).length;
    const result = await gt(root, 'rig', 'set', 'app', ...args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(rigRows(root)).toEqual(rows);
    expect(ledgerKinds(root)).toHaveLength(events);
    expect((await readdir(join(root, 'app'))).sort()).toEqual(['refinery', 'repo.git', 'rig.yaml']);
  });

  it('names an unknown rig', async () => {
    const { root } = await makeTown();
    const result = await gt(root, 'rig', 'set', 'nope', 'merge_mode', 'pr');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('rig not found: nope');
  });
});

describe('gt rig show', () => {
  it('lists every setting and marks the defaults', async () => {
    const { root } = await townWithRig('--merge-mode', 'push');
    const result = await gt(root, 'rig', 'show', 'app');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('  merge_mode: push');
    expect(lines).toContain('  max_polecats: 4  (default)');
    expect(lines).toContain('  branch: main');
  });
});
