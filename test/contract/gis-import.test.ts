/**
 * gis.datasets / gis.import through a real core over the in-memory transport: who may import,
 * progress events to console windows only, the answer, the alert, and a bad file's failure.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PortClientTransport } from '../../native-bridge/channel.js';
import { ContractError, type GisImportProgressEvent, type WindowId } from '../../native-bridge/contract.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { GIS_DATABASE_FILE, openDatasetStore, type DatasetStore } from '../../electron/node/gis/dataset-store.js';
import { createGisImportPort } from '../../electron/node/gis/gis-import-port.js';
import { startRuntime } from '../../electron/node/runtime.js';
import { defaultIndicatorsDir } from '../../electron/node/project-paths.js';
import { testScenariosDir } from '../support/test-scenarios.js';
import { demoPresetsDir, demoWallFile, gisFixture, noGatewaysFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith } from '../support/harness.js';
import { createAccount, helloAsConsole, helloAsDisplay, type TestAccount } from '../support/accounts.js';
import { keyBeside } from '../support/storage.js';

const provincesFile = gisFixture('vn-34-provinces.geojson');

describe('gis.import through the core', () => {
  const dir = tempDir('ioc-wall-gis-contract-');
  let core: Core;
  let store: DatasetStore;
  const transports: PortClientTransport[] = [];
  let technician: TestAccount;

  before(async () => {
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: dir, host: 'chromium' });
    technician = await createAccount(dir, 'technician');
    store = openDatasetStore(join(dir, GIS_DATABASE_FILE), keyBeside(join(dir, GIS_DATABASE_FILE)));
    core.attachGisImport(createGisImportPort({ datasets: store, reloadAreas: async () => 0 }, { importDirs: [dir, dirname(provincesFile)] }));
  });
  after(async () => {
    transports.forEach((t) => t.close());
    store.close();
    await core.close();
  });

  /** A window that said hello (the console signed in as a technician), and the gis.import.progress events it received. */
  async function open(window: WindowId) {
    const { client, transport } = connectInMemory(core);
    transports.push(transport);
    const progress: GisImportProgressEvent[] = [];
    client.on('gis.import.progress', (event) => progress.push(event));
    if (window === 'console') await helloAsConsole(client, technician);
    else await helloAsDisplay(client, dir, window);
    return { client, transport, progress };
  }

  it('refuses display windows, and names a bad field', async () => {
    const display = await open('r0c1');
    await rejectsWith(display.client.call('gis.import', { file: provincesFile }), 'forbidden');
    const operator = await open('console');
    await rejectsWith(operator.transport.invoke('gis.import', { file: 'tinh.geojson' }), 'invalid', 'payload.file');
    await rejectsWith(operator.transport.invoke('gis.import', { file: provincesFile, dataset: 'Tên có dấu' }), 'invalid', 'payload.dataset');
    await rejectsWith(operator.client.call('gis.import', { file: join(dir, 'khong-co.geojson') }), 'not-found');
    assert.deepEqual(operator.progress, [], 'a refused import sends no progress');
  });

  it('imports for the console, with progress to consoles only, an info alert and the new list', async () => {
    const operator = await open('console');
    const display = await open('r1c1');
    const { importId, dataset } = await operator.client.call('gis.import', { file: provincesFile, dataset: 'provinces' });
    assert.equal(dataset.features, 34);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(display.progress, []);
    assert.ok(operator.progress.length >= 3);
    assert.ok(operator.progress.every((p) => p.importId === importId));
    const last = operator.progress.at(-1)!;
    assert.equal(last.state, 'done');
    assert.deepEqual(last.state === 'done' && last.dataset, dataset);
    assert.equal(last.done, last.total);
    assert.ok(core.alerts.list().some((a) => a.severity === 'info' && a.source === 'gis' && a.title.vi.startsWith('Đã nhập dữ liệu GIS "provinces"')));
    assert.deepEqual((await display.client.call('gis.datasets', {})).datasets, [dataset]);
  });

  it('answers with the geometry notes of a sloppy file (an open ring closed, a bowtie kept) and says so in a warning', async () => {
    const operator = await open('console');
    const sloppy = join(dir, 'ranh-gioi-xau.geojson');
    const bowtie = [[[106, 16], [107, 17], [107, 16], [106, 17], [106, 16]]];
    const open3 = [[[106, 10], [107, 10], [107, 11]]];
    const features = [bowtie, open3].map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } }));
    writeFileSync(sloppy, JSON.stringify({ type: 'FeatureCollection', features }));
    const { dataset } = await operator.client.call('gis.import', { file: sloppy, dataset: 'xau' });
    assert.deepEqual(dataset.geometryNotes, { ringsClosed: 1, selfIntersecting: 1, selfIntersectingFeatures: [0], crossingsUnchecked: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    const last = operator.progress.at(-1)!;
    assert.deepEqual(last.state === 'done' && last.dataset.geometryNotes, dataset.geometryNotes);
    const alert = core.alerts.list().find((a) => a.source === 'gis' && a.title.en.includes('"xau"'));
    assert.ok(alert);
    assert.equal(alert.severity, 'warning');
    assert.match(alert.title.vi, /đã khép 1 vòng đa giác bị hở; 1 đối tượng có đa giác tự cắt, nhập nguyên trạng \(đối tượng số 0\)/);
    assert.match(alert.title.en, /closed 1 open polygon ring; 1 feature with a self-intersecting polygon, imported as is \(feature 0\)/);
  });

  it('rejects a bad file as invalid, naming file and feature, and reports the failure', async () => {
    const operator = await open('console');
    const broken = join(dir, 'hong.geojson');
    writeFileSync(broken, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[106, 10]] } }] }));
    await assert.rejects(operator.client.call('gis.import', { file: broken, dataset: 'provinces' }), (error: unknown) => {
      assert.ok(error instanceof ContractError && error.code === 'invalid', String(error));
      assert.match(error.message, /^hong\.geojson: feature 0: /);
      return true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const last = operator.progress.at(-1)!;
    assert.equal(last.state, 'failed');
    assert.match(last.state === 'failed' ? last.message : '', /hong\.geojson: feature 0/);
    assert.equal((await operator.client.call('gis.datasets', {})).datasets[0]?.features, 34, 'the previous dataset stays');
  });
});

describe('gis.import through a whole runtime: the import folders', () => {
  it('refuses a file outside <data-dir>/imports and the --import-dir folders, and imports one inside', async () => {
    const dataDir = tempDir('ioc-wall-gis-runtime-');
    const extra = tempDir('ioc-wall-gis-extra-');
    const runtime = await startRuntime({
      host: 'electron',
      wallFile: demoWallFile,
      presetsDir: demoPresetsDir,
      indicatorsDir: defaultIndicatorsDir,
      scenariosDir: testScenariosDir(),
      gatewaysFile: noGatewaysFile,
      dataDir,
      importDirs: [extra],
      serve: null,
      log: () => {},
    });
    const operator = connectInMemory(runtime.core);
    try {
      // importing GIS data is a technician's job (signed in with password and TOTP)
      await helloAsConsole(operator.client, await createAccount(dataDir, 'technician'));
      const stray = join(tempDir('ioc-wall-gis-stray-'), 'tinh.geojson');
      copyFileSync(provincesFile, stray);
      await rejectsWith(operator.client.call('gis.import', { file: stray, dataset: 'stray' }), 'forbidden');
      copyFileSync(provincesFile, join(dataDir, 'imports', 'tinh.geojson'));
      const { dataset } = await operator.client.call('gis.import', { file: join(dataDir, 'imports', 'tinh.geojson'), dataset: 'tinh' });
      assert.equal(dataset.features, 34);
      copyFileSync(provincesFile, join(extra, 'tinh-2.geojson'));
      assert.equal((await operator.client.call('gis.import', { file: join(extra, 'tinh-2.geojson'), dataset: 'tinh-2' })).dataset.features, 34);
    } finally {
      operator.transport.close();
      await runtime.close();
    }
  });
});
