/**
 * The data folder's storage key: the 256-bit key every SQLite file the host writes is encrypted
 * with (sqlite-cipher.ts). It lives in <data-dir>/storage.key, apart from the files it opens, so a
 * copied database or backup alone is unreadable; the data folder's backup must carry it too.
 *
 * The Chromium host keeps it as hex, in a file readable by the host's user only (0600), made on the
 * first start; a key file others may read, or one that cannot be read, stops the host with an
 * error naming the file. The Electron shell passes a KeySeal (electron-main/key-seal.ts): the file
 * then holds the key sealed by the OS keychain (safeStorage), useless on another machine or account.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from './sqlite-files.js';

export const STORAGE_KEY_FILE = 'storage.key';
const KEY_BYTES = 32;
const SEALED_PREFIX = 'sealed:';

/** Plain data (it crosses into the cache worker as workerData). */
export interface StorageKey {
  /** 64 hex digits. */
  readonly hex: string;
  /** The key file, for messages. */
  readonly file: string;
}

/** Seals the key at rest with something outside the data folder (Electron's safeStorage). */
export interface KeySeal {
  /** What seals it, for messages ("Electron safeStorage"). */
  readonly name: string;
  seal(plain: string): Promise<Buffer>;
  open(sealed: Buffer): Promise<string>;
}

/** A storage key that is missing, unreadable, too open or malformed; the message names the file and the fix. */
export class StorageKeyError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageKeyError';
  }
}

/** Refuses a key file another user owns or may read; permissions mean nothing on Windows (ACLs protect the profile there). */
function checkPrivate(file: string): void {
  if (process.platform === 'win32') return;
  const stats = statSync(file);
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
    throw new StorageKeyError(file, `${file} belongs to user ${stats.uid}, not to the host's user (${process.getuid()}): the storage key must be the host's own (chown it, or start the host as its owner)`);
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StorageKeyError(file, `${file} has mode 0${mode.toString(8)}: the storage key must be readable by the host's user only. Run: chmod 600 ${file}`);
  }
}

function parseHex(file: string, text: string): StorageKey {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new StorageKeyError(file, `${file} does not hold a 256-bit storage key (64 hex digits); restore it from the backup of the data folder`);
  return { hex: hex.toLowerCase(), file };
}

/**
 * Writes the key file whole or not at all (a crash never leaves half a key): the content goes to a
 * private temporary file first, then is linked in (`create`: fails with EEXIST when another opener
 * was first) or renamed over the old one (sealing a plain key in place).
 */
function writeKeyFile(file: string, content: string, how: 'create' | 'replace'): void {
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  writeFileSync(partial, content, { mode: 0o600, flag: 'wx' });
  try {
    if (how === 'create') linkSync(partial, file);
    else renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
}

function readKeyFile(file: string): string | null {
  try {
    checkPrivate(file);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof StorageKeyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new StorageKeyError(file, `${file}: cannot read the storage key (${(error as Error).message}); it must be a file the host's user can read`);
  }
}

/** The key file's text, written now (`content` for a fresh key) when there is none yet. */
function readOrCreate(file: string, content: () => string): string {
  const text = readKeyFile(file);
  if (text !== null) return text;
  try {
    writeKeyFile(file, content(), 'create');
  } catch (error) {
    // another opener of the same data folder wrote it first: use theirs
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StorageKeyError(file, `${file}: cannot create the storage key (${(error as Error).message})`);
  }
  const written = readKeyFile(file);
  if (written === null) throw new StorageKeyError(file, `${file}: the storage key vanished while it was being created`);
  return written;
}

const freshHex = () => randomBytes(KEY_BYTES).toString('hex');

/** The data folder's plain storage key (the Chromium host, the tools), made on the first start; a sealed one is refused. */
export function loadStorageKey(dataDir: string): StorageKey {
  const file = join(dataDir, STORAGE_KEY_FILE);
  ensurePrivateDir(dataDir);
  const text = readOrCreate(file, () => `${freshHex()}\n`);
  if (text.startsWith(SEALED_PREFIX)) {
    throw new StorageKeyError(file, `${file} is sealed by the Electron shell's OS keychain (safeStorage): only the Electron shell, on this machine and as this user, can open this data folder`);
  }
  return parseHex(file, text);
}

/** The storage key sealed by `seal` (the Electron shell): made sealed on the first start, and a plain one (from a Chromium host) sealed in place. */
export async function loadSealedStorageKey(dataDir: string, seal: KeySeal): Promise<StorageKey> {
  const file = join(dataDir, STORAGE_KEY_FILE);
  ensurePrivateDir(dataDir);
  const sealed = async (hex: string) => SEALED_PREFIX + (await seal.seal(hex)).toString('base64');
  const fresh = await sealed(freshHex());
  const text = readOrCreate(file, () => fresh);
  if (!text.startsWith(SEALED_PREFIX)) {
    const key = parseHex(file, text);
    writeKeyFile(file, await sealed(key.hex), 'replace');
    return key;
  }
  let plain: string;
  try {
    plain = await seal.open(Buffer.from(text.slice(SEALED_PREFIX.length).trim(), 'base64'));
  } catch (error) {
    throw new StorageKeyError(file, `${file}: ${seal.name} cannot unseal the storage key (${(error as Error).message}); it was sealed on another machine or by another user`);
  }
  return parseHex(file, plain);
}
