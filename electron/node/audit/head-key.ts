/**
 * The host's Ed25519 key that signs the audit chain's head. The private key stays in the data
 * folder (0600); the public key is written beside it (and printed by `npm run audit -- public-key`)
 * so it can be kept off the machine: a verifier given that copy notices heads signed by a swapped key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../sqlite-files.js';
import { sha256 } from './canonical.js';

export const HEAD_KEY_FILE = 'audit-signing.key';
export const HEAD_PUBLIC_KEY_FILE = 'audit-signing.pub';

export interface SignedHead {
  seq: number;
  at: number;
  hash: string;
}

export interface HeadKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export const publicKeyPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
export const keyIdOf = (publicKey: KeyObject): string => sha256(publicKeyPem(publicKey)).slice(0, 16);

/** Reads the key from the data folder, or creates it (private key 0600, public key beside it). */
export function loadOrCreateHeadKey(dataDir: string): HeadKey {
  const file = join(dataDir, HEAD_KEY_FILE);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const pair = generateKeyPairSync('ed25519');
    pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      writeFileSync(file, pem, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (raced) {
      // another process of this host created it first: use that one
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      pem = readFileSync(file, 'utf8');
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${file}: not an Ed25519 private key (PEM)`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  exportPublicKey(join(dataDir, HEAD_PUBLIC_KEY_FILE), publicKeyPem(publicKey));
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** Writes the public key beside the private one when it is missing or stale; a full disk only postpones it to the next start. */
function exportPublicKey(file: string, pem: string): void {
  try {
    if (existsSync(file) && readFileSync(file, 'utf8') === pem) return;
    writeFileSync(file, pem);
  } catch (error) {
    console.error(`ioc-wall: could not write the audit public key ${file}: ${(error as Error).message}`);
  }
}

/** A public key file (PEM), e.g. the copy kept off the machine. */
export function readPublicKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a public key (PEM): ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: not an Ed25519 public key`);
  return key;
}

const headMessage = (head: SignedHead): Buffer => Buffer.from(`ioc-wall/audit-head/v1\n${JSON.stringify([head.seq, head.at, head.hash])}`);

export const signHead = (key: HeadKey, head: SignedHead): string => sign(null, headMessage(head), key.privateKey).toString('base64');

export function headSignatureValid(publicKey: KeyObject, head: SignedHead, signature: string): boolean {
  try {
    return verify(null, headMessage(head), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
