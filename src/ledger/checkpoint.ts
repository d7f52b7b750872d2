// Signed checkpoints: the town key signs {size, merkle_root, head_hash, time} over the first
// `size` events, so anyone holding the public key can later prove that nothing up to there was
// rewritten, dropped or reordered.
import { sign, verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson } from './canonical.js';
import type { TownKey } from './keys.js';
import type { LedgerEventInput } from './event.js';
import type { Ledger } from './ledger.js';
import type { LedgerHead } from './link.js';
import { merkleRoot } from './merkle.js';

export interface Checkpoint {
  size: number;
  merkle_root: string;
  head_hash: string;
  time: string;
  key_id: string;
  /** base64 ed25519 signature over `signedBytes`. */
  signature: string;
}

export function signedBytes(cp: Pick<Checkpoint, 'size' | 'merkle_root' | 'head_hash' | 'time'>): Buffer {
  return Buffer.from(
    canonicalJson({ size: cp.size, merkle_root: cp.merkle_root, head_hash: cp.head_hash, time: cp.time }),
  );
}

export function checkpointSignatureValid(cp: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedBytes(cp), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Signs the head over the given event hashes (seq 1..head.seq, in order). */
export function signCheckpoint(
  head: LedgerHead,
  hashes: Iterable<string>,
  key: TownKey,
  now = new Date(),
): Checkpoint {
  const body = {
    size: head.seq,
    merkle_root: merkleRoot(hashes),
    head_hash: head.hash,
    time: now.toISOString(),
  };
  return {
    ...body,
    key_id: key.keyId,
    signature: sign(null, signedBytes(body), key.privateKey).toString('base64'),
  };
}

/** The ledger event that records a checkpoint (the next checkpoint covers it). */
export function checkpointEvent(cp: Checkpoint, actor: string): LedgerEventInput {
  const { size, merkle_root, head_hash, time, key_id } = cp;
  return { kind: 'ledger.checkpoint', actor, payload: { size, merkle_root, head_hash, time, key_id } };
}

export function eventHashes(db: Database.Database, upTo?: number): string[] {
  const sql =
    upTo === undefined
      ? 'SELECT hash FROM ledger ORDER BY seq'
      : 'SELECT hash FROM ledger WHERE seq <= ? ORDER BY seq';
  const statement = db.prepare(sql).pluck();
  return (upTo === undefined ? statement.all() : statement.all(upTo)) as string[];
}

/**
 * Signs the current head, stores the checkpoint, and records it as a ledger event (which the
 * next checkpoint covers). One transaction.
 */
export function createCheckpoint(ledger: Ledger, key: TownKey, actor: string, now = new Date()): Checkpoint {
  const db = ledger.db;
  return db
    .transaction(() => {
      const head = ledger.head();
      const checkpoint = signCheckpoint(head, eventHashes(db, head.seq), key, now);
      db.prepare(
        `INSERT INTO ledger_checkpoints (size, merkle_root, head_hash, time, key_id, signature)
         VALUES (:size, :merkle_root, :head_hash, :time, :key_id, :signature)`,
      ).run(checkpoint);
      ledger.append(checkpointEvent(checkpoint, actor));
      return checkpoint;
    })
    .immediate();
}

export function listCheckpoints(db: Database.Database): Checkpoint[] {
  return db
    .prepare<[], Checkpoint>(
      'SELECT size, merkle_root, head_hash, time, key_id, signature FROM ledger_checkpoints ORDER BY id',
    )
    .all();
}
