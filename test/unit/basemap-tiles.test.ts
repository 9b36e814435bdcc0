/**
 * The offline base map: the committed demo MBTiles and GIS files (scripts/make-demo-basemap.ts)
 * read through openTileSource and decoded with loaders.gl's MVT parser, GDAL-made MBTiles
 * fixtures, and a PMTiles archive packed from GDAL's tiles (test/fixtures/basemap/README.md).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { MVTLoader } from '@loaders.gl/mvt';
import * as turf from '@turf/turf';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { Compression, TileType } from 'pmtiles';
import { openTileSource, type Tile } from '../../electron/node/gis/basemap/tile-source.js';
import { DEMO_PROVINCE, demoCommunes, demoSites } from '../../sim/province.js';
import { writePmtiles } from '../support/pmtiles-writer.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources/basemap/demo-province.mbtiles');
const GDAL_GZIP = join(ROOT, 'test/fixtures/basemap/communes-gdal.mbtiles');
const GDAL_PLAIN = join(ROOT, 'test/fixtures/basemap/communes-gdal-uncompressed.mbtiles');
const DEMO_LAYERS = ['commune', 'country', 'place', 'province', 'road', 'water'];

const scratch = mkdtempSync(join(tmpdir(), 'ioc-basemap-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The XYZ tile holding a point. */
function tileAt(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

/** [w, s, e, n] of an XYZ tile. */
function tileBounds({ z, x, y }: { z: number; x: number; y: number }): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

/** Decodes a tile into WGS 84 GeoJSON features; properties.layerName is the source layer. */
async function decode(tile: Tile, at: { z: number; x: number; y: number }): Promise<Feature[]> {
  const raw = tile.encoding === 'gzip' ? gunzipSync(tile.data) : tile.data;
  const bytes = new Uint8Array(raw).buffer;
  return (await MVTLoader.parse(bytes, { mvt: { shape: 'geojson', coordinates: 'wgs84', tileIndex: at, layerProperty: 'layerName' }, worker: false })) as Feature[];
}

const inLayer = (features: Feature[], layer: string): Feature[] => features.filter((f) => f.properties?.layerName === layer);
const names = (features: Feature[]): string[] => features.map((f) => String(f.properties?.name));
const readGeojson = (path: string): FeatureCollection => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as FeatureCollection;
const landSites = () => demoSites().filter((s) => s.kind !== 'vessel');

test('the demo MBTiles describes its vector layers, zooms and bounds', async () => {
  const source = await openTileSource(DEMO);
  try {
    const meta = source.metadata();
    assert.equal(meta.format, 'pbf');
    assert.equal(meta.minzoom, 4);
    assert.equal(meta.maxzoom, 13);
    assert.deepEqual(meta.vectorLayers?.map((l) => l.id).sort(), DEMO_LAYERS);
    assert.deepEqual(meta.vectorLayers?.find((l) => l.id === 'commune')?.fields, { id: 'String', name: 'String' });
    const [w, s, e, n] = meta.bounds;
    assert.ok(w < DEMO_PROVINCE.center.lon && DEMO_PROVINCE.center.lon < e && s < DEMO_PROVINCE.center.lat && DEMO_PROVINCE.center.lat < n);
    assert.deepEqual(meta.center?.slice(0, 2), [DEMO_PROVINCE.center.lon, DEMO_PROVINCE.center.lat]);
  } finally {
    await source.close();
  }
});

test('zoom 10 over the demo province: every layer, the sim’s exact Vietnamese names, communes where they are', async () => {
  const source = await openTileSource(DEMO);
  try {
    const at = tileAt(DEMO_PROVINCE.center.lon, DEMO_PROVINCE.center.lat, 10);
    const tile = await source.getTile(at.z, at.x, at.y);
    assert.ok(tile, `tile ${at.z}/${at.x}/${at.y} is missing`);
    assert.equal(tile.encoding, 'gzip');
    const features = await decode(tile, at);
    for (const layer of DEMO_LAYERS) assert.ok(inLayer(features, layer).length > 0, `layer ${layer} is empty`);

    assert.deepEqual(names(inLayer(features, 'province')), ['Tỉnh Đồng Nai (mô phỏng)']);
    assert.deepEqual(names(inLayer(features, 'country')), ['Việt Nam']);
    const communes = inLayer(features, 'commune');
    const byId = new Map(demoCommunes.map((c) => [c.id, c]));
    for (const f of communes) assert.equal(f.properties?.name, byId.get(String(f.properties?.id))?.name, `commune ${f.properties?.id}`);
    // Decoded where the sim puts them (the MBTiles rows were flipped right): each commune whose
    // centre is in this tile holds it.
    const [w, south, e, n] = tileBounds(at);
    const centred = demoCommunes.filter((c) => c.center.lon > w && c.center.lon < e && c.center.lat > south && c.center.lat < n);
    assert.ok(centred.some((c) => c.id === 'xa-trang-bom'));
    for (const c of centred) {
      const polygon = communes.find((f) => f.properties?.id === c.id) as Feature<Polygon | MultiPolygon> | undefined;
      assert.ok(polygon && turf.booleanPointInPolygon([c.center.lon, c.center.lat], polygon), `${c.id} is not where the sim puts it`);
    }
    assert.equal(communes.find((f) => f.properties?.id === 'xa-trang-bom')?.properties?.name, 'Xã Trảng Bom (mô phỏng)');

    const labels = inLayer(features, 'place').filter((f) => f.properties?.kind === 'commune');
    assert.ok(labels.length > 0);
    for (const label of labels) assert.ok(demoCommunes.some((c) => c.name === label.properties?.name), `label ${label.properties?.name}`);
    assert.ok(names(inLayer(features, 'road')).includes('Quốc lộ 51 (mô phỏng)'));
    assert.ok(inLayer(features, 'road').every((f) => ['motorway', 'trunk', 'primary', 'secondary'].includes(String(f.properties?.class))));
    for (const name of [...names(features)]) assert.equal(name, name.normalize('NFC'), `${name} is not NFC`);
  } finally {
    await source.close();
  }
});

test('zoom 5 over the demo province: Việt Nam and its cities, no commune detail', async () => {
  const source = await openTileSource(DEMO);
  try {
    const at = tileAt(DEMO_PROVINCE.center.lon, DEMO_PROVINCE.center.lat, 5);
    const tile = await source.getTile(at.z, at.x, at.y);
    assert.ok(tile);
    const features = await decode(tile, at);
    assert.ok(names(inLayer(features, 'country')).includes('Việt Nam'));
    assert.ok(names(inLayer(features, 'place')).includes('Thành phố Hồ Chí Minh'));
    assert.equal(inLayer(features, 'commune').length, 0);
  } finally {
    await source.close();
  }
});

test('a tile the file does not have is null; impossible coordinates are refused', async () => {
  const source = await openTileSource(DEMO);
  try {
    assert.equal(await source.getTile(13, 0, 0), null);
    assert.equal(await source.getTile(3, 6, 3), null); // below the minimum zoom
    await assert.rejects(source.getTile(10, 1024, 0), RangeError);
    await assert.rejects(source.getTile(-1, 0, 0), RangeError);
    await assert.rejects(source.getTile(10, 1.5, 0), RangeError);
  } finally {
    await source.close();
  }
});

test('missing, foreign and malformed files fail with a clear error', async () => {
  await assert.rejects(openTileSource(join(scratch, 'nowhere.mbtiles')), /no such file/);
  const text = join(scratch, 'notes.mbtiles');
  writeFileSync(text, 'not a tile archive');
  await assert.rejects(openTileSource(text), /neither an MBTiles \(SQLite\) nor a PMTiles file/);
  const emptyDb = join(scratch, 'empty.mbtiles');
  const db = new Database(emptyDb);
  db.exec('CREATE TABLE something (a)');
  db.close();
  await assert.rejects(openTileSource(emptyDb), /is not an MBTiles file/);
  await assert.rejects(openTileSource(scratch), /cannot be read/); // a directory
  const truncated = join(scratch, 'truncated.pmtiles');
  writeFileSync(truncated, Buffer.concat([Buffer.from('PMTiles\x03', 'latin1'), Buffer.alloc(40)]));
  await assert.rejects(openTileSource(truncated), /is not a readable PMTiles file/);
});

test('GDAL-made MBTiles: gzip’d and uncompressed tiles are told apart by their bytes', async () => {
  const at = tileAt(DEMO_PROVINCE.center.lon, DEMO_PROVINCE.center.lat, 10);
  const decoded: Feature[][] = [];
  for (const [file, encoding] of [
    [GDAL_GZIP, 'gzip'],
    [GDAL_PLAIN, 'identity'],
  ] as const) {
    const source = await openTileSource(file);
    try {
      assert.deepEqual(source.metadata().vectorLayers?.map((l) => l.id), ['commune']);
      const tile = await source.getTile(at.z, at.x, at.y);
      assert.equal(tile?.encoding, encoding, file);
      decoded.push(await decode(tile!, at));
    } finally {
      await source.close();
    }
  }
  assert.deepEqual(names(decoded[0]!).sort(), names(decoded[1]!).sort());
  assert.ok(names(decoded[0]!).includes('Xã Long Thành (mô phỏng)'));
});

test('PMTiles: the GDAL tiles packed as an archive read back tile for tile', async () => {
  const db = new Database(GDAL_GZIP, { readonly: true });
  const rows = db.prepare('SELECT zoom_level AS z, tile_column AS x, tile_row AS row, tile_data AS data FROM tiles').all() as { z: number; x: number; row: number; data: Buffer }[];
  db.close();
  const tiles = rows.map((r) => ({ z: r.z, x: r.x, y: 2 ** r.z - 1 - r.row, data: r.data }));
  const file = join(scratch, 'communes.pmtiles');
  writePmtiles(file, {
    tiles,
    tileCompression: Compression.Gzip,
    tileType: TileType.Mvt,
    metadata: { name: 'Xã phường mô phỏng (PMTiles)', vector_layers: [{ id: 'commune', fields: { id: 'String', name: 'String', level: 'String' } }] },
    bounds: [106.765, 10.625, 107.24, 11.25],
    center: [107.0, 10.94, 8],
  });

  const source = await openTileSource(file);
  try {
    const meta = source.metadata();
    assert.equal(meta.name, 'Xã phường mô phỏng (PMTiles)');
    assert.equal(meta.format, 'pbf');
    assert.equal(meta.minzoom, 6);
    assert.equal(meta.maxzoom, 10);
    assert.deepEqual(meta.bounds, [106.765, 10.625, 107.24, 11.25]);
    assert.deepEqual(meta.vectorLayers?.map((l) => l.id), ['commune']);
    for (const t of tiles) {
      const got = await source.getTile(t.z, t.x, t.y);
      assert.ok(got, `tile ${t.z}/${t.x}/${t.y}`);
      const data = got.encoding === 'gzip' ? gunzipSync(got.data) : got.data;
      assert.ok(data.equals(gunzipSync(t.data)), `tile ${t.z}/${t.x}/${t.y} differs`);
    }
    const at = tileAt(DEMO_PROVINCE.center.lon, DEMO_PROVINCE.center.lat, 10);
    const features = await decode((await source.getTile(at.z, at.x, at.y))!, at);
    assert.ok(names(features).includes('Xã Long Thành (mô phỏng)'));
    assert.equal(await source.getTile(10, 0, 0), null);
    assert.equal(await source.getTile(11, at.x * 2, at.y * 2), null); // above the maximum zoom
    assert.equal(await source.getTile(27, 0, 0), null); // deeper than PMTiles can address
    await assert.rejects(source.getTile(31, 0, 0), RangeError);
  } finally {
    await source.close();
  }
});

test('demo-communes.geojson: the communes tile the province, which holds every site on land', () => {
  const fc = readGeojson('resources/gis/demo-communes.geojson');
  const province = fc.features.find((f) => f.properties?.level === 'province') as Feature<Polygon | MultiPolygon>;
  assert.equal(province.properties?.name, 'Tỉnh Đồng Nai (mô phỏng)');
  const communes = fc.features.filter((f) => f.properties?.level === 'commune') as Feature<Polygon | MultiPolygon>[];
  assert.deepEqual(
    communes.map((f) => [f.properties?.id, f.properties?.name]),
    demoCommunes.map((c) => [c.id, c.name]),
  );
  for (const c of demoCommunes) assert.ok(turf.booleanPointInPolygon([c.center.lon, c.center.lat], communes.find((f) => f.properties?.id === c.id)!), c.id);

  const provinceM2 = turf.area(province);
  const communesM2 = communes.reduce((sum, f) => sum + turf.area(f), 0);
  assert.ok(Math.abs(communesM2 - provinceM2) < 1e-5 * provinceM2, `communes cover ${communesM2} m², the province ${provinceM2} m²`);
  for (const [i, a] of communes.entries()) {
    for (const b of communes.slice(i + 1)) {
      const overlap = turf.intersect(turf.featureCollection([a, b]));
      assert.ok(!overlap || turf.area(overlap) < 10, `${a.properties?.id} overlaps ${b.properties?.id}`);
    }
  }
  for (const site of landSites()) assert.ok(turf.booleanPointInPolygon([site.location.lon, site.location.lat], province), `${site.id} is outside the province`);
});

test('demo-road-segments.geojson: 0.6–1.5 km of road through each traffic sensor', () => {
  const segments = readGeojson('resources/gis/demo-road-segments.geojson').features as Feature<LineString>[];
  const sensors = demoSites().filter((s) => s.kind === 'traffic');
  assert.deepEqual(segments.map((f) => f.properties?.sensorId).sort(), sensors.map((s) => s.id).sort());
  for (const sensor of sensors) {
    const segment = segments.find((f) => f.properties?.sensorId === sensor.id)!;
    assert.equal(segment.properties?.name, sensor.name);
    const km = turf.length(segment);
    assert.ok(km >= 0.6 && km <= 1.5, `${sensor.id}: ${km} km`);
    const offM = turf.pointToLineDistance([sensor.location.lon, sensor.location.lat], segment, { units: 'meters' });
    assert.ok(offM < 100, `${sensor.id} is ${offM} m from its segment`);
  }
});
