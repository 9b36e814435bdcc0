/**
 * The /gis dataset answers over a real dataset store: the GeoJSON and the point table of a large
 * dataset are built a page at a time, letting the event loop run in between (three windows asking
 * for a million features must not freeze the host), kept until the dataset is re-imported, and
 * rebuilt when a re-import lands in the middle of a build.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { GIS_DATABASE_FILE, openDatasetStore, type DatasetStore, type StoredFeatureInput } from '../../electron/node/gis/dataset-store.js';
import { createDatasetAnswers } from '../../electron/node/gis/dataset-answers.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

function points(count: number, shift = 0): StoredFeatureInput[] {
  return Array.from({ length: count }, (_, i) => {
    const lon = 105 + ((i * 7919) % 10_000) / 10_000 + shift;
    const lat = 10 + ((i * 104_729) % 10_000) / 10_000;
    return { properties: { id: i, ten: `điểm ${i}` }, geometry: { type: 'Point', coordinates: [lon, lat] }, bbox: [lon, lat, lon, lat] };
  });
}

function put(store: DatasetStore, name: string, features: StoredFeatureInput[], importedAt: number): void {
  store.replace({ name, features: features.length, bbox: [105, 10, 107, 11], sourceCrs: 'EPSG:4326', sourceFile: `${name}.geojson`, format: 'geojson', importedAt }, features);
}

/** Event-loop turns taken while `work` runs: a build that never yields takes none. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    turns++;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const value = await work();
  done = true;
  return { value, turns };
}

describe('dataset answers', () => {
  const file = join(tempDir('ioc-wall-answers-'), GIS_DATABASE_FILE);
  const store = openDatasetStore(file, keyBeside(file));
  const answers = createDatasetAnswers(store, { pageSize: 500 });

  it('builds a large dataset as GeoJSON a page at a time, the same features the store holds', async () => {
    put(store, 'diem', points(20_000), 1);
    const { value, turns } = await turnsDuring(() => answers.geojson('diem'));
    assert.ok(turns >= 20, `the event loop ran ${turns} times during the build`);
    const collection = JSON.parse(gunzipSync(value!).toString()) as { type: string; features: unknown[] };
    assert.equal(collection.type, 'FeatureCollection');
    assert.deepEqual(collection.features, store.features('diem'));
  });

  it('builds the point table a page at a time, lon/lat Float32 pairs in import order', async () => {
    const { value, turns } = await turnsDuring(() => answers.points('diem'));
    assert.ok(turns >= 20, `the event loop ran ${turns} times during the build`);
    const positions = new Float32Array(value!.buffer, value!.byteOffset, value!.length / 4);
    const expected = points(20_000).flatMap((f) => (f.geometry as { coordinates: number[] }).coordinates);
    assert.deepEqual([...positions], [...new Float32Array(expected)]);
  });

  it('answers again from its cache, shares one build between parallel requests, and rebuilds after a re-import', async () => {
    const first = await answers.geojson('diem');
    assert.equal(await answers.geojson('diem'), first, 'the same bytes, not built again');
    put(store, 'moi', points(3_000), 1);
    const [a, b, c] = await Promise.all([answers.geojson('moi'), answers.geojson('moi'), answers.geojson('moi')]);
    assert.ok(a === b && b === c, 'one build for three windows');
    put(store, 'moi', points(2_000, 1), 2);
    const rebuilt = JSON.parse(gunzipSync((await answers.geojson('moi'))!).toString()) as { features: unknown[] };
    assert.equal(rebuilt.features.length, 2_000);
  });

  it('answers with the new dataset when a re-import lands during a build', async () => {
    put(store, 'doi', points(20_000), 1);
    const building = answers.geojson('doi');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    put(store, 'doi', points(1_000, 1), 2);
    const collection = JSON.parse(gunzipSync((await building)!).toString()) as { features: unknown[] };
    assert.deepEqual(collection.features, store.features('doi'));
  });

  it('answers null for a dataset the store does not have', async () => {
    assert.equal(await answers.geojson('khong-co'), null);
    assert.equal(await answers.points('khong-co'), null);
  });
});
