// The ledger: the hash chain, checkpoints and blobs verify (the same verification as
// `gt audit verify`). A bad ledger is never "repaired": the first bad record is named.
import { loadTownKey, verifyDatabase } from '../ledger/index.js';
import { townPaths } from '../town/index.js';
import type { DoctorCheck } from './types.js';
import { errorMessage, fail, ok } from './types.js';

export const ledgerCheck: DoctorCheck = {
  name: 'ledger',
  town: true,
  run: (ctx) => {
    const db = ctx.db();
    if (!db) return []; // the database check reports it
    try {
      const report = verifyDatabase(db, loadTownKey(townPaths(ctx.root!).keys).publicKey);
      if (report.ok)
        return [ok('ledger', `${report.events} events verify (${report.checkpoints} checkpoint(s))`)];
      const where = report.problem?.seq === undefined ? '' : ` at seq ${report.problem.seq}`;
      return [
        fail(
          'ledger',
          `the ledger does not verify${where}: ${report.problem?.message ?? 'unknown problem'}`,
          '`gt audit verify` names the first bad record; restore .gt/town.db from a backup — a ledger is never rewritten in place',
        ),
      ];
    } catch (error) {
      return [
        fail(
          'ledger',
          `cannot verify the ledger: ${errorMessage(error)}`,
          'run `gt audit verify` for details',
        ),
      ];
    }
  },
};
