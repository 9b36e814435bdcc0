/**
 * The data folder's storage key and the encrypted SQLite files, on real files: the key file is made
 * 0600 and refused when others may read it or it cannot be read; a sealed key (the Electron seam)
 * never lies in the file in the clear; the wall database's bytes (and its -wal) hold no plaintext;
 * the wrong key is refused with an error naming the key file, never taken for an empty database.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AlertService } from '../../electron/node/alert-service.js';
import { openDatabase } from '../../electron/node/database.js';
import { SqliteFileError } from '../../electron/node/sqlite-files.js';
import { loadSealedStorageKey, loadStorageKey, STORAGE_KEY_FILE, StorageKeyError, type KeySeal } from '../../electron/node/storage-key.js';
import { tempDir } from '../support/fixtures.js';

const PLAIN_HEADER = 'SQLite format 3';
/** A name only the test writes: found in a file's bytes, it means that file holds plaintext. */
const SECRET_TEXT = 'Trạm đo mực nước Cầu Hóa An 7';
const contains = (file: string, text: string) => readFileSync(file).includes(Buffer.from(text, 'utf8'));

/** A stand-in for safeStorage: AES-GCM under a key the "OS keychain" (this object) keeps. */
function testSeal(): KeySeal & { opened: number } {
  const osKey = randomBytes(32);
  const seal = {
    name: 'test keychain',
    opened: 0,
    seal: async (plain: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', osKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open: async (sealed: Buffer) => {
      seal.opened++;
      const decipher = createDecipheriv('aes-256-gcm', osKey, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return seal;
}

describe('the storage key file', () => {
  it('is made on first use, 0600, 256 random bits, and the same key after', () => {
    const dir = tempDir();
    const key = loadStorageKey(dir);
    const file = join(dir, STORAGE_KEY_FILE);
    assert.equal(key.file, file);
    assert.match(key.hex, /^[0-9a-f]{64}$/);
    assert.equal((statSync(file).mode & 0o777).toString(8), '600');
    assert.deepEqual(loadStorageKey(dir), key);
    assert.notEqual(loadStorageKey(tempDir()).hex, key.hex, 'each data folder has its own key');
  });

  it('refuses a key file others may read, naming it and the fix', { skip: process.platform === 'win32' }, () => {
    const dir = tempDir();
    loadStorageKey(dir);
    const file = join(dir, STORAGE_KEY_FILE);
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(file, mode);
      assert.throws(
        () => loadStorageKey(dir),
        (error: Error) => error instanceof StorageKeyError && error.message.includes(file) && error.message.includes(`0${mode.toString(8)}`) && error.message.includes(`chmod 600 ${file}`),
      );
    }
  });

  it('refuses a key file it cannot read, and one that holds no key', () => {
    const unreadable = tempDir();
    mkdirSync(join(unreadable, STORAGE_KEY_FILE), { mode: 0o700 }); // a folder where the key should be: EISDIR whoever reads it
    assert.throws(() => loadStorageKey(unreadable), (error: Error) => error instanceof StorageKeyError && /cannot read the storage key/.test(error.message) && error.message.includes(join(unreadable, STORAGE_KEY_FILE)));
    const malformed = tempDir();
    writeFileSync(join(malformed, STORAGE_KEY_FILE), 'not a key\n', { mode: 0o600 });
    assert.throws(() => loadStorageKey(malformed), (error: Error) => error instanceof StorageKeyError && /256-bit storage key/.test(error.message));
  });
});

describe('the sealed storage key (the Electron shell: safeStorage)', () => {
  it('is never in the file in the clear, opens again with the seal, and is refused without it', async () => {
    const dir = tempDir();
    const seal = testSeal();
    const key = await loadSealedStorageKey(dir, seal);
    const file = join(dir, STORAGE_KEY_FILE);
    assert.ok(!readFileSync(file, 'utf8').includes(key.hex), 'the key file holds the sealed key only');
    assert.equal((statSync(file).mode & 0o777).toString(8), '600');
    assert.deepEqual(await loadSealedStorageKey(dir, seal), key);
    assert.ok(seal.opened >= 1);
    assert.throws(() => loadStorageKey(dir), (error: Error) => error instanceof StorageKeyError && /sealed/.test(error.message) && error.message.includes(file));
    await assert.rejects(loadSealedStorageKey(dir, testSeal()), (error: Error) => error instanceof StorageKeyError && /cannot unseal/.test(error.message));
  });

  it('seals a plain key (a data folder from the Chromium host) in place, keeping the key', async () => {
    const dir = tempDir();
    const plain = loadStorageKey(dir);
    const sealed = await loadSealedStorageKey(dir, testSeal());
    assert.equal(sealed.hex, plain.hex, 'the files encrypted under it stay readable');
    assert.ok(!readFileSync(join(dir, STORAGE_KEY_FILE), 'utf8').includes(plain.hex));
  });
});

describe('the encrypted wall database', () => {
  it('holds no plaintext: no SQLite header, no stored text, in the file or its -wal', () => {
    const dir = tempDir();
    const file = join(dir, 'demo.sqlite');
    const db = openDatabase(file, loadStorageKey(dir));
    new AlertService(db).raise('critical', 'field', { vi: SECRET_TEXT, en: SECRET_TEXT });
    // while open the newest pages are in the -wal: it must be encrypted too
    assert.ok(statSync(`${file}-wal`).size > 0);
    assert.ok(!contains(`${file}-wal`, SECRET_TEXT), 'the -wal holds the alert in the clear');
    db.close();
    assert.ok(!readFileSync(file).subarray(0, 16).toString('latin1').startsWith(PLAIN_HEADER), 'the file starts with the plain SQLite header');
    assert.ok(!contains(file, SECRET_TEXT), 'the file holds the alert in the clear');
    const again = openDatabase(file, loadStorageKey(dir));
    assert.ok(new AlertService(again).list().some((a) => a.title.vi === SECRET_TEXT), 'and it reads back with the key');
    again.close();
  });

  it('is refused under another key, naming the file and the key file, and left as it was', () => {
    const dir = tempDir();
    const file = join(dir, 'demo.sqlite');
    openDatabase(file, loadStorageKey(dir)).close();
    const before = readFileSync(file);
    const otherKey = loadStorageKey(tempDir());
    assert.throws(
      () => openDatabase(file, otherKey),
      (error: Error) => error instanceof SqliteFileError && error.message.includes(file) && error.message.includes(otherKey.file) && /another key/.test(error.message),
    );
    assert.deepEqual(readFileSync(file), before, 'nothing was written to it');
  });
});
