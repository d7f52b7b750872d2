// The messages between the claim-race bench and its worker processes, checked with zod on arrival
// since they cross a process boundary.
import { z } from 'zod';

export const goMessage = z.object({ kind: z.literal('go') });

export const workerMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({
    kind: z.literal('done'),
    /** Every bead this worker claimed successfully. */
    claimed: z.array(z.string()),
    /** Claims refused with already_claimed: another worker won that bead. */
    lost: z.number().int(),
    /** Claims refused because the database stayed busy (should not happen with WAL + busy_timeout). */
    busy: z.number().int(),
  }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);
export type WorkerMessage = z.infer<typeof workerMessage>;
export type WorkerDone = Extract<WorkerMessage, { kind: 'done' }>;
