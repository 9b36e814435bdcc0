/**
 * Rolling backups of the wall database, the one SQLite file the host cannot rebuild (commands,
 * alerts and acknowledgements, saved presets, scenario runs). VACUUM INTO copies it while the wall
 * runs, encrypted with the same storage key (sqlite-cipher.ts; the online backup API would write a
 * plain copy, and SQLite3 Multiple Ciphers refuses it); each copy is checked (quick_check) before
 * it counts, so a database that was damaged while running is noticed and never rotates the good
 * copies away. A plain backup left by an earlier version is encrypted when the backups start.
 *
 * Backups live in <data-dir>/backups/<name>-<time>.sqlite (0600 in a 0700 folder); the newest few
 * are kept. restoreWallBackup puts one back before the database is opened (--restore-backup).
 */
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { encryptPlainFile, isPlainSqlite, openEncrypted } from './sqlite-cipher.js';
import { ensurePrivateDir, isDamage, makePrivate, moveAside, quickCheck, type Db } from './sqlite-files.js';
import type { StorageKey } from './storage-key.js';

export const DEFAULT_BACKUP_INTERVAL_MS = 10 * 60_000;
export const DEFAULT_BACKUPS_KEPT = 3;

export function backupsDir(databaseFile: string): string {
  return join(dirname(databaseFile), 'backups');
}

const prefixOf = (databaseFile: string) => `${basename(databaseFile, '.sqlite')}-`;
const stamp = (at: number) => new Date(at).toISOString().replace(/[:.]/g, '-');

/** This database's backups, newest first (the names sort by time). */
export function listBackups(databaseFile: string): string[] {
  const dir = backupsDir(databaseFile);
  if (!existsSync(dir)) return [];
  const prefix = prefixOf(databaseFile);
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.sqlite') && /^\d{4}-\d\d-\d\dT/.test(name.slice(prefix.length)))
    .sort()
    .reverse()
    .map((name) => join(dir, name));
}

/** Null when the file is a sound database under the key, else why not. Leaves it a single encrypted file (no -wal). */
function checkCopy(file: string, key: StorageKey): string | null {
  let db: Db | undefined;
  try {
    if (isPlainSqlite(file)) encryptPlainFile(file, key);
    db = openEncrypted(file, key);
    const findings = quickCheck(db);
    if (findings === null) db.pragma('journal_mode = DELETE');
    return findings;
  } catch (error) {
    return (error as Error).message;
  } finally {
    db?.close();
  }
}

/** What the technician can do about a damaged wall database: the newest good backup, or starting empty. */
export function wallDatabaseAdvice(databaseFile: string): string {
  const newest = listBackups(databaseFile)[0];
  if (newest) {
    return `The host will not write to it. Newest good backup: ${newest}. To restore it, start the host once with --restore-backup latest (or --restore-backup <backup file>); the damaged file is kept beside it as ${basename(databaseFile)}.damaged-<time>`;
  }
  return `The host will not write to it, and there is no backup in ${backupsDir(databaseFile)}: move it aside (rename it) to start with an empty wall; the layout presets in files are kept`;
}

/**
 * Replaces the wall database with a backup ('latest' = the newest of this database's backups);
 * the file it replaces (if any) is moved aside as .damaged-<time>. The backup itself is only read.
 * Returns the backup restored. Throws, naming the file, when there is none or it is not sound.
 */
export function restoreWallBackup(databaseFile: string, choice: string, key: StorageKey): string {
  const source = choice === 'latest' ? listBackups(databaseFile)[0] : resolve(choice);
  if (!source) throw new Error(`--restore-backup latest: there is no backup of ${databaseFile} in ${backupsDir(databaseFile)}`);
  if (!existsSync(source)) throw new Error(`--restore-backup ${source}: no such file`);
  ensurePrivateDir(dirname(databaseFile));
  const restoring = `${databaseFile}.restoring`;
  copyFileSync(source, restoring);
  makePrivate(restoring);
  const findings = checkCopy(restoring, key);
  if (findings !== null) {
    rmSync(restoring, { force: true });
    throw new Error(`--restore-backup ${source}: this backup is not a sound database (${findings}); choose another one in ${backupsDir(databaseFile)}`);
  }
  if (existsSync(databaseFile)) moveAside(databaseFile);
  renameSync(restoring, databaseFile);
  return source;
}

/** Backups taken before encryption existed are encrypted in place; one that fails is reported and left alone. */
function encryptPlainBackups(databaseFile: string, key: StorageKey, onFailure: (error: Error) => void): void {
  for (const backup of listBackups(databaseFile)) {
    try {
      if (isPlainSqlite(backup)) encryptPlainFile(backup, key);
      makePrivate(backup);
    } catch (error) {
      onFailure(new Error(`the plain backup ${backup} could not be encrypted (${(error as Error).message})`));
    }
  }
}

export interface WallBackupOptions {
  intervalMs?: number;
  keep?: number;
  /** A backup failed (disk full, or the database was found damaged while running). */
  onFailure: (error: Error) => void;
}

export class WallBackups {
  private readonly timer: ReturnType<typeof setInterval>;
  private running: Promise<string | null> | null = null;
  private readonly keep: number;

  constructor(
    private readonly db: Db,
    private readonly databaseFile: string,
    private readonly key: StorageKey,
    private readonly options: WallBackupOptions,
  ) {
    this.keep = Math.max(1, options.keep ?? DEFAULT_BACKUPS_KEPT);
    encryptPlainBackups(databaseFile, key, options.onFailure);
    this.timer = setInterval(() => void this.backupNow(), options.intervalMs ?? DEFAULT_BACKUP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Takes one backup now (one at a time); resolves with its path, or null when it failed (reported through onFailure). */
  backupNow(): Promise<string | null> {
    this.running ??= this.take().finally(() => (this.running = null));
    return this.running;
  }

  private async take(): Promise<string | null> {
    const dir = backupsDir(this.databaseFile);
    const final = join(dir, `${prefixOf(this.databaseFile)}${stamp(Date.now())}.sqlite`);
    const partial = join(dir, `.partial-${basename(final)}`);
    try {
      ensurePrivateDir(dir);
      const damaged = (findings: string) => new Error(`the wall database ${this.databaseFile} is damaged (${findings}); its backup was discarded, the older backups in ${dir} are kept`);
      try {
        this.db.prepare('VACUUM INTO ?').run(partial);
      } catch (error) {
        // an encrypted page that fails its HMAC stops the copy itself
        throw isDamage(error) ? damaged((error as Error).message) : error;
      }
      makePrivate(partial);
      const findings = checkCopy(partial, this.key);
      if (findings !== null) throw damaged(findings);
      renameSync(partial, final);
      for (const old of listBackups(this.databaseFile).slice(this.keep)) rmSync(old, { force: true });
      return final;
    } catch (error) {
      rmSync(partial, { force: true });
      this.options.onFailure(error instanceof Error ? error : new Error(String(error)));
      return null;
    }
  }

  /** Stops the timer after a last backup (a clean stop leaves the newest state backed up). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (this.db.open) await this.backupNow();
  }
}
