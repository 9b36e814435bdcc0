/**
 * A full disk, for real: the host's data folder on a small tmpfs that the test fills (mount needs
 * root, as in CI). Where mount is not permitted the wall database is made full with PRAGMA
 * max_page_count on the host's own connection instead, which raises the same SQLITE_FULL from the
 * same write paths; the telemetry cache's connection lives in its worker, so that part needs the
 * mount and is skipped without it.
 *
 * The host must keep running: commands are refused with 'storage-full' (not "internal error"),
 * one critical alert names the file and the free space, the last picture stays, telemetry batches
 * that roll back are not silent, the host starts on a full disk, and it recovers by itself.
 */
import { accountFor, helloAsConsole } from '../support/accounts.js';
import type { ContractClient } from '../../native-bridge/channel.js';
import type { PersonRole } from '../../native-bridge/contract.js';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { StateItem } from '../../native-bridge/gateway-protocol.js';
import { parseHostArgs } from '../../electron/node/runtime-options.js';
import { startRuntime, type Runtime } from '../../electron/node/runtime.js';
import { layoutsDir } from '../../electron/node/project-paths.js';
import { STORAGE_RETRY_MS } from '../../electron/node/storage-watch.js';
import { noGatewaysFile, projectRoot, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith } from '../support/harness.js';
import { smallDisk } from '../support/storage.js';
import { testScenariosDir } from '../support/test-scenarios.js';

const disk = smallDisk(24);

function start(dataDir: string): Promise<Runtime> {
  const args = parseHostArgs(['--gateways', noGatewaysFile, '--scenarios', testScenariosDir(), '--data-dir', dataDir], {}, { layoutsDir, dataDir });
  return startRuntime({ ...args, host: 'chromium', serve: null, log: () => {} });
}

/** Makes the host's storage full: the filesystem (tmpfs), or the wall database's page limit. */
function fill(runtime: Runtime): void {
  if (disk) disk.fill();
  else runtime.core.db.pragma(`max_page_count = ${runtime.core.db.pragma('page_count', { simple: true }) as number}`);
}
function free(runtime: Runtime | null): void {
  if (disk) disk.free();
  else runtime?.core.db.pragma('max_page_count = 1073741823');
}

const storageAlerts = (runtime: Runtime) => runtime.core.alerts.list().filter((a) => a.source === 'storage' && a.severity === 'critical');

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A console signed in as the data folder's account of this role (before the disk fills: a sign-in writes its session). */
async function signedIn(runtime: Runtime, dataDir: string, role: PersonRole = 'operator') {
  const { client } = connectInMemory(runtime.core);
  await helloAsConsole(client, await accountFor(dataDir, role));
  return client;
}

/** Notes added until one is refused (a small write may still fit in a page already there). */
async function refusedCommand(client: ContractClient) {
  for (let i = 0; i < 200; i++) {
    const attempt = client.call('wall.execute', { command: { type: 'set-tile-props', id: 'shift-note', props: { markdown: `note ${i} ${'x'.repeat(2000)}` } } });
    const refused = await attempt.then(() => null, (error: unknown) => error);
    if (refused) return { client, refused };
  }
  throw new Error('no command was refused on a full disk');
}

describe('a full disk', () => {
  it('refuses commands with storage-full, raises one alert with the free space, keeps the picture and recovers by itself', { timeout: 90_000 }, async () => {
    const dataDir = disk ? join(disk.dir, 'data') : tempDir();
    const runtime = await start(dataDir);
    // a file to import once the disk is full (imports are read from <data-dir>/imports only)
    const importFile = join(dataDir, 'imports', 'demo-communes.geojson');
    copyFileSync(join(projectRoot, 'resources', 'gis', 'demo-communes.geojson'), importFile);
    try {
      const operator = await signedIn(runtime, dataDir);
      const technician = await signedIn(runtime, dataDir, 'technician');
      fill(runtime);
      const picture = runtime.core.controller.current;
      const revision = runtime.core.controller.currentRevision;
      const { client, refused } = await refusedCommand(operator);
      await rejectsWith(Promise.reject(refused), 'storage-full');
      assert.ok((refused as Error).message.includes(runtime.core.databaseFile), (refused as Error).message);
      const alerts = storageAlerts(runtime);
      assert.equal(alerts.length, 1, JSON.stringify(alerts));
      assert.ok(alerts[0]!.title.en.includes(runtime.core.databaseFile) && /MB free/.test(alerts[0]!.title.en), alerts[0]!.title.en);
      assert.match(alerts[0]!.title.vi, /ổ đĩa đầy/);
      // the last picture is still served, read-only
      const resync = await client.call('wall.resync', { sinceRevision: 0 });
      assert.equal(resync.revision, revision);
      assert.deepEqual(runtime.core.controller.current, picture);
      assert.equal((await client.call('alerts.list', {})).alerts.filter((a) => a.source === 'storage').length, 1, 'the alert is listed though it could not be stored');
      // any other write the disk has no room for is refused the same way, never as "internal error"
      if (disk) await rejectsWith(technician.call('gis.import', { file: importFile, dataset: 'communes-copy' }), 'storage-full');

      free(runtime);
      // the host probes every STORAGE_RETRY_MS on its own
      await until('the storage alert to resolve', () => (storageAlerts(runtime)[0]?.resolvedAt ? true : undefined), STORAGE_RETRY_MS * 3);
      await client.call('wall.execute', { command: { type: 'set-tile-props', id: 'shift-note', props: { markdown: 'space again' } } });
      const stored = runtime.core.db.prepare("SELECT count(*) FROM alerts WHERE source = 'storage'").pluck().get() as number;
      assert.ok(stored >= 2, 'the alert held in memory and the recovery notice are now stored');
    } finally {
      free(null);
      await runtime.close();
    }
  });

  it('a telemetry batch rolled back for lack of space raises the storage alert', { timeout: 60_000, skip: disk ? false : 'needs a mountable tmpfs (root)' }, async () => {
    const runtime = await start(join(disk!.dir, 'data-cache'));
    try {
      await runtime.field.cache.flush();
      fill(runtime);
      const at = Date.now();
      const readings = (round: number) =>
        Array.from({ length: 1500 }, (_, i): { op: 'set'; item: StateItem } => ({ op: 'set', item: { type: 'reading', id: `s${i % 50}`, at: at + round * 10_000 + i, value: i, extra: {} } }));
      let flushFailed = false;
      for (let round = 0; round < 20 && !flushFailed; round++) {
        runtime.field.cache.write('gw-full', readings(round));
        flushFailed = await runtime.field.cache.flush().then(() => false, () => true);
      }
      assert.ok(flushFailed, 'a batch was rolled back');
      const alerts = storageAlerts(runtime);
      assert.equal(alerts.length, 1);
      assert.ok(alerts[0]!.title.en.includes('telemetry.sqlite') || alerts[0]!.title.en.includes(runtime.core.databaseFile), alerts[0]!.title.en);
      assert.equal(runtime.core.status().revision, runtime.core.controller.currentRevision, 'the host still answers');
    } finally {
      free(null);
      await runtime.close();
    }
  });

  it('the host starts on a full disk, says so, and serves the last picture', { timeout: 60_000, skip: disk ? false : 'needs a mountable tmpfs (root)' }, async () => {
    const dataDir = join(disk!.dir, 'data-start');
    const first = await start(dataDir);
    const revision = first.core.controller.currentRevision;
    // signed in before: the session is in the database, and a hello with its token needs no new page
    await signedIn(first, dataDir);
    await first.close();
    disk!.fill();
    let runtime: Runtime | null = null;
    try {
      runtime = await start(dataDir);
      assert.equal(runtime.core.controller.currentRevision, revision);
      const { refused } = await refusedCommand(await signedIn(runtime, dataDir));
      await rejectsWith(Promise.reject(refused), 'storage-full');
      assert.equal(storageAlerts(runtime).length, 1);
    } finally {
      free(null);
      await runtime?.close();
    }
  });
});
