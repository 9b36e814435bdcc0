/**
 * How the host opens its own SQLite files (the wall database, the telemetry cache, the GIS
 * datasets): inside a private data folder (0700), as private files (0600, and so their -wal/-shm,
 * which SQLite creates with the main file's mode), checked with PRAGMA quick_check before anything
 * is written, and with every failure naming the file and what the technician can do.
 *
 * Every one is encrypted with the data folder's storage key (sqlite-cipher.ts); a plain file left
 * by an earlier version is encrypted in place before it is opened.
 *
 * A damaged file that can be rebuilt is moved aside as <name>.damaged-<time> and started afresh;
 * one that cannot (the wall database) is refused.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { encryptPlainFile, isPlainSqlite, openEncrypted, type Db } from './sqlite-cipher.js';
import type { StorageKey } from './storage-key.js';

export type { Db } from './sqlite-cipher.js';

/** The host's SQLite files, as the technician sees them named in messages. */
export type SqliteFileKind = 'wall database' | 'telemetry cache' | 'GIS datasets';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A damaged or unopenable SQLite file, named in the message. */
export class SqliteFileError extends Error {
  constructor(
    readonly file: string,
    readonly damaged: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'SqliteFileError';
  }
}

/** Creates the folder (and its missing parents) readable by the host's user only; an existing folder is left as it is. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * The host's data folder: created 0700, and an existing one (an installation from before) made
 * 0700 too when it is the host user's own. A folder others may write to (/tmp, a shared mount) is
 * not the host's to lock down and is left as it is.
 */
export function ensurePrivateDataDir(dir: string): void {
  ensurePrivateDir(dir);
  const stats = statSync(dir);
  const own = typeof process.getuid !== 'function' || stats.uid === process.getuid();
  if (own && (stats.mode & 0o002) === 0 && (stats.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** 0600 on the file and, when present, its -wal and -shm. */
export function makePrivate(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** SQLite saying the file's content is not a sound database. */
export function isDamage(error: unknown): boolean {
  return DAMAGE_CODES.has(codeOf(error));
}

/** The disk (or the database's size limit) is full, or the OS failed the write: the data is fine, the write was not done. */
export function isStorageFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR');
}

/** Bytes free to the host's user on the filesystem holding `path`, or null when the OS cannot say. */
export function freeBytes(path: string): number | null {
  try {
    const stats = statfsSync(existsSync(path) ? path : dirname(path));
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '? MB';
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** Null when PRAGMA quick_check finds the file sound, else its first findings. O(file size): run once at open. */
export function quickCheck(db: Db): string | null {
  try {
    const rows = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
    const findings = rows.map((r) => r.quick_check);
    return findings.length === 1 && findings[0] === 'ok' ? null : findings.join('; ');
  } catch (error) {
    if (isDamage(error)) return (error as Error).message;
    throw error;
  }
}

const stamp = (at: number) => new Date(at).toISOString().replace(/[:.]/g, '-');

/** Moves the file, its -wal and -shm aside as <file>.damaged-<time>(-wal|-shm); returns the new name of the file. */
export function moveAside(file: string, at: number = Date.now()): string {
  const aside = `${file}.damaged-${stamp(at)}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

export interface OpenedSqlite {
  db: Db;
  /** Where a damaged file was moved before a fresh one was started (rebuildable files only), else null. */
  movedAside: string | null;
}

export interface OpenSqliteOptions {
  kind: SqliteFileKind;
  /** The data folder's storage key (storage-key.ts). */
  key: StorageKey;
  /** Pragmas and migrations, run after the check; a throw closes the file. */
  setup: (db: Db) => void;
  /**
   * What a damaged file means: 'rebuild' moves it aside and starts an empty one; 'refuse' throws
   * a SqliteFileError whose message ends with `advice` (what the technician can do).
   */
  onDamage: { rebuild: true } | { rebuild: false; advice: (file: string) => string };
}

/**
 * An encrypted file whose first page does not decrypt: either it was written under another key or
 * it is damaged. Nothing in the file can tell the two apart, so the message names both (and the
 * file counts as damaged: a rebuildable one is moved aside, kept, never deleted).
 */
function requireReadable(db: Db, file: string, options: OpenSqliteOptions): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (!isDamage(error)) throw error;
    throw new SqliteFileError(file, true, `${options.kind} ${file} cannot be read with the storage key ${options.key.file}: it was encrypted with another key (put back the storage.key that belongs with it) or it is damaged`);
  }
}

/** Opens one of the host's SQLite files: private folder and file, quick_check, then setup. */
export function openSqliteFile(file: string, options: OpenSqliteOptions): OpenedSqlite {
  ensurePrivateDir(dirname(file));
  const attempt = (exclusive: boolean): Db => {
    let db: Db;
    try {
      if (isPlainSqlite(file)) encryptPlainFile(file, options.key);
      db = openEncrypted(file, options.key);
    } catch (error) {
      if (isDamage(error)) throw new SqliteFileError(file, true, `${options.kind} ${file} is damaged (${(error as Error).message})`);
      throw new SqliteFileError(file, false, `${options.kind} ${file}: cannot open it (${(error as Error).message}); check that the data folder exists, belongs to the host's user and has free space`);
    }
    try {
      makePrivate(file);
      // On a full disk a WAL database cannot even be read: its -shm index cannot be sized. In
      // exclusive locking mode SQLite keeps that index in memory, so the host can still start and
      // serve what the file holds (its writes fail until space is back, and say so).
      if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
      requireReadable(db, file, options);
      const findings = quickCheck(db);
      if (findings !== null) throw new SqliteFileError(file, true, `${options.kind} ${file} is damaged (${findings})`);
      options.setup(db);
      makePrivate(file);
      return db;
    } catch (error) {
      db.close();
      if (error instanceof SqliteFileError) throw error;
      if (isDamage(error)) throw new SqliteFileError(file, true, `${options.kind} ${file} is damaged (${(error as Error).message})`);
      if (isStorageFailure(error) && !exclusive) return attempt(true);
      throw new SqliteFileError(file, false, `${options.kind} ${file}: cannot open it (${(error as Error).message}); check the free space (${formatBytes(freeBytes(file))} free) and the data folder's permissions`);
    }
  };
  try {
    return { db: attempt(false), movedAside: null };
  } catch (error) {
    if (!(error instanceof SqliteFileError) || !error.damaged) throw error;
    if (!options.onDamage.rebuild) throw new SqliteFileError(file, true, `${error.message}. ${options.onDamage.advice(file)}`);
    const movedAside = moveAside(file);
    return { db: attempt(false), movedAside };
  }
}
