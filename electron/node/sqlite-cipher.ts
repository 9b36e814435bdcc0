/**
 * Encryption at rest of the host's SQLite files, with SQLite3 Multiple Ciphers
 * (better-sqlite3-multiple-ciphers) in its SQLCipher 4 scheme: AES-256-CBC pages authenticated by
 * HMAC-SHA512, a random 16-byte salt per file, 4096-byte pages. The key is the data folder's random
 * 256-bit storage key (storage-key.ts) given raw (x'…'), so no passphrase KDF runs at each open.
 * The -wal file and every backup (VACUUM INTO) are encrypted the same way.
 *
 * Files from outside the host (the base map's MBTiles, an imported GeoPackage) are opened without
 * a key: a connection without one reads plain SQLite.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import type { StorageKey } from './storage-key.js';

export type Db = Database.Database;
export type DbOptions = Database.Options;

/** The first 16 bytes of every unencrypted SQLite file. */
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function keyPragmas(db: Db, key: StorageKey, pragma: 'key' | 'rekey'): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`${pragma} = "x'${key.hex}'"`);
}

/** Opens a host file with the storage key (a new file is created encrypted). */
export function openEncrypted(file: string, key: StorageKey, options?: DbOptions): Db {
  const db = new Database(file, options);
  try {
    keyPragmas(db, key, 'key');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens a file from outside the host (a base map, a GeoPackage to import): plain SQLite, read only. */
export function openForeignReadOnly(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** True when the file exists and is an unencrypted SQLite database (what the host wrote before encryption). */
export function isPlainSqlite(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(PLAIN_HEADER);
  } finally {
    closeSync(fd);
  }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypts a plain SQLite file in place, keeping every row, the schema version and the pragmas
 * stored in the file. Crash-safe: the plain file is folded into one file (its WAL checkpointed),
 * a copy is encrypted beside it and only then renamed over it; a crash leaves the plain file whole
 * (and a stray .encrypting copy the next start overwrites).
 */
export function encryptPlainFile(file: string, key: StorageKey): void {
  const plain = new Database(file);
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    // rekey works on a rollback-journal database only; the host sets WAL again once it is encrypted
    plain.pragma('journal_mode = DELETE');
  } finally {
    plain.close();
  }
  const partial = `${file}.encrypting`;
  rmSync(partial, { force: true });
  copyFileSync(file, partial);
  try {
    const db = new Database(partial);
    try {
      keyPragmas(db, key, 'rekey');
    } finally {
      db.close();
    }
    fsyncFile(partial);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}
