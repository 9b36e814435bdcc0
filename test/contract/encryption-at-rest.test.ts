/**
 * Encryption at rest through the real runtime, on real files: a data folder as an earlier version
 * left it (every SQLite file and backup plain) is encrypted in place at the next start with nothing
 * lost; after that no file of the folder holds the SQLite header or any stored text; backups are
 * encrypted; a data folder whose key is not the one its files were written with does not start.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHostArgs } from '../../electron/node/runtime-options.js';
import { startRuntime, type Runtime } from '../../electron/node/runtime.js';
import { layoutsDir } from '../../electron/node/project-paths.js';
import { openEncrypted } from '../../electron/node/sqlite-cipher.js';
import { listBackups } from '../../electron/node/wall-backups.js';
import { loadStorageKey, STORAGE_KEY_FILE, type StorageKey } from '../../electron/node/storage-key.js';
import { noGatewaysFile, tempDir } from '../support/fixtures.js';
import { testScenariosDir } from '../support/test-scenarios.js';

function start(dataDir: string): Promise<Runtime> {
  const args = parseHostArgs(['--gateways', noGatewaysFile, '--scenarios', testScenariosDir(), '--data-dir', dataDir], {}, { layoutsDir, dataDir });
  return startRuntime({ ...args, host: 'chromium', serve: null, log: () => {} });
}

/** Text only this test stores: in a file's bytes it means the file holds plaintext. */
const SECRET_TEXT = 'Ngập sâu 0,8 m tại nút giao Vũng Tàu – Đồng Khởi';
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const isPlain = (file: string) => readFileSync(file).subarray(0, 16).equals(PLAIN_HEADER);
const holdsSecret = (file: string) => readFileSync(file).includes(Buffer.from(SECRET_TEXT, 'utf8'));
const sqliteFiles = (dataDir: string) => readdirSync(dataDir).filter((f) => /\.sqlite$/.test(f)).map((f) => join(dataDir, f));

/** Turns an encrypted file back into the plain file an earlier version wrote (same schema and rows). */
function decryptToPlain(file: string, key: StorageKey): void {
  const db = openEncrypted(file, key);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey = ''`);
  } finally {
    db.close();
  }
}

async function runOnce(dataDir: string, work: (runtime: Runtime) => Promise<void> | void): Promise<void> {
  const runtime = await start(dataDir);
  try {
    await work(runtime);
  } finally {
    await runtime.close();
  }
}

const alertTitles = (runtime: Runtime) => runtime.core.alerts.list().map((a) => a.title.vi);

describe('encryption at rest', () => {
  it('a plain data folder from an earlier version is encrypted in place at start, nothing lost, no plaintext left', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    await runOnce(dataDir, (runtime) => {
      runtime.core.alerts.raise('critical', 'field', { vi: SECRET_TEXT, en: SECRET_TEXT });
    });
    // make it the folder an earlier version left: every file and backup plain, no key file
    const key = loadStorageKey(dataDir);
    const files = [...sqliteFiles(dataDir), ...listBackups(join(dataDir, 'demo.sqlite'))];
    assert.ok(files.length >= 4, files.join());
    for (const file of files) decryptToPlain(file, key);
    rmSync(key.file);
    for (const file of files) assert.ok(isPlain(file), `${file} is plain before the start`);
    assert.ok(holdsSecret(join(dataDir, 'demo.sqlite')), 'the plain wall database holds the alert text (so the check below can fail)');

    await runOnce(dataDir, (runtime) => {
      assert.ok(alertTitles(runtime).includes(SECRET_TEXT), 'the alert from before is still there');
      runtime.core.alerts.raise('warning', 'field', { vi: `${SECRET_TEXT} (2)`, en: 'second' });
    });
    // (the oldest plain backups may have been rotated away meanwhile)
    const after = [...sqliteFiles(dataDir), ...listBackups(join(dataDir, 'demo.sqlite'))];
    assert.ok(files.filter((f) => after.includes(f)).length >= 3, 'the plain files are there, encrypted');
    for (const file of after) {
      assert.ok(!isPlain(file), `${file} still starts with the plain SQLite header`);
      assert.ok(!holdsSecret(file), `${file} holds the alert text in the clear`);
    }
    // every backup opens with the folder's key and holds the alert
    const newKey = loadStorageKey(dataDir);
    for (const backup of listBackups(join(dataDir, 'demo.sqlite'))) {
      const db = openEncrypted(backup, newKey, { readonly: true });
      try {
        const titles = db.prepare('SELECT title FROM alerts').pluck().all() as string[];
        assert.ok(titles.some((t) => t.includes(SECRET_TEXT)), `${backup} lacks the alert`);
      } finally {
        db.close();
      }
    }
    await runOnce(dataDir, (runtime) => assert.ok(alertTitles(runtime).includes(`${SECRET_TEXT} (2)`)));
  });

  it('a data folder whose storage key was replaced does not start: the error names the database and the key file', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    await runOnce(dataDir, () => {});
    const keyFile = join(dataDir, STORAGE_KEY_FILE);
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    await assert.rejects(start(dataDir), (error: Error) => {
      assert.ok(error.message.includes(join(dataDir, 'demo.sqlite')), error.message);
      assert.ok(error.message.includes(keyFile), error.message);
      assert.match(error.message, /another key/);
      return true;
    });
  });
});
