import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bbox as turfBbox, distance } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { importCliResult, type DatasetSummary } from '../../native-bridge/gis-datasets.js';
import { GIS_DATABASE_FILE, openDatasetStore, type DatasetStore } from '../../electron/node/gis/dataset-store.js';
import { GisImportError, importGisFile } from '../../electron/node/gis/import/import-gis-file.js';
import { dbfEncoding } from '../../electron/node/gis/import/read-shapefile.js';
import { datasetNameFromFile } from '../../electron/node/gis/import/slug.js';
import { gisFixture as fixture, projectRoot, tempDir } from '../support/fixtures.js';
import { maxOf, minOf } from '../../native-bridge/extremes.js';
import { keyBeside } from '../support/storage.js';

const SHAPEFILE = 'vn-34-provinces-vn2000-utm48n';
const truth = JSON.parse(readFileSync(fixture('vn-34-provinces.geojson'), 'utf8')) as FeatureCollection;
const truthBbox = turfBbox(truth);
const truthNames = truth.features.map((f) => f.properties!.ten_tinh as string).sort();

function freshStore(): DatasetStore {
  const file = join(tempDir('ioc-wall-gis-'), GIS_DATABASE_FILE);
  return openDatasetStore(file, keyBeside(file));
}

function assertBboxClose(actual: readonly number[], expected: readonly number[], tolerance: number) {
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) <= tolerance, `bbox[${i}] ${value} vs ${expected[i]} (tolerance ${tolerance})`));
}

const names = (features: Feature[]) => features.map((f) => f.properties!.ten_tinh as string).sort();

/** Every ring of a (multi)polygon, in order. */
const ringsOf = (geometry: Geometry): Position[][] =>
  geometry.type === 'Polygon' ? geometry.coordinates : geometry.type === 'MultiPolygon' ? geometry.coordinates.flat(1) : [];

/** Largest and mean distance in metres between matching vertices; a shapefile may store a ring in the opposite direction. */
function vertexErrorsM(imported: Feature[]): { max: number; mean: number } {
  const byName = new Map(truth.features.map((f) => [f.properties!.ten_tinh as string, f.geometry]));
  let max = 0;
  let sum = 0;
  let count = 0;
  for (const feature of imported) {
    const expectedRings = ringsOf(byName.get(feature.properties!.ten_tinh as string)!);
    const actualRings = ringsOf(feature.geometry);
    assert.equal(actualRings.length, expectedRings.length, `${feature.properties!.ten_tinh as string}: ring count`);
    actualRings.forEach((ring, r) => {
      const expected = expectedRings[r]!;
      assert.equal(ring.length, expected.length, `${feature.properties!.ten_tinh as string}: ring ${r} length`);
      const n = ring.length;
      const forward = distance(ring[1]!, expected[1]!) <= distance(ring[1]!, expected[n - 2]!);
      for (let i = 0; i < n; i++) {
        const error = distance(ring[i]!, expected[forward ? i : n - 1 - i]!, { units: 'meters' });
        max = Math.max(max, error);
        sum += error;
        count++;
      }
    });
  }
  return { max, mean: sum / count };
}

/** A store holding the good GeoJSON as dataset "provinces", shared by the tests that must leave it unchanged. */
let provincesStore: Promise<{ store: DatasetStore; before: DatasetSummary }> | undefined;
function storeWithProvinces() {
  provincesStore ??= (async () => {
    const store = freshStore();
    return { store, before: await importGisFile(fixture('vn-34-provinces.geojson'), { store, dataset: 'provinces' }) };
  })();
  return provincesStore;
}

/** Imports the bad file over the good dataset "provinces": the error must name the bad file and the dataset stay as it was. */
async function assertRejectedKeepingPrevious(badFile: string, expectedFile: string, reason?: RegExp) {
  const { store, before } = await storeWithProvinces();
  await assert.rejects(importGisFile(badFile, { store, dataset: 'provinces' }), (error: unknown) => {
    assert.ok(error instanceof GisImportError, `not a GisImportError: ${String(error)}`);
    assert.equal(basename(error.file), expectedFile);
    assert.ok(error.message.startsWith(`${expectedFile}: `), error.message);
    if (reason) assert.match(error.message, reason);
    return true;
  });
  assert.deepEqual(store.get('provinces'), before);
  assert.deepEqual(names(store.features('provinces')), truthNames);
}

describe('GIS import', () => {
  after(async () => (await provincesStore)?.store.close());

  for (const file of ['vn-34-provinces.geojson', 'vn-34-provinces.fgb', 'vn-34-provinces.gpkg', 'vn-34-provinces.kml']) {
    it(`imports ${file}: 34 provinces, the truth's bbox and names`, async () => {
      const store = freshStore();
      const progress: string[] = [];
      const summary = await importGisFile(fixture(file), { store, onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`) });
      assert.equal(summary.name, 'vn-34-provinces');
      assert.equal(summary.features, 34);
      assert.equal(summary.sourceCrs, 'EPSG:4326');
      assert.equal(summary.sourceFile, file);
      assertBboxClose(summary.bbox, truthBbox, 1e-6);
      const features = store.features('vn-34-provinces');
      assert.equal(features.length, 34);
      assert.deepEqual(names(features), truthNames);
      for (const name of names(features)) assert.equal(name, name.normalize('NFC'));
      assert.deepEqual(store.list(), [summary]);
      assert.ok(progress.includes('read 34/34') && progress.includes('reproject 34/34') && progress.at(-1) === 'write 34/34', progress.join(', '));
      store.close();
    });
  }

  it('imports the VN-2000 / UTM 48N shapefile within 5 m of the WGS 84 truth, vertex by vertex', async (t) => {
    const store = freshStore();
    const summary = await importGisFile(fixture(`${SHAPEFILE}.shp`), { store, dataset: 'tinh' });
    assert.equal(summary.features, 34);
    assert.equal(summary.format, 'shapefile');
    assert.equal(summary.sourceCrs, 'VN-2000 / UTM zone 48N');
    // 5 m is about 4.5e-5 degrees
    assertBboxClose(summary.bbox, truthBbox, 5e-5);
    const features = store.features('tinh');
    assert.deepEqual(names(features), truthNames);
    assert.ok(features.some((f) => f.properties!.ten_tinh === 'TP Đà Nẵng'), 'Vietnamese attribute text survives the .dbf (UTF-8 per .cpg)');
    const { max, mean } = vertexErrorsM(features);
    t.diagnostic(`VN-2000 vertex error: max ${max.toFixed(3)} m, mean ${mean.toFixed(3)} m`);
    assert.ok(max <= 5, `max vertex error ${max} m`);
    // The rotations' signs matter at this level: with them flipped (coordinate frame vs position vector) the mean is ~0.7 m.
    assert.ok(mean <= 0.25, `mean vertex error ${mean} m`);
  });

  it('imports CSV points (lon/lat columns named in Vietnamese) and CSV polygons (WKT column)', async () => {
    const dir = tempDir();
    const points = truth.features.map((f, i) => ({ name: f.properties!.ten_tinh as string, code: String(i + 1).padStart(2, '0'), position: ringsOf(f.geometry)[0]![0]! }));
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    writeFileSync(join(dir, 'Tỉnh thành.csv'), ['ten_tinh,ma,dan_so,Kinh độ,Vĩ độ', ...points.map((p, i) => `${quote(p.name)},${p.code},${1000 + i},${p.position[0]},${p.position[1]}`)].join('\n'));
    const store = freshStore();
    const summary = await importGisFile(join(dir, 'Tỉnh thành.csv'), { store });
    assert.equal(summary.name, 'tinh-thanh');
    assert.equal(summary.features, 34);
    const lons = points.map((p) => p.position[0]!);
    const lats = points.map((p) => p.position[1]!);
    assertBboxClose(summary.bbox, [minOf(lons), minOf(lats), maxOf(lons), maxOf(lats)], 1e-9);
    const features = store.features('tinh-thanh');
    assert.deepEqual(names(features), truthNames);
    assert.deepEqual(features[0]!.properties, { ten_tinh: points[0]!.name, ma: '01', dan_so: 1000 });

    const wkt = (geometry: Geometry) => {
      const ring = (r: Position[]) => `(${r.map(([x, y]) => `${x} ${y}`).join(', ')})`;
      if (geometry.type === 'Polygon') return `POLYGON (${geometry.coordinates.map(ring).join(', ')})`;
      if (geometry.type === 'MultiPolygon') return `MULTIPOLYGON (${geometry.coordinates.map((p) => `(${p.map(ring).join(', ')})`).join(', ')})`;
      throw new Error(geometry.type);
    };
    writeFileSync(join(dir, 'polygons.csv'), ['ten_tinh;WKT', ...truth.features.map((f) => `${quote(f.properties!.ten_tinh as string)};${quote(wkt(f.geometry))}`)].join('\n'));
    const polygons = await importGisFile(join(dir, 'polygons.csv'), { store });
    assertBboxClose(polygons.bbox, truthBbox, 1e-9);
    assert.deepEqual(names(store.features('polygons')), truthNames);
    store.close();
  });

  it('rejects a truncated .fgb and keeps the previous dataset', async () => {
    const bad = join(tempDir(), 'cut.fgb');
    const bytes = readFileSync(fixture('vn-34-provinces.fgb'));
    writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assertRejectedKeepingPrevious(bad, 'cut.fgb');
  });

  it('rejects a truncated .shp and keeps the previous dataset', async () => {
    const dir = tempDir();
    for (const ext of ['dbf', 'prj', 'cpg', 'shx']) copyFileSync(fixture(`${SHAPEFILE}.${ext}`), join(dir, `cut.${ext}`));
    const bytes = readFileSync(fixture(`${SHAPEFILE}.shp`));
    writeFileSync(join(dir, 'cut.shp'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assertRejectedKeepingPrevious(join(dir, 'cut.shp'), 'cut.shp', /truncated/);
  });

  it('rejects a truncated .kml and keeps the previous dataset', async () => {
    const bad = join(tempDir(), 'cut.kml');
    writeFileSync(bad, readFileSync(fixture('vn-34-provinces.kml')).subarray(0, 3_000_000));
    await assertRejectedKeepingPrevious(bad, 'cut.kml', /truncated/);
  });

  it('rejects a shapefile without its .dbf, naming the .dbf', async () => {
    const dir = tempDir();
    copyFileSync(fixture(`${SHAPEFILE}.shp`), join(dir, 'alone.shp'));
    await assertRejectedKeepingPrevious(join(dir, 'alone.shp'), 'alone.shp', /alone\.dbf is missing/);
  });

  it('rejects a corrupt .gpkg and keeps the previous dataset', async () => {
    const bad = join(tempDir(), 'broken.gpkg');
    const bytes = Buffer.from(readFileSync(fixture('vn-34-provinces.gpkg')));
    bytes.fill(0x5a, 0, 4096);
    writeFileSync(bad, bytes);
    await assertRejectedKeepingPrevious(bad, 'broken.gpkg');
    const cut = join(tempDir(), 'cut.gpkg');
    writeFileSync(cut, readFileSync(fixture('vn-34-provinces.gpkg')).subarray(0, 200_000));
    await assertRejectedKeepingPrevious(cut, 'cut.gpkg');
  });

  it('rejects bad GeoJSON: broken JSON, a 2-point ring, non-finite coordinates, an unknown CRS', async () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    await assertRejectedKeepingPrevious(write('cut.geojson', readFileSync(fixture('vn-34-provinces.geojson'), 'utf8').slice(0, 50_000)), 'cut.geojson', /not valid JSON/);
    const collection = (...geometries: unknown[]) =>
      JSON.stringify({ type: 'FeatureCollection', features: geometries.map((geometry) => ({ type: 'Feature', properties: {}, geometry })) });
    const point = { type: 'Point', coordinates: [106, 16] };
    await assertRejectedKeepingPrevious(
      write('vn.geojson', collection(point, { type: 'Polygon', coordinates: [[[106, 16], [107, 16]]] })),
      'vn.geojson',
      /^vn\.geojson: feature 1: polygon ring has 2 points/,
    );
    await assertRejectedKeepingPrevious(write('nan.geojson', collection({ type: 'LineString', coordinates: [[106, 16], [106, null]] })), 'nan.geojson', /feature 0: coordinates are not finite/);
    await assertRejectedKeepingPrevious(write('none.geojson', collection(point, null)), 'none.geojson', /feature 1: has no geometry/);
    await assertRejectedKeepingPrevious(write('far.geojson', collection({ type: 'Point', coordinates: [600000, 1700000] })), 'far.geojson', /feature 0: .*not a longitude\/latitude/);
    const withCrs = JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2000' } }, features: [] });
    await assertRejectedKeepingPrevious(write('crs.geojson', withCrs), 'crs.geojson', /unsupported CRS EPSG:2000/);
  });

  it('honours a GeoJSON crs member in VN-2000 (EPSG:3405)', async () => {
    const dir = tempDir();
    // Hà Nội's Hoàn Kiếm lake, first converted by the shapefile path; the same numbers via crs must land in the same place
    const doc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3405' } }, features: [{ type: 'Feature', properties: { ten: 'Hồ Gươm' }, geometry: { type: 'Point', coordinates: [588_000, 2_324_000] } }] };
    writeFileSync(join(dir, 'ho.geojson'), JSON.stringify(doc));
    const store = freshStore();
    const summary = await importGisFile(join(dir, 'ho.geojson'), { store });
    assert.equal(summary.sourceCrs, 'VN-2000 / UTM zone 48N');
    const [lon, lat] = (store.features('ho')[0]!.geometry as { coordinates: number[] }).coordinates;
    assert.ok(lon! > 105.8 && lon! < 105.9 && lat! > 21 && lat! < 21.1, `${lon}, ${lat}`);
  });

  it('a failure inside the write transaction leaves the previous version', async () => {
    const store = freshStore();
    const before = await importGisFile(fixture('vn-34-provinces.geojson'), { store, dataset: 'provinces' });
    const summary: DatasetSummary = { ...before, features: 2, importedAt: before.importedAt + 1 };
    const good = { properties: {}, geometry: { type: 'Point', coordinates: [106, 16] } as Geometry, bbox: [106, 16, 106, 16] as [number, number, number, number] };
    // NaN binds as NULL: the second row breaks a NOT NULL constraint after the old rows were deleted
    assert.throws(() => store.replace(summary, [good, { ...good, bbox: [NaN, 16, 106, 16] }]));
    assert.deepEqual(store.get('provinces'), before);
    assert.equal(store.features('provinces').length, 34);
  });

  it('reads the .cpg code page names ArcGIS and QGIS write', () => {
    assert.equal(dbfEncoding('UTF-8\r\n', 'x.cpg'), 'utf-8');
    assert.equal(dbfEncoding('65001', 'x.cpg'), 'utf-8');
    assert.equal(dbfEncoding('ANSI 1258', 'x.cpg'), 'windows-1258');
    assert.equal(dbfEncoding('1258', 'x.cpg'), 'windows-1258');
    assert.equal(dbfEncoding('8859_1', 'x.cpg'), 'windows-1252');
    assert.throws(() => dbfEncoding('TCVN3', 'x.cpg'), /x\.cpg: unsupported text encoding "TCVN3"/);
  });

  it('names datasets after the file: diacritics folded, đ to d', () => {
    assert.equal(datasetNameFromFile('Ranh giới Đà Nẵng (2025).shp'), 'ranh-gioi-da-nang-2025');
    assert.equal(datasetNameFromFile('đường_bộ.gpkg'), 'duong_bo');
  });
});

describe('npm run import', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'electron', 'node', 'gis', 'import-cli.ts'), ...args], { cwd: projectRoot, encoding: 'utf8' });

  it('imports a file and prints the result as the last stdout line', () => {
    const dataDir = tempDir();
    const run = cli(fixture(`${SHAPEFILE}.shp`), '--dataset', 'tinh', '--data-dir', dataDir);
    assert.equal(run.status, 0, run.stderr);
    const result = importCliResult.parse(JSON.parse(run.stdout.trim().split('\n').at(-1)!));
    assert.equal(result.dataset, 'tinh');
    assert.equal(result.features, 34);
    assert.equal(result.source_crs, 'VN-2000 / UTM zone 48N');
    assertBboxClose(result.bbox, truthBbox, 5e-5);
    const store = openDatasetStore(join(dataDir, GIS_DATABASE_FILE), keyBeside(join(dataDir, GIS_DATABASE_FILE)));
    assert.equal(store.get('tinh')?.features, 34);
    store.close();
  });

  it('exits 1 with the error on stderr for a bad file', () => {
    const bad = join(tempDir(), 'hong.geojson');
    writeFileSync(bad, '{"type": "FeatureCollection", "features": [');
    const run = cli(bad, '--data-dir', tempDir());
    assert.equal(run.status, 1);
    assert.match(run.stderr, /hong\.geojson: not valid JSON/);
    assert.equal(run.stdout, '');
  });
});
