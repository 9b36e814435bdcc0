/** Rolling backups of the wall database and restoring one, on real SQLite files. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../electron/node/database.js';
import { backupsDir, listBackups, restoreWallBackup, wallDatabaseAdvice, WallBackups } from '../../electron/node/wall-backups.js';
import { tempDir } from '../support/fixtures.js';
import { corruptTablePage, keyBeside } from '../support/storage.js';

const setMeta = (db: ReturnType<typeof openDatabase>, value: string) =>
  db.prepare("INSERT INTO meta (key, value) VALUES ('t', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(value);
const getMeta = (db: ReturnType<typeof openDatabase>) => (db.prepare("SELECT value FROM meta WHERE key = 't'").pluck().get() as string | undefined) ?? null;

describe('wall database backups', () => {
  it('keeps the newest few, each a sound single-file database', async () => {
    const file = join(tempDir(), 'demo.sqlite');
    const db = openDatabase(file, keyBeside(file));
    const failures: Error[] = [];
    const backups = new WallBackups(db, file, keyBeside(file), { keep: 2, onFailure: (e) => failures.push(e) });
    for (let i = 0; i < 4; i++) {
      setMeta(db, `v${i}`);
      assert.ok(await backups.backupNow());
      await new Promise((r) => setTimeout(r, 5)); // distinct names (ms in the time stamp)
    }
    await backups.close(); // one more at the stop
    db.close();
    assert.deepEqual(failures, []);
    const kept = listBackups(file);
    assert.equal(kept.length, 2, readdirSync(backupsDir(file)).join());
    assert.deepEqual(readdirSync(backupsDir(file)).filter((f) => !f.endsWith('.sqlite')), [], 'no -wal/-shm or partial files beside the backups');
    assert.ok(wallDatabaseAdvice(file).includes(kept[0]!));

    const later = openDatabase(file, keyBeside(file));
    setMeta(later, 'after the backup');
    later.close();
    assert.equal(restoreWallBackup(file, 'latest', keyBeside(file)), kept[0]);
    const restored = openDatabase(file, keyBeside(file));
    assert.equal(getMeta(restored), 'v3');
    restored.close();
    assert.ok(readdirSync(join(file, '..')).some((f) => f.startsWith('demo.sqlite.damaged-')), 'the replaced file is kept aside');
  });

  it('a database damaged while running is noticed at the next backup, and the good backups are kept', async () => {
    const file = join(tempDir(), 'demo.sqlite');
    const db = openDatabase(file, keyBeside(file));
    const failures: Error[] = [];
    const backups = new WallBackups(db, file, keyBeside(file), { onFailure: (e) => failures.push(e) });
    const good = await backups.backupNow();
    db.pragma('wal_checkpoint(TRUNCATE)');
    corruptTablePage(file, 'alerts');
    db.pragma('shrink_memory'); // the next backup reads the pages from the file
    assert.equal(await backups.backupNow(), null);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!.message, /damaged/);
    assert.ok(failures[0]!.message.includes(file));
    assert.deepEqual(listBackups(file), [good]);
    db.close();
  });

  it('restoring names what is missing or unsound and leaves the database alone', () => {
    const dir = tempDir();
    const file = join(dir, 'demo.sqlite');
    assert.throws(() => restoreWallBackup(file, 'latest', keyBeside(file)), (e: Error) => e.message.includes(backupsDir(file)));
    assert.throws(() => restoreWallBackup(file, join(dir, 'nope.sqlite'), keyBeside(file)), (e: Error) => e.message.includes(join(dir, 'nope.sqlite')));
    const bad = join(dir, 'bad.sqlite');
    writeFileSync(bad, 'x'.repeat(5000));
    assert.throws(() => restoreWallBackup(file, bad, keyBeside(file)), (e: Error) => e.message.includes(bad) && /not a sound database/.test(e.message));
    assert.ok(!existsSync(file) && !existsSync(`${file}.restoring`));
  });
});
