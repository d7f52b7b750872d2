// When the Refinery may take the Witness's check instead of running it again: only for a candidate
// whose tree is exactly the tree the Witness checked — the rebase was a no-op (the target had not
// moved since the branch was cut), so the candidate is the verified head or its squash, same tree —
// and only when the Witness ran the same command in the same kind of sandbox on a worktree holding
// exactly that tree (no change, no untracked or ignored file: `clean` in its event). A tree nobody
// checked is always checked. The reuse is recorded in merge.checked with the tree id.
import { z } from 'zod';
import { gitAt } from '../../git/index.js';
import type { SandboxMode } from '../../sandbox/index.js';
import type { MergeRequest } from './merge-queue.js';
import type { RefineryContext } from './refinery-context.js';
import { WitnessEvent } from '../witness/witness-history.js';

export interface ReusedCheck {
  /** The tree the Witness checked, which is the candidate's. */
  tree: string;
  /** The witness.verified event that recorded the passing check. */
  witnessSeq: number;
}

const verifiedPayload = z.object({
  head: z.string(),
  checked: z.boolean(),
  clean: z.boolean().optional(),
  check: z.string().nullable().optional(),
  sandbox: z.string().optional(),
});

/**
 * The Witness's passing check of `mr.head_commit`, if it may stand in for running `command` under
 * `sandbox` on `candidate` (whose tree the caller knows to be the head's).
 */
export async function reusableCheck(
  ctx: RefineryContext,
  mr: MergeRequest,
  candidate: string,
  command: string,
  sandbox: SandboxMode,
): Promise<ReusedCheck | undefined> {
  const rows = ctx.town.db
    .prepare<[string, string], { seq: number; payload: string }>(
      `SELECT seq, payload FROM ledger WHERE bead_id = ? AND kind = ? ORDER BY seq DESC LIMIT 20`,
    )
    .all(mr.bead_id, WitnessEvent.verified);
  for (const row of rows) {
    const parsed = verifiedPayload.safeParse(JSON.parse(row.payload));
    if (!parsed.success || parsed.data.head !== mr.head_commit) continue;
    const p = parsed.data;
    if (!p.checked || p.clean !== true || p.check !== command || p.sandbox !== sandbox) return undefined;
    const tree = await gitAt({ gitDir: ctx.paths.repo }, ['rev-parse', '--verify', `${candidate}^{tree}`]);
    return { tree, witnessSeq: row.seq };
  }
  return undefined;
}
