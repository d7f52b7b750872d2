// The PostgreSQL bead benches: the ready query at 10k and 100k beads and the 4-process claim race
// (ready + claim, and claimNext), each with its raw-driver baseline from the same run.
import { benchPgClaimRace } from './pg-claim-race.js';
import { benchPgReady } from './pg-ready.js';

export async function benchPostgresBeads(): Promise<void> {
  await benchPgReady({ size: 10_000, sampling: { warmup: 5, runs: 31 }, targetMs: 10 });
  await benchPgReady({ size: 100_000, sampling: { warmup: 3, runs: 11 } });
  for (const mode of ['ready-claim', 'claim-next'] as const) {
    await benchPgClaimRace({ beads: 10_000, workers: 4, mode, targetShare: 0.5 });
  }
}
