/**
 * Builds the demo province's offline base map and GIS files — DEMO DATA: apart from Việt Nam's
 * outline (Natural Earth, via world-atlas) and a few real city labels, every feature is synthetic
 * and named "(mô phỏng)". The roads and rivers are drawn through the sim's sensors
 * (sim/province.ts demoSites) so that each traffic sensor lies on its road and each station on
 * its river.
 *
 *   resources/basemap/demo-province.mbtiles     vector tiles (docs/basemap.md lists the layers)
 *   resources/gis/demo-communes.geojson         the province and its communes (Voronoi cells)
 *   resources/gis/demo-road-segments.geojson    ~1 km of road around each traffic sensor
 *
 * Run: node --import tsx scripts/make-demo-basemap.ts — the same inputs give the same bytes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as turf from '@turf/turf';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import GeoJSONVT, { type LegacyTile } from 'geojson-vt';
import { feature as topojsonFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { fromGeojsonVt } from 'vt-pbf';
import { DEMO_PROVINCE, demoCommunes, demoSites } from '../sim/province.js';
import { minOf } from '../native-bridge/extremes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIN_ZOOM = 4;
const MAX_ZOOM = 13;
/** Up to this zoom the whole country is tiled; above it only the demo province's area. */
const COUNTRY_MAX_ZOOM = 9;
/** [w, s, e, n]: mainland Việt Nam and the Hoàng Sa and Trường Sa archipelagos. */
const VIETNAM_BOUNDS: [number, number, number, number] = [102, 7, 117, 23.5];
const PROVINCE_NAME = 'Tỉnh Đồng Nai (mô phỏng)';

type LonLat = [number, number];
/** A vertex: a sim site's id (the line passes exactly through it) or a drawn [lon, lat]. */
type Vertex = string | LonLat;

const sites = new Map(demoSites().map((s) => [s.id, s]));
const at = (vertex: Vertex): LonLat => {
  if (typeof vertex !== 'string') return vertex;
  const site = sites.get(vertex);
  if (!site) throw new Error(`sim/province.ts has no site "${vertex}"`);
  return [site.location.lon, site.location.lat];
};
const path = (vertices: Vertex[]): Position[] => vertices.map(at);

// ------------------------------------------------------------------ the synthetic geography

/** Counter-clockwise; the west side follows the Đồng Nai river a little beyond its right bank, the south runs out to sea (clipped to the coast). */
const PROVINCE_RING: LonLat[] = [
  [106.995, 10.625],
  [107.04, 10.63],
  [107.08, 10.7],
  [107.12, 10.78],
  [107.2, 10.84],
  [107.24, 10.93],
  [107.22, 11.02],
  [107.2, 11.12],
  [107.14, 11.22],
  [107.04, 11.25],
  [106.96, 11.2],
  [106.9, 11.13],
  [106.86, 11.06],
  [106.8, 11.0],
  [106.77, 10.96],
  [106.765, 10.92],
  [106.78, 10.86],
  [106.79, 10.8],
  [106.8, 10.74],
  [106.83, 10.69],
  [106.87, 10.65],
  [106.93, 10.625],
  [106.995, 10.625],
];

type RoadClass = 'motorway' | 'trunk' | 'primary' | 'secondary';
interface Road {
  name: string;
  class: RoadClass;
  /** How the sim's traffic sensors on this road begin their names. */
  sensorPrefix: string;
  vertices: Vertex[];
}

const ROADS: Road[] = [
  {
    name: 'Quốc lộ 1A (mô phỏng)',
    class: 'trunk',
    sensorPrefix: 'QL1A',
    vertices: [[106.72, 10.905], [106.76, 10.925], [106.8, 10.937], [106.825, 10.94], 'gt-ql1a-01', 'nut-tam-hiep', 'gt-ql1a-02', 'nut-amata', 'gt-ql1a-03', [106.94, 10.963], 'gt-ql1a-04', 'cam-05', 'cam-06', [107.06, 10.955], [107.13, 10.945], [107.19, 10.94], [107.26, 10.95]],
  },
  {
    name: 'Quốc lộ 51 (mô phỏng)',
    class: 'trunk',
    sensorPrefix: 'QL51',
    vertices: ['nut-tam-hiep', 'gt-ql51-01', 'cam-07', [106.9, 10.885], 'gt-ql51-02', 'cam-08', [106.945, 10.83], 'gt-ql51-03', 'nut-long-thanh', [106.985, 10.76], [107.03, 10.72], [107.06, 10.66], [107.08, 10.6]],
  },
  {
    name: 'Cao tốc TP.HCM – Long Thành – Dầu Giây (mô phỏng)',
    class: 'motorway',
    sensorPrefix: 'Cao tốc TP.HCM–Long Thành–Dầu Giây',
    vertices: [[106.74, 10.79], [106.8, 10.785], [106.88, 10.778], 'gt-cao-toc-01', [107.0, 10.79], 'gt-cao-toc-02', [107.1, 10.86], [107.16, 10.91], [107.19, 10.94]],
  },
  {
    name: 'Đường Võ Thị Sáu (mô phỏng)',
    class: 'primary',
    sensorPrefix: 'Đường Võ Thị Sáu',
    vertices: [[106.822, 10.95], 'den-vts-01', 'gt-vo-thi-sau', 'den-vts-06', [106.836, 10.96]],
  },
  {
    name: 'Đường Đồng Khởi (mô phỏng)',
    class: 'primary',
    sensorPrefix: 'Đường Đồng Khởi',
    vertices: ['nut-tam-hiep', [106.86, 10.95], 'gt-dong-khoi', [106.857, 10.975], [106.855, 10.99]],
  },
  {
    name: 'Đường tỉnh 768 (mô phỏng)',
    class: 'secondary',
    sensorPrefix: 'ĐT768',
    vertices: [[106.855, 10.99], [106.87, 11.015], [106.905, 11.05], [106.935, 11.075], 'gt-dt768', 'cam-13', [106.995, 11.105], [107.01, 11.112]],
  },
  {
    name: 'Đường tỉnh 25B (mô phỏng)',
    class: 'secondary',
    sensorPrefix: 'ĐT25B',
    vertices: [[106.83, 10.72], [106.86, 10.725], 'gt-ql20-nhon-trach', [106.92, 10.74], [106.95, 10.755], [106.985, 10.76]],
  },
];

const RIVERS: { name: string; kind: 'river' | 'stream'; vertices: Vertex[] }[] = [
  {
    name: 'Sông Đồng Nai (mô phỏng)',
    kind: 'river',
    vertices: [[107.03, 11.11], 'mn-dong-nai-tri-an', [106.96, 11.055], [106.92, 11.02], [106.88, 10.99], [106.85, 10.975], [106.83, 10.965], 'coi-bien-hoa', 'mn-dong-nai-bien-hoa', 'nc-dong-nai-hoa-an', [106.79, 10.9], [106.8, 10.85], [106.81, 10.8], [106.82, 10.75], [106.8, 10.7], [106.77, 10.66], [106.75, 10.6]],
  },
  {
    name: 'Sông Thị Vải (mô phỏng)',
    kind: 'river',
    vertices: [[106.998, 10.735], [106.985, 10.7], 'nc-thi-vai', 'mn-thi-vai', [106.985, 10.64], [106.99, 10.6], [107.0, 10.55]],
  },
  {
    name: 'Sông Buông (mô phỏng)',
    kind: 'river',
    vertices: [[106.985, 11.0], [106.989, 10.975], [106.9915, 10.955], 'coi-trang-bom', 'mn-song-buong', [106.99, 10.895], [106.97, 10.86], [106.94, 10.83], [106.9, 10.815], [106.86, 10.81], [106.81, 10.8]],
  },
  {
    name: 'Suối Linh (mô phỏng)',
    kind: 'stream',
    vertices: [[106.885, 10.965], [106.878, 10.945], 'coi-tam-hiep', 'mn-suoi-linh', 'nc-suoi-linh', [106.86, 10.905], [106.835, 10.89], [106.79, 10.9]],
  },
];

const LAKE = {
  name: 'Hồ Trị An (mô phỏng)',
  ring: [[107.04, 11.12], [107.1, 11.11], [107.16, 11.14], [107.19, 11.19], [107.14, 11.22], [107.08, 11.21], [107.04, 11.17], [107.02, 11.14], [107.04, 11.12]] as LonLat[],
};

/** Real cities, for orientation at low zoom: [name, lon, lat, minzoom]. */
const CITIES: [string, number, number, number][] = [
  ['Hà Nội', 105.854, 21.028, 4],
  ['Thành phố Hồ Chí Minh', 106.7, 10.776, 4],
  ['Đà Nẵng', 108.22, 16.068, 5],
  ['Hải Phòng', 106.682, 20.856, 6],
  ['Cần Thơ', 105.784, 10.034, 6],
];

/** Việt Nam's archipelagos: the outline data has no polygons of theirs, so they are labelled. */
const ARCHIPELAGOS: [string, number, number][] = [
  ['Quần đảo Hoàng Sa (Việt Nam)', 112.0, 16.5],
  ['Quần đảo Trường Sa (Việt Nam)', 114.3, 10.0],
];

/** Synthetic points of interest, each at one of the sim's sites. */
const POIS: [string, string][] = [
  ['Vòng xoay Tam Hiệp (mô phỏng)', 'nut-tam-hiep'],
  ['Khu công nghiệp Amata (mô phỏng)', 'bc-kho-amata'],
  ['Khu công nghiệp Biên Hòa 2 (mô phỏng)', 'bc-det-bien-hoa-2'],
  ['Khu công nghiệp Nhơn Trạch (mô phỏng)', 'kk-kcn-nhon-trach'],
  ['Chợ Biên Hòa (mô phỏng)', 'bc-cho-bien-hoa'],
  ['Công viên Biên Hùng (mô phỏng)', 'kk-cong-vien-bien-hung'],
  ['Cảng Phước An (mô phỏng)', 'bc-cang-phuoc-an'],
  ['Đội PCCC&CNCH Biên Hòa (mô phỏng)', 'xe-cc-01'],
];

// ------------------------------------------------------------------ features

const round6 = <T extends Feature | FeatureCollection>(geojson: T): T => turf.truncate(geojson, { precision: 6, coordinates: 2 });

function provinceAndCommunes(vietnam: Feature<Polygon | MultiPolygon>): { province: Feature<Polygon | MultiPolygon>; communes: Feature<Polygon | MultiPolygon>[] } {
  // The drawn ring stops short of the sea only roughly; the coastline cuts it exactly.
  const onLand = turf.intersect(turf.featureCollection([turf.polygon([PROVINCE_RING]), vietnam]));
  if (!onLand) throw new Error('the province ring is not on Việt Nam');
  const province = turf.feature(onLand.geometry, { id: DEMO_PROVINCE.id, name: PROVINCE_NAME, level: 'province' });
  const centers = turf.featureCollection(demoCommunes.map((c) => turf.point([c.center.lon, c.center.lat])));
  const [w, s, e, n] = turf.bbox(province);
  const cells = turf.voronoi(centers, { bbox: [w - 0.1, s - 0.1, e + 0.1, n + 0.1] });
  const communes = demoCommunes.map((c, i) => {
    const cell = cells.features[i];
    const clipped = cell && turf.intersect(turf.featureCollection([cell, province]));
    if (!clipped) throw new Error(`commune ${c.id} has no area inside the province`);
    return round6(turf.feature(clipped.geometry, { id: c.id, name: c.name, level: 'commune' }));
  });
  return { province: round6(province), communes };
}

function roadSegments(roadLines: Map<Road, Feature<LineString>>): Feature<LineString>[] {
  const HALF_KM = 0.5;
  return demoSites()
    .filter((s) => s.kind === 'traffic')
    .map((sensor) => {
      const road = ROADS.find((r) => sensor.name.startsWith(r.sensorPrefix));
      if (!road) throw new Error(`no road drawn for traffic sensor ${sensor.id} (${sensor.name})`);
      const line = roadLines.get(road)!;
      const lengthKm = turf.length(line);
      const alongKm = turf.nearestPointOnLine(line, turf.point([sensor.location.lon, sensor.location.lat])).properties.location;
      const startKm = Math.max(0, Math.min(alongKm - HALF_KM, lengthKm - 2 * HALF_KM));
      const segment = turf.lineSliceAlong(line, startKm, Math.min(lengthKm, startKm + 2 * HALF_KM));
      return round6(turf.feature(segment.geometry, { sensorId: sensor.id, name: sensor.name }));
    });
}

function countryOutlines(): Feature<Polygon | MultiPolygon>[] {
  const require = createRequire(import.meta.url);
  const atlas = require('world-atlas/countries-10m.json') as Topology;
  // Neighbours for context. Not China: this data draws Hoàng Sa inside China's outline.
  const names: Record<string, string> = { '704': 'Việt Nam', '418': 'Lào', '116': 'Campuchia' };
  const all = topojsonFeature(atlas, atlas.objects.countries!) as unknown as FeatureCollection;
  return all.features.filter((f) => String(f.id) in names).map((f) => turf.feature(f.geometry as Polygon | MultiPolygon, { name: names[String(f.id)]! }));
}

/** A feature and the lowest zoom that shows it. */
type Zoomed = { feature: Feature; minzoom: number };
const zoomed = (feature: Feature, minzoom: number): Zoomed => ({ feature, minzoom });

const ROAD_MIN_ZOOM: Record<RoadClass, number> = { motorway: 6, trunk: 6, primary: 9, secondary: 9 };

function layers(countries: Feature<Polygon | MultiPolygon>[], province: Feature<Polygon | MultiPolygon>, communes: Feature<Polygon | MultiPolygon>[], roadLines: Map<Road, Feature<LineString>>): Record<string, Zoomed[]> {
  const point = (lonLat: LonLat, properties: Record<string, string>): Feature<Point> => turf.point(lonLat, properties);
  return {
    country: countries.map((f) => zoomed(f, MIN_ZOOM)),
    province: [zoomed(turf.feature(province.geometry, { name: PROVINCE_NAME }), 6)],
    commune: communes.map((c) => zoomed(turf.feature(c.geometry, { id: c.properties!.id, name: c.properties!.name }), 8)),
    water: [
      zoomed(turf.polygon([LAKE.ring], { name: LAKE.name, kind: 'lake' }), 7),
      ...RIVERS.map((r) => zoomed(turf.lineString(path(r.vertices), { name: r.name, kind: r.kind }), r.kind === 'river' ? 8 : 10)),
    ],
    road: ROADS.map((r) => zoomed(turf.feature(roadLines.get(r)!.geometry, { name: r.name, class: r.class }), ROAD_MIN_ZOOM[r.class])),
    place: [
      ...CITIES.map(([name, lon, lat, minzoom]) => zoomed(point([lon, lat], { name, kind: 'city' }), minzoom)),
      ...ARCHIPELAGOS.map(([name, lon, lat]) => zoomed(point([lon, lat], { name, kind: 'poi' }), MIN_ZOOM)),
      ...demoCommunes.map((c) => zoomed(point([c.center.lon, c.center.lat], { name: c.name, kind: 'commune' }), 9)),
      ...POIS.map(([name, siteId]) => zoomed(point(at(siteId), { name, kind: 'poi' }), 11)),
    ],
  };
}

const LAYER_INFO: Record<string, { description: string; fields: Record<string, string> }> = {
  country: { description: 'Country outlines (Natural Earth 1:10m)', fields: { name: 'String' } },
  province: { description: 'The province (synthetic)', fields: { name: 'String' } },
  commune: { description: 'Communes and wards (synthetic)', fields: { id: 'String', name: 'String' } },
  water: { description: 'Rivers and streams (lines), lakes (polygons) (synthetic)', fields: { name: 'String', kind: 'river | stream | lake' } },
  road: { description: 'Roads (synthetic)', fields: { name: 'String', class: 'motorway | trunk | primary | secondary' } },
  place: { description: 'Labels: cities, communes, points of interest', fields: { name: 'String', kind: 'commune | city | poi' } },
};

// ------------------------------------------------------------------ tiles

type Bounds = [number, number, number, number];

function tileRange(bounds: Bounds, z: number): { x0: number; x1: number; y0: number; y1: number } {
  const n = 2 ** z;
  const x = (lon: number) => Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
  const y = (lat: number) => {
    const rad = (lat * Math.PI) / 180;
    return Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n));
  };
  const [w, s, e, north] = bounds;
  return { x0: x(w), x1: x(e), y0: y(north), y1: y(s) };
}

/** One gzip'd MVT per tile that shows something, keyed "z/x/y" (XYZ rows). */
function buildTiles(layerFeatures: Record<string, Zoomed[]>, provinceBounds: Bounds): Map<string, Buffer> {
  const indexes = Object.entries(layerFeatures).map(([name, items]) => {
    const features = items.map(({ feature, minzoom }) => ({ ...feature, properties: { ...feature.properties, _minzoom: minzoom } }));
    return [name, new GeoJSONVT(turf.featureCollection(features), { maxZoom: MAX_ZOOM, indexMaxZoom: 5, buffer: 64 })] as const;
  });
  const tiles = new Map<string, Buffer>();
  for (let z = MIN_ZOOM; z <= MAX_ZOOM; z++) {
    const { x0, x1, y0, y1 } = tileRange(z <= COUNTRY_MAX_ZOOM ? VIETNAM_BOUNDS : provinceBounds, z);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const shown: Record<string, LegacyTile> = {};
        for (const [name, index] of indexes) {
          const features = (index.getTile(z, x, y)?.features ?? []).flatMap((f) => {
            const { _minzoom, ...tags } = f.tags ?? {};
            return (_minzoom as number) <= z ? [{ ...f, tags }] : [];
          });
          if (features.length > 0) shown[name] = { features };
        }
        if (Object.keys(shown).length === 0) continue;
        tiles.set(`${z}/${x}/${y}`, gzipSync(fromGeojsonVt(shown, { version: 2, extent: 4096 }), { level: 9 }));
      }
    }
  }
  return tiles;
}

function writeMbtiles(file: string, tiles: Map<string, Buffer>, metadata: Record<string, string>): void {
  rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec(`
    CREATE TABLE metadata (name TEXT, value TEXT);
    CREATE UNIQUE INDEX metadata_name ON metadata (name);
    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
  `);
  const putMeta = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
  const putTile = db.prepare('INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const [name, value] of Object.entries(metadata)) putMeta.run(name, value);
    for (const [key, data] of tiles) {
      const [z, x, y] = key.split('/').map(Number) as [number, number, number];
      putTile.run(z, x, 2 ** z - 1 - y, data); // MBTiles rows count from the south (TMS)
    }
  })();
  db.exec('VACUUM');
  db.close();
}

function writeGeojson(file: string, features: Feature[]): void {
  // One feature a line: small diffs when the demo changes.
  writeFileSync(file, `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`);
}

function main(): void {
  const countries = countryOutlines();
  const { province, communes } = provinceAndCommunes(countries.find((f) => f.properties!.name === 'Việt Nam')!);
  const roadLines = new Map(ROADS.map((r) => [r, turf.lineString(path(r.vertices))]));
  const [w, s, e, n] = turf.bbox(province);
  const provinceBounds: Bounds = [w - 0.05, s - 0.05, e + 0.05, n + 0.05];
  const layerFeatures = layers(countries, province, communes, roadLines);
  const tiles = buildTiles(layerFeatures, provinceBounds);

  mkdirSync(`${ROOT}resources/basemap`, { recursive: true });
  mkdirSync(`${ROOT}resources/gis`, { recursive: true });
  writeMbtiles(`${ROOT}resources/basemap/demo-province.mbtiles`, tiles, {
    name: 'Bản đồ nền tỉnh Đồng Nai (mô phỏng)',
    description: 'DEMO base map: Việt Nam outline and a synthetic province, its communes, rivers, roads and places',
    attribution: 'Natural Earth; dữ liệu tỉnh mô phỏng',
    type: 'baselayer',
    version: '1',
    format: 'pbf',
    bounds: VIETNAM_BOUNDS.join(','),
    center: `${DEMO_PROVINCE.center.lon},${DEMO_PROVINCE.center.lat},10`,
    minzoom: String(MIN_ZOOM),
    maxzoom: String(MAX_ZOOM),
    json: JSON.stringify({
      vector_layers: Object.keys(layerFeatures).map((id) => ({
        id,
        ...LAYER_INFO[id],
        minzoom: minOf(layerFeatures[id]!.map((z) => z.minzoom)),
        maxzoom: MAX_ZOOM,
      })),
    }),
  });
  writeGeojson(`${ROOT}resources/gis/demo-communes.geojson`, [province, ...communes]);
  writeGeojson(`${ROOT}resources/gis/demo-road-segments.geojson`, roadSegments(roadLines));
  console.log(`demo base map: ${tiles.size} tiles, zoom ${MIN_ZOOM}–${MAX_ZOOM}; province bbox ${[w, s, e, n].join(', ')}`);
}

main();
