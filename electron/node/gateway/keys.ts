/**
 * The wall host's CURVE key pair (Z85), kept in a JSON file readable by the owner only. Created on
 * first start; the public key is what gateway vendors are given (docs/gateway-protocol.md).
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as zmq from 'zeromq';

export interface CurveKeyPair {
  /** 40-character Z85 text. */
  publicKey: string;
  /** 40-character Z85 text. Never leaves this machine. */
  secretKey: string;
}

/** The host's own key pair in its data folder: its gateway link's server key and, in a pair, its peer-link key. */
export const hostKeyFile = (dataDir: string): string => join(dataDir, 'keys', 'host-curve.json');

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

export function isZ85Key(text: unknown): text is string {
  return typeof text === 'string' && Z85_KEY.test(text);
}

/** Reads the key pair in `file`, or creates it (mode 0600) when the file does not exist. */
export function loadOrCreateKeyPair(file: string): CurveKeyPair {
  let raw: string | null = null;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (raw !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`${file}: not a JSON key pair`);
    }
    const { publicKey, secretKey } = (parsed ?? {}) as Partial<CurveKeyPair>;
    if (!isZ85Key(publicKey) || !isZ85Key(secretKey)) throw new Error(`${file}: publicKey and secretKey must be 40-character Z85 keys`);
    // A key file others can read is repaired rather than trusted silently.
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { publicKey, secretKey };
  }
  const pair = zmq.curveKeyPair();
  const keyPair: CurveKeyPair = { publicKey: pair.publicKey, secretKey: pair.secretKey };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Write aside, then link into place: a crash never leaves a half-written key file, and when two
  // processes start at once the first link wins and the other reads the winner's keys.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(keyPair, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return loadOrCreateKeyPair(file);
  } finally {
    unlinkSync(temp);
  }
  return keyPair;
}
