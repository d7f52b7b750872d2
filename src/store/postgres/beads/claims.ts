// The claim statements: each is one conditional UPDATE that also returns the whole bead, so a claim
// is a single round trip when no recorder needs a transaction around it. Under READ COMMITTED a
// racing claimant waits for the winner's row lock, re-checks the condition on the committed row and
// updates nothing: exactly one claim wins. `claimNext` picks the best ready bead with
// `FOR UPDATE SKIP LOCKED`, so concurrent claimants take different beads without losing races.
import type { ReadyFilter } from '../../../beads/store.js';
import type { SqlValue } from '../../sql.js';
import { hydrateFrom } from './hydrate.js';
import { readyWhere } from './ready.js';
import { named } from './text.js';

export interface ClaimValues {
  id: string;
  who: string;
  at: string;
  expires: number | null;
}

export function claimStatement(values: ClaimValues): [string, SqlValue[]] {
  return named(
    `WITH claimed AS (
       UPDATE beads SET status = 'in_progress', assignee = :who, updated_at = :at,
              lease_holder = :who, lease_expires_ms = :expires
        WHERE id = :id
          AND ((status IN ('open', 'hooked') AND (assignee IS NULL OR assignee = '' OR assignee = :who))
            OR (status = 'in_progress' AND assignee = :who))
        RETURNING *)
     ${hydrateFrom('claimed b')}`,
    { ...values },
  );
}

export function hookStatement(values: Omit<ClaimValues, 'expires'>): [string, SqlValue[]] {
  return named(
    `WITH claimed AS (
       UPDATE beads SET status = 'hooked', assignee = :who, updated_at = :at
        WHERE id = :id AND status = 'open' AND (assignee IS NULL OR assignee = '' OR assignee = :who)
        RETURNING *)
     ${hydrateFrom('claimed b')}`,
    { ...values },
  );
}

/** The best unassigned ready bead under `filter` (priority order unless `oldest`), claimed. */
export function claimNextStatement(
  filter: ReadyFilter,
  values: Omit<ClaimValues, 'id'>,
  now: number,
): [string, SqlValue[]] {
  const [where, params] = readyWhere(filter, now);
  const order = filter.sort === 'oldest' ? 'i.created_ms, i.id' : 'i.priority, i.created_ms, i.id';
  return named(
    `WITH pick AS (
       SELECT i.id FROM beads i WHERE ${where} AND (i.assignee IS NULL OR i.assignee = '')
        ORDER BY ${order} LIMIT 1 FOR UPDATE OF i SKIP LOCKED),
     claimed AS (
       UPDATE beads u SET status = 'in_progress', assignee = :who, updated_at = :at,
              lease_holder = :who, lease_expires_ms = :expires
         FROM pick WHERE u.id = pick.id
        RETURNING u.*)
     ${hydrateFrom('claimed b')}`,
    { ...params, ...values },
  );
}
