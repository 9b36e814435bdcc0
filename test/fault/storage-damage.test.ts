/**
 * Damaged SQLite files at start, on real files: random bytes in a page, and a file that is not a
 * database at all. The wall database is refused (never written) with the newest good backup named,
 * and --restore-backup brings it back; the telemetry cache and the GIS datasets are moved aside
 * and rebuilt, with an alert. Every refusal names the file. Also: who may read the data folder.
 */
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHostArgs } from '../../electron/node/runtime-options.js';
import { startRuntime, type Runtime } from '../../electron/node/runtime.js';
import { layoutsDir } from '../../electron/node/project-paths.js';
import { noGatewaysFile, tempDir } from '../support/fixtures.js';
import { corruptTablePage } from '../support/storage.js';
import { testScenariosDir } from '../support/test-scenarios.js';

function start(dataDir: string, extra: string[] = []): Promise<Runtime> {
  const args = parseHostArgs(['--gateways', noGatewaysFile, '--scenarios', testScenariosDir(), '--data-dir', dataDir, ...extra], {}, { layoutsDir, dataDir });
  return startRuntime({ ...args, host: 'chromium', serve: null, log: () => {} });
}

const system = { id: 'system', role: 'system' } as const;
const alertTexts = (runtime: Runtime) => runtime.core.alerts.list().map((a) => a.title.en);

describe('a damaged wall database', () => {
  it('is refused at start, naming the file and the newest good backup; --restore-backup latest brings the backup back', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    first.core.controller.execute({ type: 'remove-tile', id: first.core.controller.current.tiles[0]!.id }, system);
    const revision = first.core.controller.currentRevision;
    const wallFile = first.core.databaseFile;
    await first.close();
    const backups = readdirSync(join(dataDir, 'backups'));
    assert.ok(backups.length >= 1, 'a backup is taken at a clean stop');

    corruptTablePage(wallFile, 'command_journal');
    await assert.rejects(start(dataDir), (error: Error) => {
      assert.match(error.message, /damaged/);
      assert.ok(error.message.includes(wallFile), error.message);
      assert.ok(error.message.includes(join(dataDir, 'backups')), error.message);
      assert.ok(error.message.includes('--restore-backup'), error.message);
      return true;
    });

    const restored = await start(dataDir, ['--restore-backup', 'latest']);
    try {
      assert.equal(restored.core.controller.currentRevision, revision, 'the wall as it was at the last clean stop');
      assert.ok(readdirSync(dataDir).some((name) => name.startsWith('demo.sqlite.damaged-')), 'the damaged file is kept aside');
      assert.ok(alertTexts(restored).some((t) => t.includes('restored from the backup')), alertTexts(restored).join(' | '));
    } finally {
      await restored.close();
    }
  });

  it('"file is not a database" names the file and what to do', { timeout: 30_000 }, async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'demo.sqlite'), 'this is not a database, it is a note someone saved here by mistake'.repeat(100));
    await assert.rejects(start(dataDir), (error: Error) => {
      assert.ok(error.message.includes(join(dataDir, 'demo.sqlite')), error.message);
      assert.match(error.message, /wall database/);
      assert.match(error.message, /--restore-backup|move it aside/);
      return true;
    });
  });

  it('--restore-backup refuses a backup file that is itself damaged, naming it', { timeout: 30_000 }, async () => {
    const dataDir = tempDir();
    const bad = join(dataDir, 'bad-backup.sqlite');
    writeFileSync(bad, 'not a database'.repeat(400));
    await assert.rejects(start(dataDir, ['--restore-backup', bad]), (error: Error) => error.message.includes(bad));
  });
});

describe('a damaged telemetry cache or GIS database', () => {
  for (const [name, table, what] of [
    ['demo-telemetry.sqlite', 'readings', 'telemetry cache'],
    ['gis.sqlite', 'dataset_feature', 'GIS datasets'],
  ] as const) {
    it(`${name}: moved aside as .damaged-<time>, a fresh one started, and an alert names the file`, { timeout: 60_000 }, async () => {
      const dataDir = tempDir();
      await (await start(dataDir)).close();
      corruptTablePage(join(dataDir, name), table);
      const runtime = await start(dataDir);
      try {
        const aside = readdirSync(dataDir).filter((f) => f.startsWith(`${name}.damaged-`));
        assert.equal(aside.length, 1, readdirSync(dataDir).join());
        const texts = alertTexts(runtime);
        assert.ok(texts.some((t) => t.includes(join(dataDir, name)) && t.includes(what) && t.includes(aside[0]!)), texts.join(' | '));
      } finally {
        await runtime.close();
      }
    });

    it(`${name}: "file is not a database" is treated as damage, not a silent crash`, { timeout: 60_000 }, async () => {
      const dataDir = tempDir();
      await (await start(dataDir)).close();
      writeFileSync(join(dataDir, name), 'garbage'.repeat(1000));
      const runtime = await start(dataDir);
      try {
        assert.ok(alertTexts(runtime).some((t) => t.includes(join(dataDir, name))));
      } finally {
        await runtime.close();
      }
    });
  }
});

describe('the data folder is private', () => {
  it('the folder is 0700 and every SQLite file, its -wal/-shm and the backups are 0600', { timeout: 60_000 }, async () => {
    const dataDir = join(tempDir(), 'data');
    const runtime = await start(dataDir);
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    try {
      assert.equal(mode(dataDir), '700');
      const files = readdirSync(dataDir).filter((f) => /\.sqlite(-wal|-shm)?$/.test(f));
      assert.ok(files.some((f) => f.endsWith('-wal')) && files.some((f) => f.endsWith('-shm')), files.join());
      for (const file of files) assert.equal(mode(join(dataDir, file)), '600', file);
    } finally {
      await runtime.close();
    }
    assert.equal(mode(join(dataDir, 'backups')), '700');
    const backups = readdirSync(join(dataDir, 'backups'));
    assert.ok(backups.length > 0);
    for (const file of backups) assert.equal(mode(join(dataDir, 'backups', file)), '600', file);
    assert.ok(!readdirSync(join(dataDir, 'backups')).some((f) => f.startsWith('.partial-')));
  });

  it('an installation from before (a 0755 folder, 0644 files) is made private at the next start', { timeout: 60_000 }, async () => {
    const dataDir = join(tempDir(), 'data');
    await (await start(dataDir)).close();
    chmodSync(dataDir, 0o755);
    for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.sqlite'))) chmodSync(join(dataDir, file), 0o644);
    const runtime = await start(dataDir);
    try {
      assert.equal((statSync(dataDir).mode & 0o777).toString(8), '700');
      for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.sqlite'))) assert.equal((statSync(join(dataDir, file)).mode & 0o777).toString(8), '600', file);
    } finally {
      await runtime.close();
    }
  });
});
