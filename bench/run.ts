// `npm run bench`: the ready query at 10k and 100k beads and the multi-process claim race (SQLite,
// then PostgreSQL), a cold `gt bd ready --json`, ledger appends and verification (the sync Ledger,
// and the ledger repository on SQLite and PostgreSQL), a 40-bead convoy through the daemon and
// the idle daemon's CPU and memory, the dashboard at 100k events, a model request through the egress
// gate and a sandboxed step with its bridge — each printed with a baseline
// from the same run.
// Never part of the tests. Everything is written under one temp directory, removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchClaimRace } from './claim-race.js';
import { benchColdStart } from './cold-start.js';
import { benchDashboard } from './dashboard.js';
import { benchEgressLatency, benchEgressStep } from './egress.js';
import { benchIdleDaemon } from './idle-daemon.js';
import { benchLedgerAppend, benchLedgerVerify } from './ledger.js';
import { benchLedgerStore } from './ledger-store.js';
import { benchOrchestration } from './orchestration.js';
import { benchPostgresBeads } from './pg-beads.js';
import { benchReady } from './ready.js';
import { line, progress } from './report.js';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gt-bench-'));
  const started = performance.now();
  line(`Gas Town bench (node ${process.version}, ${process.platform}/${process.arch}); scratch: ${dir}`);
  try {
    await benchReady({ dir, size: 10_000, sampling: { warmup: 5, runs: 31 }, targetMs: 10 });
    await benchReady({ dir, size: 100_000, sampling: { warmup: 3, runs: 11 } });
    await benchClaimRace({ dir, beads: 10_000, workers: 4 });
    await benchPostgresBeads();
    benchColdStart({ dir, beads: 10_000, runs: 10, targetRatio: 3 });
    benchLedgerAppend(dir);
    benchLedgerVerify(dir, 1_000_000);
    await benchLedgerStore({
      dir,
      singles: { sqlite: 5_000, postgres: 2_000 },
      batched: { sqlite: 50_000, postgres: 20_000 },
      verified: { sqlite: 200_000, postgres: 100_000 },
    });
    await benchOrchestration({ dir, rigs: 2, beadsPerRig: 20, targetRatio: 1.5, timeoutMs: 120_000 });
    await benchDashboard({ dir, events: 100_000 });
    await benchEgressLatency(dir);
    await benchEgressStep(dir);
    await benchIdleDaemon({
      dir,
      rigs: 2,
      polecats: 10,
      seconds: 30,
      settleMs: 3_000,
      targetCpuPercent: 1,
      targetRssMb: 150,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  progress(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
