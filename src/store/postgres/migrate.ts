// Versioned migrations for a PostgreSQL store. Applied versions are rows of `schema_migrations`;
// each version runs in its own transaction, so a crash leaves the database at a whole version. A
// session-level advisory lock serializes migrators, so several machines starting at once apply
// each version exactly once; a database newer than this gt is refused before anything is touched.
import type pg from 'pg';
import { ErrorCode, GasTownError } from '../../errors.js';
import { pgMigrations, type PgMigration } from './schema/index.js';

/** The advisory lock key every gt migrator takes ("gt-mig" in ASCII). */
const migrationLock = 0x67742d6d6967;

export interface MigrationReport {
  /** The version before. */
  from: number;
  /** The version now. */
  to: number;
  /** Versions this call applied, in order. */
  applied: number[];
}

export function latestVersion(migrations: readonly PgMigration[] = pgMigrations): number {
  return migrations.at(-1)?.version ?? 0;
}

/** The version a database is at: 0 when it has never been migrated. */
export async function pgSchemaVersion(client: pg.ClientBase): Promise<number> {
  const table = await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations') AS t");
  if (table.rows[0]?.t == null) return 0;
  const row = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return row.rows[0]?.v ?? 0;
}

export function newerSchemaError(version: number, latest: number, where: string): GasTownError {
  return new GasTownError(
    ErrorCode.store,
    `the store at ${where} is at schema version ${version}, newer than this gt knows (${latest}); upgrade gt`,
    { ids: { schema_version: String(version), latest: String(latest) } },
  );
}

/** Applies every pending migration; `where` names the store in errors (never a password). */
export async function migratePostgres(
  pool: pg.Pool,
  where: string,
  migrations: readonly PgMigration[] = pgMigrations,
): Promise<MigrationReport> {
  const client = await pool.connect();
  // A client whose unlock failed may still hold the lock: it must not go back to the pool.
  let keep = true;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      );
      const from = await pgSchemaVersion(client);
      const latest = latestVersion(migrations);
      if (from > latest) throw newerSchemaError(from, latest, where);
      const applied: number[] = [];
      for (const migration of migrations) {
        if (migration.version <= from) continue;
        await applyOne(client, migration);
        applied.push(migration.version);
      }
      return { from, to: Math.max(from, latest), applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]).catch(() => {
        keep = false;
      });
    }
  } finally {
    client.release(!keep);
  }
}

async function applyOne(client: pg.ClientBase, migration: PgMigration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
      migration.version,
      migration.name,
      new Date().toISOString(),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
