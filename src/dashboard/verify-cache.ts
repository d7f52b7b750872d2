// The ledger's verification status for the page, cached: verifying recomputes every hash (about a
// second per million events) so it runs in the background after a request finds the cache stale
// (the ledger grew and `maxAgeMs` passed), never inside a request, and never twice at once.
import type { Db } from '../db/open.js';
import type { VerifyReport } from '../ledger/index.js';
import { loadTownKey, verifyDatabase } from '../ledger/index.js';

export interface VerifyStatus {
  state: 'unchecked' | 'checking' | 'intact' | 'tampered';
  report?: VerifyReport;
  checked_at?: string;
  /** Ledger head when it was checked; events after it are not covered yet. */
  checked_seq?: number;
  took_ms?: number;
  /** Why the last check could not run. */
  error?: string;
}

export interface VerifyCache {
  /** The last result; schedules a fresh check in the background when it is stale. */
  status(head: number): VerifyStatus;
  /** Verifies now (the Overseer pressed "verify"). */
  refresh(): VerifyStatus;
}

export function verifyCache(
  db: Db,
  keysDir: string,
  options: { maxAgeMs: number; now: () => Date },
): VerifyCache {
  let last: VerifyStatus = { state: 'unchecked' };
  let checking = false;

  const run = (): VerifyStatus => {
    const started = options.now().getTime();
    const seq = db.prepare('SELECT coalesce(max(seq), 0) FROM ledger').pluck().get() as number;
    let publicKey;
    try {
      publicKey = loadTownKey(keysDir).publicKey;
    } catch {
      publicKey = undefined;
    }
    const report = verifyDatabase(db, publicKey);
    last = {
      state: report.ok ? 'intact' : 'tampered',
      report,
      checked_at: options.now().toISOString(),
      checked_seq: seq,
      took_ms: options.now().getTime() - started,
    };
    return last;
  };

  const stale = (head: number): boolean => {
    if (last.checked_at === undefined) return true;
    if (last.checked_seq === head) return false;
    return options.now().getTime() - Date.parse(last.checked_at) >= options.maxAgeMs;
  };

  return {
    status(head) {
      if (!checking && stale(head)) {
        checking = true;
        setImmediate(() => {
          try {
            run();
          } catch (error) {
            last = { state: 'unchecked', error: error instanceof Error ? error.message : String(error) };
          } finally {
            checking = false;
          }
        });
      }
      return checking && last.state === 'unchecked' ? { state: 'checking' } : last;
    },
    refresh: run,
  };
}
