// The PostgreSQL schema, one module per aggregate, composed into versioned migrations. The tables
// are translated from the final state of the SQLite schema (src/db/migrations.ts) with types that
// read back the same through both drivers — TEXT for text, times and JSON; BIGINT (read as a
// number) for integers; DOUBLE PRECISION for REAL; identity columns where SQLite has a rowid key —
// so one SQL text in a repository runs on both backends.
// Append new versions at the end; never edit one that has shipped.
import { approvalsDdl } from './approvals.js';
import { beadsDdl } from './beads.js';
import { convoysDdl } from './convoys.js';
import { escalationsDdl } from './escalations.js';
import { eventsDdl } from './events.js';
import { ledgerDdl } from './ledger.js';
import { mailDdl } from './mail.js';
import { mergeQueueDdl } from './merge-queue.js';
import { nudgesDdl } from './nudges.js';
import { polecatsDdl } from './polecats.js';
import { rigsDdl } from './rigs.js';
import { sessionsDdl } from './sessions.js';
import { townStateDdl } from './town-state.js';
import { usageDdl } from './usage.js';

export { ledgerChannel } from './events.js';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const pgMigrations: readonly PgMigration[] = [
  {
    version: 1,
    name: 'the town',
    sql: [
      beadsDdl,
      ledgerDdl,
      eventsDdl,
      rigsDdl,
      polecatsDdl,
      sessionsDdl,
      approvalsDdl,
      mergeQueueDdl,
      convoysDdl,
      escalationsDdl,
      townStateDdl,
      usageDdl,
      mailDdl,
      nudgesDdl,
    ].join('\n'),
  },
];
