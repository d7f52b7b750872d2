import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openDb } from '../../src/db/open.js';
import { schemaVersion } from '../../src/db/migrations.js';
import { loadTownConfig } from '../../src/town/index.js';
import { runGt } from '../support/cli.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

describe('gt install', () => {
  it('creates town.yaml, a private .gt/ holding a migrated town.db, and mayor/', async () => {
    const dir = join(await makeTempDir(), 'town');
    const result = await runGt(['install', dir, '--name', 'gastown']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Created town "gastown" at ${dir}`);

    const config: unknown = parse(await readFile(join(dir, 'town.yaml'), 'utf8'));
    expect(config).toEqual({
      name: 'gastown',
      default_agent: 'script',
      budgets: {},
      dashboard: { port: 7777 },
      concurrency: { max_polecats: 8 },
      agents: {},
      telemetry: {},
      witness: { max_rework: 3, stall_after_seconds: 600, max_redispatch: 3 },
    });
    expect((await stat(join(dir, '.gt'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'mayor'))).isDirectory()).toBe(true);

    const db = openDb(join(dir, '.gt', 'town.db'), { migrate: false });
    try {
      expect(schemaVersion(db)).toBeGreaterThanOrEqual(1);
      expect(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'rigs'").get(),
      ).toBeDefined();
    } finally {
      db.close();
    }
  });

  it('names the town after its directory by default and reports it as JSON', async () => {
    const dir = join(await makeTempDir(), 'nested', 'deeper', 'springfield');
    const result = await runGt(['install', dir, '--json']);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ name: 'springfield', root: dir, db: join(dir, '.gt', 'town.db') });
  });

  it('installs into an existing non-empty directory and keeps its files', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'notes.txt'), 'keep me\n');
    await mkdir(join(dir, 'mayor'));
    await writeFile(join(dir, 'mayor', 'plan.md'), 'mine\n');
    const result = await runGt(['install', '.'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(await readFile(join(dir, 'mayor', 'plan.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'town.yaml'))).toBe(true);
  });

  it('refuses to install over an existing town and changes nothing', async () => {
    const dir = await makeTempDir();
    expect((await runGt(['install', dir, '--name', 'first'])).exitCode).toBe(0);
    const before = await readFile(join(dir, 'town.yaml'), 'utf8');
    const entries = await readdir(dir);

    const again = await runGt(['install', dir, '--name', 'second']);
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toContain(`a Gas Town already exists at ${dir}`);
    expect(await readFile(join(dir, 'town.yaml'), 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(entries);
  });

  it('refuses a directory that already has .gt/ even without town.yaml', async () => {
    const dir = await makeTempDir();
    await mkdir(join(dir, '.gt'));
    const result = await runGt(['install', dir, '--json']);
    expect(result.exitCode).not.toBe(0);
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'conflict' });
    expect(existsSync(join(dir, 'town.yaml'))).toBe(false);
  });
});

describe('town.yaml', () => {
  it('fills defaults for keys a hand-written file leaves out', async () => {
    const dir = await makeTempDir();
    expect((await runGt(['install', dir])).exitCode).toBe(0);
    await writeFile(join(dir, 'town.yaml'), 'name: tiny\n');
    expect(await loadTownConfig(dir)).toMatchObject({
      name: 'tiny',
      default_agent: 'script',
      dashboard: { port: 7777 },
    });
  });

  it('rejects an invalid file, naming the file and the bad field', async () => {
    const dir = await makeTempDir();
    expect((await runGt(['install', dir])).exitCode).toBe(0);
    await writeFile(join(dir, 'town.yaml'), 'name: t\ndashboard:\n  port: lots\n');
    await expect(loadTownConfig(dir)).rejects.toThrow(/town\.yaml[\s\S]*dashboard\.port/);
  });
});
