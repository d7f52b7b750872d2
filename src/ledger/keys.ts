// The town's ed25519 signing key for ledger checkpoints: created once by `gt install` under
// `.gt/keys/` (private key mode 0600), identified by the sha256 of its public key.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, GasTownError } from '../errors.js';
import { sha256Hex } from './hash.js';

export const privateKeyFile = 'ledger-ed25519.pem';
export const publicKeyFile = 'ledger-ed25519.pub.pem';

export interface TownKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  keyId: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

export function createTownKey(dir: string): TownKey {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privatePath = join(dir, privateKeyFile);
  if (existsSync(privatePath))
    throw new GasTownError(ErrorCode.conflict, `a ledger key already exists at ${privatePath}`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(join(dir, publicKeyFile), publicPem, { mode: 0o644 });
  return { privateKey, publicKey, publicPem, keyId: keyIdOf(publicKey) };
}

export function loadTownKey(dir: string): TownKey {
  const privatePath = join(dir, privateKeyFile);
  if (!existsSync(privatePath)) {
    throw new GasTownError(
      ErrorCode.notFound,
      `no ledger key at ${privatePath}; the town was not installed with gt install`,
    );
  }
  const privateKey = createPrivateKey(readFileSync(privatePath));
  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey, publicPem, keyId: keyIdOf(publicKey) };
}

export function loadPublicKey(pem: string, source: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (error) {
    throw new GasTownError(ErrorCode.invalidInput, `${source}: not a PEM public key`, { cause: error });
  }
}
