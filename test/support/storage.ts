/**
 * Storage faults for tests, on real files: damage a page of a SQLite file, and a small filesystem
 * that can be filled (a tmpfs mount; as root in CI). Where mount is not permitted, smallDisk()
 * returns null and the caller makes the database full with PRAGMA max_page_count instead, which
 * raises the same SQLITE_FULL error from the same write paths.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { openEncrypted, type Db, type DbOptions } from '../../electron/node/sqlite-cipher.js';
import { loadStorageKey, type StorageKey } from '../../electron/node/storage-key.js';

/** The storage key of the data folder holding `file` (made there if it has none yet, as the host would). */
export function keyBeside(file: string): StorageKey {
  return loadStorageKey(dirname(file));
}

/** Opens one of the host's (encrypted) SQLite files with its data folder's key, as a tool would. */
export function openHostFile(file: string, options?: DbOptions): Db {
  return openEncrypted(file, keyBeside(file), options);
}

/** Overwrites the root page of `table` in a closed SQLite file with random bytes. */
export function corruptTablePage(file: string, table: string): void {
  const db = openHostFile(file, { readonly: true });
  const { rootpage } = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as { rootpage: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const random = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i++) random[i] = Math.floor(Math.random() * 256);
  const fd = openSync(file, 'r+');
  writeSync(fd, random, 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
}

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the filesystem has no space left. */
  fill(): void;
  /** Removes the filler: space is back. */
  free(): void;
}

/** A tmpfs of `megabytes` at a fresh folder, unmounted when the test file ends; null if mount is not permitted. */
export function smallDisk(megabytes = 8): SmallDisk | null {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-wall-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  after(() => {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      console.warn(`could not unmount ${dir}: ${(error as Error).message}`);
    }
  });
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      // fill the last partial block too
      const fd1 = openSync(filler, 'a');
      try {
        for (;;) writeSync(fd1, Buffer.alloc(512));
      } catch {
        // full
      } finally {
        closeSync(fd1);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
  };
}
