// The control plane: SQLite's own integrity checks over town.db, and its schema at the latest
// migration this gt knows.
import { existsSync } from 'node:fs';
import { migrations, schemaVersion } from '../db/migrations.js';
import { townPaths } from '../town/index.js';
import type { DoctorCheck, Finding } from './types.js';
import { errorMessage, fail, ok, warn } from './types.js';

const restore = (db: string) =>
  `stop the daemon (\`gt down\`), copy ${db} aside, then recover it (\`sqlite3 ${db} .recover | sqlite3 fixed.db\`) or restore a backup`;

export const databaseCheck: DoctorCheck = {
  name: 'database',
  town: true,
  run: (ctx) => {
    const file = townPaths(ctx.root!).db;
    if (!existsSync(file)) return [fail('database', `${file} is missing`, 'restore it from a backup')];
    const db = ctx.db();
    if (!db) return [fail('database', `${file} cannot be opened`, restore(file))];
    const findings: Finding[] = [];
    try {
      for (const pragma of ['integrity_check', 'quick_check'] as const) {
        const rows = db.pragma(pragma, { simple: false }) as Record<string, string>[];
        const problems = rows.map((row) => Object.values(row)[0]).filter((v) => v !== 'ok');
        findings.push(
          problems.length === 0
            ? ok(`database:${pragma}`, `PRAGMA ${pragma}: ok`)
            : fail(
                `database:${pragma}`,
                `PRAGMA ${pragma}: ${problems.slice(0, 3).join('; ')}`,
                restore(file),
              ),
        );
      }
      const version = schemaVersion(db);
      const latest = migrations.at(-1)?.version ?? 0;
      findings.push(
        version === latest
          ? ok('migrations', `schema at version ${version} (latest)`)
          : version < latest
            ? warn(
                'migrations',
                `schema at version ${version}, latest is ${latest}`,
                'run any `gt` command in the town (it migrates on open), e.g. `gt status`',
              )
            : fail(
                'migrations',
                `schema at version ${version}, newer than this gt (${latest})`,
                'upgrade gt',
              ),
      );
    } catch (error) {
      findings.push(fail('database', `${file}: ${errorMessage(error)}`, restore(file)));
    }
    return findings;
  },
};
