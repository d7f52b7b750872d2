// Messages between the claim-race test and its racer processes, checked with zod on both sides
// because they cross a process boundary.
import { z } from 'zod';

export const racerRequest = z.discriminatedUnion('kind', [
  /** Try to claim one bead, now. */
  z.object({ kind: z.literal('claim'), id: z.string() }),
  /** Claim from the ready set until it is empty. */
  z.object({ kind: z.literal('drain') }),
  /** Claim with `claimNext` (PostgreSQL's SKIP LOCKED path) until it finds nothing. */
  z.object({ kind: z.literal('drain-next') }),
  z.object({ kind: z.literal('stop') }),
]);
export type RacerRequest = z.infer<typeof racerRequest>;

export const racerReply = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('claimed'), id: z.string(), assignee: z.string() }),
  z.object({ kind: z.literal('refused'), id: z.string(), code: z.string(), message: z.string() }),
  z.object({ kind: z.literal('drained'), claimed: z.array(z.string()), lost: z.number().int() }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);
export type RacerReply = z.infer<typeof racerReply>;
