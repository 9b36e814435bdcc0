import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ContractError, type ImportProgress } from '../../native-bridge/contract.js';
import { GIS_DATABASE_FILE, openDatasetStore } from '../../electron/node/gis/dataset-store.js';
import { createGisImportPort } from '../../electron/node/gis/gis-import-port.js';
import { COMMUNES_DATASET } from '../../electron/node/gis/gis-service.js';
import { gisFixture, tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const provincesFile = gisFixture('vn-34-provinces.geojson');

function setUp() {
  const dir = tempDir('ioc-wall-gis-port-');
  const store = openDatasetStore(join(dir, GIS_DATABASE_FILE), keyBeside(join(dir, GIS_DATABASE_FILE)));
  let areaReloads = 0;
  const port = createGisImportPort(
    {
      datasets: store,
      reloadAreas: async () => {
        areaReloads++;
        return 0;
      },
    },
    { importDirs: [dir, dirname(provincesFile)] },
  );
  return { dir, store, port, areaReloads: () => areaReloads };
}

function isContractError(code: string, ...inMessage: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof ContractError, String(error));
    assert.equal(error.code, code, error.message);
    for (const text of inMessage) assert.ok(error.message.includes(text), `"${error.message}" should mention "${text}"`);
    return true;
  };
}

describe('GIS import port', () => {
  it('imports a file, reporting progress through every phase up to done === total', async () => {
    const { store, port, areaReloads } = setUp();
    const progress: ImportProgress[] = [];
    const summary = await port.importFile(provincesFile, { dataset: 'provinces' }, (p) => progress.push(p));
    assert.equal(summary.name, 'provinces');
    assert.equal(summary.features, 34);
    assert.deepEqual(port.datasets(), [summary]);
    assert.deepEqual([...new Set(progress.map((p) => p.phase))], ['read', 'reproject', 'write']);
    const last = progress.at(-1)!;
    assert.deepEqual([last.phase, last.done, last.total], ['write', 34, 34]);
    assert.equal(areaReloads(), 0, 'only the communes dataset feeds the spatial index');
    store.close();
  });

  it('reloads the spatial index areas after importing the communes dataset', async () => {
    const { store, port, areaReloads } = setUp();
    await port.importFile(provincesFile, { dataset: COMMUNES_DATASET }, () => {});
    assert.equal(areaReloads(), 1);
    store.close();
  });

  it('refuses a second import while one runs, then accepts the next', async () => {
    const { store, port } = setUp();
    const first = port.importFile(provincesFile, { dataset: 'first' }, () => {});
    await assert.rejects(port.importFile(provincesFile, { dataset: 'second' }, () => {}), isContractError('conflict'));
    await first;
    await port.importFile(provincesFile, { dataset: 'second' }, () => {});
    assert.deepEqual(
      port.datasets().map((d) => d.name),
      ['first', 'second'],
    );
    store.close();
  });

  it('rejects a bad file naming the file and the feature, and keeps the previous dataset', async () => {
    const { dir, store, port } = setUp();
    const before = await port.importFile(provincesFile, { dataset: 'provinces' }, () => {});
    const broken = join(dir, 'ranh-gioi-loi.geojson');
    // two points bound no area (an open ring of three would be closed and imported)
    const shortRing = { type: 'Polygon', coordinates: [[[106, 10], [107, 10]]] };
    writeFileSync(
      broken,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { ten: 'tốt' }, geometry: { type: 'Point', coordinates: [106.5, 10.5] } },
          { type: 'Feature', properties: { ten: 'hỏng' }, geometry: shortRing },
        ],
      }),
    );
    await assert.rejects(port.importFile(broken, { dataset: 'provinces' }, () => {}), isContractError('invalid', 'ranh-gioi-loi.geojson', 'feature 1'));
    assert.deepEqual(port.datasets(), [before]);
    assert.equal(store.features('provinces').length, 34);
    store.close();
  });

  it('answers not-found for a missing file, and frees the port for the next import', async () => {
    const { dir, store, port } = setUp();
    await assert.rejects(port.importFile(join(dir, 'khong-co.geojson'), {}, () => {}), isContractError('not-found', 'khong-co.geojson'));
    await port.importFile(provincesFile, {}, () => {});
    assert.deepEqual(
      port.datasets().map((d) => d.name),
      ['vn-34-provinces'],
    );
    store.close();
  });

  it('refuses a file outside the import folders as forbidden, naming the path, without looking at it', async () => {
    const { store, port } = setUp();
    const elsewhere = join(tempDir('ioc-wall-elsewhere-'), 'so-lieu.csv');
    writeFileSync(elsewhere, 'lon,lat\n106.5,10.5\n');
    await assert.rejects(port.importFile(elsewhere, {}, () => {}), isContractError('forbidden', elsewhere));
    await assert.rejects(port.importFile('/etc/passwd', {}, () => {}), isContractError('forbidden', '/etc/passwd'));
    await assert.rejects(port.importFile('/etc/khong-co-tep-nay.csv', {}, () => {}), isContractError('forbidden'), 'a missing file outside is forbidden too: no probing for files');
    assert.deepEqual(port.datasets(), []);
    store.close();
  });

  it('refuses a way out of an import folder: .. segments and a symbolic link to a file elsewhere', async () => {
    const { dir, store, port } = setUp();
    const elsewhere = tempDir('ioc-wall-elsewhere-');
    const outside = join(elsewhere, 'ngoai.geojson');
    copyFileSync(provincesFile, outside);
    await assert.rejects(port.importFile(join(dir, '..', elsewhere.split('/').at(-1)!, 'ngoai.geojson'), {}, () => {}), isContractError('forbidden', 'ngoai.geojson'));
    const link = join(dir, 'lien-ket.geojson');
    symlinkSync(outside, link);
    await assert.rejects(port.importFile(link, {}, () => {}), isContractError('forbidden', 'lien-ket.geojson'));
    const linkedDir = join(dir, 'thu-muc');
    symlinkSync(elsewhere, linkedDir);
    await assert.rejects(port.importFile(join(linkedDir, 'ngoai.geojson'), {}, () => {}), isContractError('forbidden'));
    assert.deepEqual(port.datasets(), []);
    store.close();
  });

  it('imports from a sub-folder of an import folder', async () => {
    const { dir, store, port } = setUp();
    mkdirSync(join(dir, 'so-tnmt'));
    const file = join(dir, 'so-tnmt', 'tinh.geojson');
    copyFileSync(provincesFile, file);
    const summary = await port.importFile(file, { dataset: 'tinh' }, () => {});
    assert.equal(summary.features, 34);
    store.close();
  });
});
