// Ledger benches: append throughput (single events and batches of 1,000) against plain SQLite
// inserts of the same rows without hashing, and verification of 1M events against hashing the
// same bytes with sha256 alone — both baselines measured in the same run on the same machine.
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb, type Db } from '../src/db/open.js';
import {
  Ledger,
  createCheckpoint,
  createTownKey,
  verifyDatabase,
  type LedgerEventInput,
} from '../src/ledger/index.js';
import { hashedBody, type LedgerRow } from '../src/ledger/event.js';
import { comparisonLine, line, perSecond, progress, rate, ratio } from './report.js';

export function sampleEvent(n: number): LedgerEventInput {
  return {
    kind: 'tool.call',
    actor: `web/polecats/nux`,
    bead_id: `gt-${(n % 997).toString(36)}`,
    session_id: `ses-${n % 13}`,
    payload: {
      tool: 'run',
      call_id: `step-${n}`,
      command: `npm test -- --shard ${n % 8}`,
      decision: 'allow',
      rule: 'builtin:dev-commands',
    },
  };
}

const plainInsert = `INSERT INTO ledger (seq, ts, kind, actor, bead_id, session_id, trace_id, span_id, parent_span_id, payload, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, '', '')`;

/** The same rows without the chain: no head read, no canonical JSON, no hash. */
function plainRows(db: Db, from: number, count: number, perTransaction: number): void {
  const insert = db.prepare(plainInsert);
  for (let start = 0; start < count; start += perTransaction) {
    db.transaction(() => {
      for (let n = start; n < Math.min(count, start + perTransaction); n++) {
        const e = sampleEvent(n);
        insert.run(
          from + n,
          new Date().toISOString(),
          e.kind,
          e.actor,
          e.bead_id,
          e.session_id,
          JSON.stringify(e.payload),
        );
      }
    }).immediate();
  }
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function benchLedgerAppend(dir: string): void {
  for (const [label, count, batch] of [
    ['single events', 5_000, 1],
    ['batches of 1,000', 50_000, 1_000],
  ] as const) {
    const ours = openDb(join(dir, `ledger-${batch}.db`));
    const plain = openDb(join(dir, `plain-${batch}.db`));
    const ledger = new Ledger(ours);
    const oursMs = time(() => {
      for (let start = 0; start < count; start += batch) {
        const inputs = Array.from({ length: Math.min(batch, count - start) }, (_, k) =>
          sampleEvent(start + k),
        );
        if (batch === 1) ledger.append(inputs[0]!);
        else ledger.appendMany(inputs);
      }
    });
    const plainMs = time(() => plainRows(plain, 1, count, batch));
    const oursRate = perSecond(count, oursMs);
    const plainRate = perSecond(count, plainMs);
    line(
      comparisonLine({
        name: `ledger append, ${label}`,
        value: rate(oursRate, 'events'),
        baselineName: 'plain SQLite inserts',
        baseline: rate(plainRate, 'rows'),
        ratio: oursRate / plainRate,
        target: { text: 'throughput ratio ≥ 0.5', ok: oursRate / plainRate >= 0.5 },
      }).replace(/ratio [^|]*\|/, `throughput ratio ${ratio(oursRate / plainRate)} |`),
    );
    ours.close();
    plain.close();
  }
}

export function benchLedgerVerify(dir: string, events: number): void {
  const db = openDb(join(dir, 'ledger-verify.db'));
  const ledger = new Ledger(db);
  progress(`appending ${events.toLocaleString('en-US')} events…`);
  for (let start = 0; start < events; start += 10_000) {
    ledger.appendMany(
      Array.from({ length: Math.min(10_000, events - start) }, (_, k) => sampleEvent(start + k)),
    );
  }
  // Baseline: sha256 over exactly the bytes the chain hashes, already in memory, chunk by chunk.
  let hashMs = 0;
  const page = db.prepare<[number, number], LedgerRow>(
    'SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  for (let after = 0; after < events; after += 100_000) {
    const bytes = page.all(after, 100_000).map((row) => [row.prev_hash, hashedBody(row)] as const);
    hashMs += time(() => {
      for (const [prev, body] of bytes) hash('sha256', prev + body, 'hex');
    });
  }
  // Once the chain alone, once with a checkpoint over everything, whose Merkle root verification
  // recomputes: one leaf and about one inner node hash more per event.
  const key = createTownKey(join(dir, 'keys'));
  for (const withCheckpoint of [false, true]) {
    if (withCheckpoint) createCheckpoint(ledger, key, 'deacon');
    progress(`verifying${withCheckpoint ? ' with a checkpoint' : ''}…`);
    let report: ReturnType<typeof verifyDatabase> | undefined;
    const verifyMs = time(() => {
      report = verifyDatabase(db, key.publicKey);
    });
    line(
      comparisonLine({
        name: `ledger verify ${events.toLocaleString('en-US')} events${withCheckpoint ? ' + Merkle checkpoint' : ', chain only'} (${report?.ok ? 'intact' : 'FAILED'})`,
        value: rate(perSecond(events, verifyMs), 'events'),
        baselineName: 'sha256 of the same bytes',
        baseline: rate(perSecond(events, hashMs), 'events'),
        ratio: verifyMs / hashMs,
        target: { text: 'ratio ≤ 3', ok: verifyMs / hashMs <= 3 },
      }),
    );
  }
  db.close();
}
