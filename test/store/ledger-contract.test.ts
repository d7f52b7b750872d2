// The ledger repository's contract, run on SQLite and on PostgreSQL: appends chain and read back,
// secrets never reach a row or a blob, long strings become blobs stored once, checkpoints sign the
// head, an append inside a unit of work commits or rolls back with the change, and every kind of
// tampering with raw SQL is named by verify().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor, createTownKey, type TownKey } from '../../src/ledger/index.js';
import { LedgerRepository } from '../../src/store/ledger/index.js';
import { backends, openLedgerBackend, type LedgerBackend } from './ledger-backends.js';

const secret = 'hunter2-very-secret-token-value';
const widgets = 'CREATE TABLE widgets (id TEXT PRIMARY KEY);';

describe.each(backends)('ledger repository on %s', (kind) => {
  let store: LedgerBackend;
  let repo: LedgerRepository;
  let keyDir: string;
  let key: TownKey;
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'gt-ledger-key-'));
    key = createTownKey(keyDir);
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  const open = async () => {
    store = await openLedgerBackend(kind, widgets);
    repo = new LedgerRepository(store.source, {
      redactor: createRedactor({ env: { DEPLOY_TOKEN: secret } }),
      blobThreshold: 64,
    });
  };
  afterEach(async () => store.close());
  const appendSome = async (n: number) => {
    for (let i = 1; i <= n; i++)
      await repo.append({
        kind: 'test.event',
        actor: i % 2 ? 'mayor' : 'deacon',
        bead_id: `gt-${i % 3}`,
        payload: { n: i },
      });
  };

  it('chains appends and reads them back by seq, filter and tail', async () => {
    await open();
    expect(await repo.head()).toEqual({ seq: 0, hash: '0'.repeat(64) });
    await appendSome(6);
    const head = await repo.head();
    expect(head.seq).toBe(6);
    const third = await repo.get(3);
    expect(third).toMatchObject({
      seq: 3,
      kind: 'test.event',
      actor: 'mayor',
      bead_id: 'gt-0',
      payload: { n: 3 },
    });
    expect(third?.prev_hash).toBe((await repo.get(2))?.hash);
    expect((await repo.query({ actor: 'deacon' })).map((e) => e.seq)).toEqual([2, 4, 6]);
    expect((await repo.query({ beadId: 'gt-1', newestFirst: true, limit: 1 })).map((e) => e.seq)).toEqual([
      4,
    ]);
    expect((await repo.after(4)).map((e) => e.seq)).toEqual([5, 6]);
    expect((await repo.after(0, 2)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await repo.get(99)).toBeUndefined();
    const many = await repo.appendMany([
      { kind: 'a', actor: 'witness', payload: {} },
      { kind: 'b', actor: 'witness', payload: {} },
    ]);
    expect(many.map((e) => e.seq)).toEqual([7, 8]);
    expect(many[0]!.ts).toBe(many[1]!.ts);
    expect(await repo.verify()).toMatchObject({ ok: true, events: 8, head_hash: many[1]!.hash });
  });

  it('redacts secrets before they reach any row or blob', async () => {
    await open();
    const event = await repo.append({
      kind: 'tool.call',
      actor: 'polecat',
      payload: {
        command: `deploy --token ${secret}`,
        password: 'pa55word!',
        log: `${'x'.repeat(100)} ${secret}`,
      },
    });
    expect(JSON.stringify(event.payload)).not.toContain(secret);
    const ref = await repo.putBlob(`output with ${secret} inside`);
    const rows = await store.raw.all<{ payload: string }>('SELECT payload FROM ledger');
    const blobs = await store.raw.all<{ content: Buffer }>('SELECT content FROM ledger_blobs');
    expect(rows.length).toBe(1);
    expect(blobs.length).toBe(2);
    for (const text of [...rows.map((r) => r.payload), ...blobs.map((b) => b.content.toString())]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('pa55word!');
    }
    expect((await repo.getBlob(ref.$blob))?.toString()).toContain('[REDACTED:');
  });

  it('moves long strings to blobs stored once by content hash', async () => {
    await open();
    const long = 'y'.repeat(500);
    const first = await repo.append({ kind: 'tool.result', actor: 'polecat', payload: { output: long } });
    await repo.append({ kind: 'tool.result', actor: 'polecat', payload: { output: long, again: [long] } });
    const ref = first.payload.output as { $blob: string; bytes: number };
    expect(ref.bytes).toBe(500);
    expect((await repo.getBlob(ref.$blob))?.toString()).toBe(long);
    const count = await store.raw.get<{ n: number }>('SELECT count(*) AS n FROM ledger_blobs');
    expect(Number(count?.n)).toBe(1);
    expect(await repo.verify()).toMatchObject({ ok: true, events: 2 });
  });

  it('signs checkpoints of the head and verifies them', async () => {
    await open();
    await appendSome(5);
    const cp = await repo.createCheckpoint(key, 'deacon', new Date('2026-12-01T00:00:00Z'));
    expect(cp).toMatchObject({ size: 5, key_id: key.keyId, time: '2026-12-01T00:00:00.000Z' });
    expect((await repo.get(6))?.payload).toMatchObject({ size: 5, head_hash: cp.head_hash });
    await appendSome(2);
    expect(await repo.listCheckpoints()).toEqual([cp]);
    expect(await repo.verify(key.publicKey)).toMatchObject({
      ok: true,
      events: 8,
      checkpoints: 1,
      key_id: key.keyId,
    });
    const other = createTownKey(join(keyDir, 'other'));
    expect((await repo.verify(other.publicKey)).problem).toMatchObject({ kind: 'forged_checkpoint', seq: 5 });
  });

  it('commits an append with the change of its unit of work, or rolls both back', async () => {
    await open();
    // The unit of work: the change and the event take the same transaction.
    await store.store.transaction(async (tx) => {
      await tx.sql.run('INSERT INTO widgets (id) VALUES (?)', ['kept']);
      await repo.bind(tx.source).append({ kind: 'widget.made', actor: 'mayor', payload: { id: 'kept' } });
    });
    await expect(
      store.store.transaction(async (tx) => {
        await tx.sql.run('INSERT INTO widgets (id) VALUES (?)', ['lost']);
        await repo.bind(tx.source).append({ kind: 'widget.made', actor: 'mayor', payload: { id: 'lost' } });
        throw new Error('the change failed after its event');
      }),
    ).rejects.toThrow('the change failed');
    const ids = await store.raw.all<{ id: string }>('SELECT id FROM widgets ORDER BY id');
    expect(ids.map((r) => r.id)).toEqual(['kept']);
    expect((await repo.query({ kind: 'widget.made' })).map((e) => e.payload.id)).toEqual(['kept']);
    // The rolled-back event left no gap: the next one takes seq 2.
    expect((await repo.append({ kind: 'after', actor: 'mayor', payload: {} })).seq).toBe(2);
    expect(await repo.verify()).toMatchObject({ ok: true, events: 2 });
  });

  it('keeps one chain under concurrent appends on one process', async () => {
    await open();
    const events = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        repo.append({ kind: 'burst', actor: `p${i % 4}`, payload: { i } }),
      ),
    );
    expect(events.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    expect(await repo.verify()).toMatchObject({ ok: true, events: 24 });
  });

  describe('names tampering done with raw SQL', () => {
    it('an edited payload', async () => {
      await open();
      await appendSome(6);
      await store.raw.run(`UPDATE ledger SET payload = '{"n":999}' WHERE seq = 4`);
      expect((await repo.verify()).problem).toMatchObject({ kind: 'edited', seq: 4 });
    });

    it('deleted events', async () => {
      await open();
      await appendSome(6);
      await store.raw.run('DELETE FROM ledger WHERE seq IN (2, 3)');
      expect((await repo.verify()).problem).toMatchObject({ kind: 'missing', seq: 2 });
    });

    it('events cut off after a checkpoint', async () => {
      await open();
      await appendSome(4);
      await repo.createCheckpoint(key, 'deacon');
      await store.raw.run('DELETE FROM ledger WHERE seq > 3');
      expect((await repo.verify(key.publicKey)).problem).toMatchObject({ kind: 'truncated', seq: 4 });
    });

    it('an edited blob', async () => {
      await open();
      await repo.append({ kind: 'tool.result', actor: 'polecat', payload: { output: 'z'.repeat(300) } });
      await store.raw.run('UPDATE ledger_blobs SET content = ?', [Buffer.from('something else')]);
      expect((await repo.verify()).problem).toMatchObject({ kind: 'blob_edited' });
    });

    it('a missing blob', async () => {
      await open();
      await repo.append({ kind: 'tool.result', actor: 'polecat', payload: { output: 'z'.repeat(300) } });
      await store.raw.run('DELETE FROM ledger_blobs');
      expect((await repo.verify()).problem).toMatchObject({ kind: 'blob_missing', seq: 1 });
    });
  });
});
