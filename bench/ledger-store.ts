// The ledger repository on both backends: append rate (single events, each its own transaction,
// and batches of 1,000) against plain INSERTs of the same rows through the raw driver, and verify
// rate against the raw driver reading the same rows and sha256-hashing the same bytes — every
// baseline measured in the same run, on the same backend.
import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { Db } from '../src/db/open.js';
import { hashedBody, type LedgerRow } from '../src/ledger/event.js';
import { LedgerRepository } from '../src/store/ledger/index.js';
import { rowPageSql } from '../src/store/ledger/sql.js';
import { poolSource } from '../src/store/postgres/connection.js';
import { sqliteSource } from '../src/store/sqlite/connection.js';
import { numberPlaceholders, type TxSource } from '../src/store/sql.js';
import { sampleEvent } from './ledger.js';
import { openBenchPostgres, openBenchSqlite, type BenchPostgres } from './ledger-store-db.js';
import { comparisonLine, line, perSecond, progress, rate } from './report.js';

type Kind = 'sqlite' | 'postgres';

/** One backend's raw driver: plain inserts of sample rows (no chain) and reads of ledger pages. */
interface Raw {
  insertEach(from: number, count: number): Promise<void>;
  insertBatch(from: number, count: number): Promise<void>;
  readPage(after: number, upTo: number, limit: number): Promise<LedgerRow[]>;
}

interface Backend {
  kind: Kind;
  source: TxSource;
  raw: Raw;
  close(): Promise<void>;
}

const plainColumns = 'seq, ts, kind, actor, bead_id, session_id, payload, prev_hash, hash';
const plainValues = (n: number): (string | number | null)[] => {
  const e = sampleEvent(n);
  return [
    n,
    new Date().toISOString(),
    e.kind,
    e.actor,
    e.bead_id ?? null,
    e.session_id ?? null,
    JSON.stringify(e.payload),
    '',
    '',
  ];
};

function sqliteRaw(db: Db): Raw {
  const insert = db.prepare(`INSERT INTO ledger (${plainColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const page = db.prepare<[number, number, number], LedgerRow>(rowPageSql);
  return {
    insertEach: (from, count) => {
      for (let n = from; n < from + count; n++)
        db.transaction(() => insert.run(...plainValues(n))).immediate();
      return Promise.resolve();
    },
    insertBatch: (from, count) => {
      db.transaction(() => {
        for (let n = from; n < from + count; n++) insert.run(...plainValues(n));
      }).immediate();
      return Promise.resolve();
    },
    readPage: (after, upTo, limit) => Promise.resolve(page.all(after, upTo, limit)),
  };
}

function postgresRaw(pool: pg.Pool): Raw {
  const single = `INSERT INTO ledger (${plainColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
  return {
    // One statement per row in autocommit: as cheap as a write to PostgreSQL gets.
    insertEach: async (from, count) => {
      for (let n = from; n < from + count; n++) await pool.query(single, plainValues(n));
    },
    // Multi-row INSERTs of 500 in one transaction, as the repository writes a batch.
    insertBatch: async (from, count) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let start = from; start < from + count; start += 500) {
          const rows = Array.from({ length: Math.min(500, from + count - start) }, (_, k) =>
            plainValues(start + k),
          );
          const values = rows.map(
            (_, r) => `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')})`,
          );
          await client.query(`INSERT INTO ledger (${plainColumns}) VALUES ${values.join(', ')}`, rows.flat());
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    readPage: async (after, upTo, limit) =>
      (await pool.query<LedgerRow>(numberPlaceholders(rowPageSql), [after, upTo, limit])).rows,
  };
}

async function openBackend(kind: Kind, dir: string, label: string): Promise<Backend | undefined> {
  if (kind === 'sqlite') {
    const db = openBenchSqlite(dir, label);
    return { kind, source: sqliteSource(db), raw: sqliteRaw(db), close: async () => void db.close() };
  }
  const server: BenchPostgres | undefined = await openBenchPostgres(label);
  if (server === undefined) return undefined;
  return {
    kind,
    source: poolSource(server.pool),
    raw: postgresRaw(server.pool),
    close: () => server.close(),
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export interface LedgerStoreBenchOptions {
  dir: string;
  /** Single-event appends per backend. */
  singles: Record<Kind, number>;
  /** Events appended in batches of 1,000 per backend. */
  batched: Record<Kind, number>;
  /** Events verified per backend. */
  verified: Record<Kind, number>;
}

export async function benchLedgerStore(options: LedgerStoreBenchOptions): Promise<void> {
  for (const kind of ['sqlite', 'postgres'] as const) {
    const ours = await openBackend(kind, options.dir, 'ours');
    const plain = await openBackend(kind, options.dir, 'plain');
    if (ours === undefined || plain === undefined) {
      line(`ledger repository on ${kind}: skipped (no PostgreSQL server: set GT_BENCH_PG_URL)`);
      continue;
    }
    try {
      await benchAppends(ours, plain, options);
    } finally {
      await ours.close();
      await plain.close();
    }
    const verified = await openBackend(kind, options.dir, 'verify');
    if (verified === undefined) continue;
    try {
      await benchVerify(verified, options.verified[kind]);
    } finally {
      await verified.close();
    }
  }
}

/**
 * Ours and the baseline take turns in rounds (who goes first alternates), so a burst of load from
 * elsewhere on a shared machine falls on both instead of skewing one.
 */
async function interleaved(
  rounds: number,
  ours: (round: number) => Promise<unknown>,
  plain: (round: number) => Promise<unknown>,
): Promise<{ oursMs: number; plainMs: number }> {
  let oursMs = 0;
  let plainMs = 0;
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      oursMs += await time(() => ours(round));
      plainMs += await time(() => plain(round));
    } else {
      plainMs += await time(() => plain(round));
      oursMs += await time(() => ours(round));
    }
  }
  return { oursMs, plainMs };
}

async function benchAppends(ours: Backend, plain: Backend, options: LedgerStoreBenchOptions): Promise<void> {
  const repo = new LedgerRepository(ours.source);
  const rounds = 10;
  const singles = Math.ceil(options.singles[ours.kind] / rounds);
  const batches = Math.ceil(options.batched[ours.kind] / rounds / 1_000);
  // Warm both up (statement caches, pool connections) outside the timings.
  for (let n = 1; n <= 50; n++) await repo.append(sampleEvent(n));
  await plain.raw.insertEach(1, 50);
  let nextPlain = 51;
  const single = await interleaved(
    rounds,
    async (round) => {
      for (let n = 0; n < singles; n++) await repo.append(sampleEvent(round * singles + n));
    },
    async () => {
      await plain.raw.insertEach(nextPlain, singles);
      nextPlain += singles;
    },
  );
  const batched = await interleaved(
    rounds,
    async (round) => {
      for (let b = 0; b < batches; b++)
        await repo.appendMany(
          Array.from({ length: 1_000 }, (_, k) => sampleEvent((round * batches + b) * 1_000 + k)),
        );
    },
    async () => {
      for (let b = 0; b < batches; b++) {
        await plain.raw.insertBatch(nextPlain, 1_000);
        nextPlain += 1_000;
      }
    },
  );
  const measured = [
    {
      label: 'single events',
      count: singles * rounds,
      ...single,
      baseline: ours.kind === 'sqlite' ? 'plain INSERT, one transaction each' : 'plain INSERT, autocommit',
    },
    {
      label: 'batches of 1,000',
      count: batches * rounds * 1_000,
      ...batched,
      baseline: 'plain INSERTs, one transaction per 1,000',
    },
  ];
  for (const m of measured) {
    const oursRate = perSecond(m.count, m.oursMs);
    const plainRate = perSecond(m.count, m.plainMs);
    line(
      comparisonLine({
        name: `ledger repository append on ${ours.kind}, ${m.label}`,
        value: rate(oursRate, 'events'),
        baselineName: m.baseline,
        baseline: rate(plainRate, 'rows'),
        ratio: oursRate / plainRate,
        target: { text: 'throughput ratio ≥ 0.5', ok: oursRate / plainRate >= 0.5 },
      }).replace(/ratio ([^|]*)\|/, 'throughput ratio $1|'),
    );
  }
}

async function benchVerify(backend: Backend, events: number): Promise<void> {
  const repo = new LedgerRepository(backend.source);
  progress(`appending ${events.toLocaleString('en-US')} events on ${backend.kind}…`);
  for (let start = 0; start < events; start += 1_000)
    await repo.appendMany(
      Array.from({ length: Math.min(1_000, events - start) }, (_, k) => sampleEvent(start + k)),
    );
  // Baseline: the raw driver reads the same pages and sha256 hashes exactly the bytes the chain
  // hashes. Each side runs twice, in turns, and keeps its best time (load comes and goes).
  const baseline = async () => {
    for (let after = 0; after < events; after += 5_000) {
      for (const row of await backend.raw.readPage(after, events, 5_000))
        hash('sha256', row.prev_hash + hashedBody(row), 'hex');
    }
  };
  let ok = false;
  const ours = async () => {
    ok = (await repo.verify()).ok;
  };
  let baselineMs = Number.POSITIVE_INFINITY;
  let oursMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 2; round++) {
    baselineMs = Math.min(baselineMs, await time(baseline));
    oursMs = Math.min(oursMs, await time(ours));
  }
  line(
    comparisonLine({
      name: `ledger repository verify on ${backend.kind}, ${events.toLocaleString('en-US')} events (${ok ? 'intact' : 'FAILED'})`,
      value: rate(perSecond(events, oursMs), 'events'),
      baselineName: 'raw driver read + sha256 of the same bytes',
      baseline: rate(perSecond(events, baselineMs), 'events'),
      ratio: oursMs / baselineMs,
      target: { text: 'ratio ≤ 1.5', ok: oursMs / baselineMs <= 1.5 },
    }),
  );
}
