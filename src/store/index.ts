// The persistence boundary. Repositories (beads, rigs, polecats, sessions, merge queue, convoys,
// approvals, mail, escalations, usage, the ledger) are written against the seam in sql.ts and run on
// either adapter: sqlite/ (the embedded town file) or postgres/ (a shared server for a town that
// spans machines). Rules: only this folder holds SQL; every multi-step write runs in one
// `transaction`, and inside a unit of work every repository takes the same transaction.
// `openStore` is the way in; `store.events` is the ledger's tail and its wake-up signal.
export type { Dialect, RunResult, SqlRunner, SqlValue, TxOptions, TxSource } from './sql.js';
export { numberPlaceholders } from './sql.js';
export { boundSource } from './bound.js';
export type { EventTail, MigrationReport, SchemaStatus, Store, Tx, WakeSubscription } from './store.js';
export { unitOfWork } from './store.js';
export { openStore } from './open.js';
export type { OpenStoreOptions, StoreLocation } from './open.js';
export { resolveStoreUrl, storeUrlProblem } from './url.js';
export { sqliteRunner, sqliteSource } from './sqlite/connection.js';
export { sqliteStore } from './sqlite/store.js';
export { describeUrl, openPool, poolSource, runnerFor, storeError } from './postgres/connection.js';
export type { PoolOptions } from './postgres/connection.js';
export { migratePostgres, pgSchemaVersion } from './postgres/migrate.js';
export { pgMigrations } from './postgres/schema/index.js';
export type { PgMigration } from './postgres/schema/index.js';
export { LedgerRepository } from './ledger/index.js';
export type { LedgerRepositoryOptions } from './ledger/index.js';
