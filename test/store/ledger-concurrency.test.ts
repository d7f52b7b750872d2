// Four real processes append to the same ledger at once — the SQLite town file, or one PostgreSQL
// database through their own pools — and the chain stays one chain: seqs 1..total with no gap or
// duplicate, each process's own seqs rising, and verify() accepting every link.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerRepository } from '../../src/store/ledger/index.js';
import { backends, openLedgerBackend } from './ledger-backends.js';

const processes = 4;
// SQLite commits take microseconds: a process needs many to still be appending when the others start.
const perProcessOf = { sqlite: 400, postgres: 60 } as const;

interface Appender {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<{ seqs?: number[]; error?: string }>;
}

function spawnAppender(kind: string, location: string, name: string, perProcess: number): Appender {
  const child = fork(
    join(import.meta.dirname, 'ledger-append-worker.ts'),
    [kind, location, name, String(perProcess)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<{ seqs?: number[]; error?: string }>((resolve, reject) => {
    child.on('message', (message) => {
      if (message === 'ready') onReady();
      else resolve(message as { seqs?: number[]; error?: string });
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ error: `exited with ${code} before reporting` }));
  });
  return { child, ready, result };
}

describe.each(backends)('concurrent appenders on %s', (kind) => {
  it(`${processes} processes keep one gap-free chain`, { timeout: 180_000 }, async () => {
    const perProcess = perProcessOf[kind];
    const store = await openLedgerBackend(kind);
    try {
      const appenders = Array.from({ length: processes }, (_, i) =>
        spawnAppender(kind, store.where, `p${i}`, perProcess),
      );
      await Promise.all(appenders.map((a) => a.ready));
      for (const a of appenders) a.child.send('go');
      const results = await Promise.all(appenders.map((a) => a.result));
      for (const r of results) expect(r.error).toBeUndefined();
      const total = processes * perProcess;
      const all = results.flatMap((r) => r.seqs ?? []).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // The processes really interleaved: no one of them holds one contiguous block.
      const interleaved = results.filter((r) => {
        const seqs = [...(r.seqs ?? [])].sort((a, b) => a - b);
        return seqs[seqs.length - 1]! - seqs[0]! + 1 > seqs.length;
      });
      expect(interleaved.length).toBeGreaterThan(1);
      const repo = new LedgerRepository(store.source);
      expect(await repo.verify()).toMatchObject({ ok: true, events: total });
      const events = await repo.after(0, total);
      expect(new Set(events.map((e) => `${e.actor}/${String(e.payload.n)}`)).size).toBe(total);
    } finally {
      await store.close();
    }
  });
});
