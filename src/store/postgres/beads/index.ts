// The beads aggregate on PostgreSQL: `PostgresBeadStore` implements the BeadStore contract over a
// transaction source (a pool, or a unit of work's bound source). Its DDL is in ../schema/beads.ts.
export { PostgresBeadStore } from './postgres-bead-store.js';
export type { PostgresBeadStoreOptions, PostgresChangeRecorder } from './postgres-bead-store.js';
export { readyIds } from './ready.js';
export { encodeText, decodeText } from './text.js';
export { bulkInsertBeads } from './bulk.js';
