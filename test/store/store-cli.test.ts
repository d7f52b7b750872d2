// `gt store status` and `gt store migrate` in a real town, on the default SQLite file and on a
// PostgreSQL server named by store.url (its password from the environment, never printed), and the
// doctor's store check: reachable and current, behind, unreachable.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import { storeCheck } from '../../src/doctor/store.js';
import type { DoctorContext, Finding } from '../../src/doctor/types.js';
import { latestVersion } from '../../src/store/postgres/migrate.js';
import { freshDatabase, type TestDatabase } from '../support/postgres.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

const secret = 's3cret-never-shown';
const env = { GT_STORE_PASSWORD: secret, PATH: process.env.PATH };

async function gt(root: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['--town', root, ...argv], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env,
    cwd: root,
  });
  expect(out + err).not.toContain(secret);
  return { code, out, err };
}

/** A town whose store.url names a fresh database, with the password as a variable. */
async function pgTown(databases: TestDatabase[]): Promise<{ root: string; db: TestDatabase }> {
  const { root } = await makeTown();
  const db = await freshDatabase('cli');
  databases.push(db);
  const url = new URL(db.url);
  await appendFile(
    join(root, 'town.yaml'),
    `store:\n  url: "postgres://${url.username}:\${GT_STORE_PASSWORD}@${url.host}${url.pathname}"\n`,
  );
  return { root, db };
}

function context(root: string, extra: Record<string, string> = {}): DoctorContext {
  return {
    root,
    env: { ...env, ...extra },
    db: () => undefined,
    rigs: () => [],
    endpointTimeoutMs: 2000,
    diskWarnBytes: 0,
  };
}

describe('gt store', () => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });
  afterAll(removeTempDirs);

  it('reports the SQLite file by default, at the latest version', async () => {
    const { root } = await makeTown();
    const status = await gt(root, '--json', 'store', 'status');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({
      backend: 'sqlite',
      where: join(root, '.gt', 'town.db'),
      current: true,
    });
    const migrate = await gt(root, 'store', 'migrate');
    expect(migrate.out).toContain('nothing to apply');
    expect(await storeCheck.run(context(root))).toMatchObject([{ check: 'store', status: 'ok' }]);
  });

  it('migrates a PostgreSQL store named by store.url and reports it without the password', async () => {
    const { root, db } = await pgTown(databases);
    const before = JSON.parse((await gt(root, '--json', 'store', 'status')).out) as Record<string, unknown>;
    expect(before).toEqual({
      backend: 'postgres',
      where: `127.0.0.1:${new URL(db.url).port}/${db.name}`,
      schema_version: 0,
      latest: latestVersion(),
      current: false,
    });
    const behind = await storeCheck.run(context(root));
    expect(behind.map((f) => [f.check, f.status])).toEqual([
      ['store', 'ok'],
      ['store:schema', 'warn'],
    ]);
    expect(behind[1]?.fix).toContain('gt store migrate');

    const migrate = await gt(root, 'store', 'migrate');
    expect(migrate.code).toBe(0);
    expect(migrate.out).toContain(`applied version ${latestVersion()}`);
    expect(migrate.out).toContain(`schema version 0 -> ${latestVersion()}`);
    expect((await gt(root, 'store', 'status')).out).toMatch(
      /backend: PostgreSQL\nwhere: +127\.0\.0\.1:\d+\/gt_cli_\w+\nschema: +version \d+ \(latest\)/,
    );
    expect((await gt(root, 'store', 'migrate')).out).toContain('nothing to apply');
    const current = await storeCheck.run(context(root));
    expect(current.map((f) => f.status)).toEqual(['ok', 'ok']);
  });

  it('fails plainly when the password variable is unset or the server is unreachable', async () => {
    const { root } = await pgTown(databases);
    const unset = await run(['--town', root, 'store', 'status'], {
      stdout: () => undefined,
      stderr: (t) => expect(t).toContain('$GT_STORE_PASSWORD'),
      env: { PATH: process.env.PATH },
      cwd: root,
    });
    expect(unset).toBe(2);

    const { root: away } = await makeTown();
    await appendFile(
      join(away, 'town.yaml'),
      'store:\n  url: "postgres://gt:${GT_STORE_PASSWORD}@127.0.0.1:1/town"\n',
    );
    const status = await gt(away, 'store', 'status');
    expect(status.code).toBe(1);
    expect(status.err).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/town: .*ECONNREFUSED/);
    const findings: Finding[] = await storeCheck.run(context(away));
    expect(findings).toMatchObject([{ check: 'store', status: 'fail' }]);
    expect(JSON.stringify(findings)).not.toContain(secret);
  });
});
