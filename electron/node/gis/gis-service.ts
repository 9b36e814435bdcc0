/**
 * The host's GIS: the dataset store (imported official data), the base map's tile file, and the
 * spatial index fed with the live field picture and the communes dataset. Serves the windows' map
 * data over HTTP on the wall's own origin: base-map tiles and datasets as GeoJSON are bulk data,
 * not messages for the contract channel (whose frames are capped at 1 MiB).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Feature } from 'geojson';
import type { SpatialArea } from '../../../native-bridge/contract.js';
import { projectRoot } from '../project-paths.js';
import type { LiveState } from '../live/live-state.js';
import { openTileSource, type TileSource } from './basemap/tile-source.js';
import { createDatasetAnswers } from './dataset-answers.js';
import { GIS_DATABASE_FILE, openDatasetStore, type DatasetStore } from './dataset-store.js';
import { loadStorageKey, type StorageKey } from '../storage-key.js';
import { FieldPoints } from './field-points.js';
import { importGisFile } from './import/import-gis-file.js';
import { SpatialClient } from './spatial/spatial-client.js';

export const defaultBasemapFile = join(projectRoot, 'resources', 'basemap', 'demo-province.mbtiles');
/** Datasets the map and the queries use by name; the demo ships both, a province imports its own. */
export const COMMUNES_DATASET = 'communes';
export const ROAD_SEGMENTS_DATASET = 'road-segments';
const demoDatasets: Record<string, string> = {
  [COMMUNES_DATASET]: join(projectRoot, 'resources', 'gis', 'demo-communes.geojson'),
  [ROAD_SEGMENTS_DATASET]: join(projectRoot, 'resources', 'gis', 'demo-road-segments.geojson'),
};

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface GisService {
  datasets: DatasetStore;
  spatial: SpatialClient;
  /** Re-reads the communes dataset into the spatial index (after an import). */
  reloadAreas(): Promise<number>;
  /** Answers /basemap/… and /gis/… requests; null for any other path. */
  handleHttp(pathname: string): Promise<HttpAnswer | null>;
  close(): Promise<void>;
}

export interface GisOptions {
  dataDir: string;
  /** The data folder's storage key; default its plain key file (storage-key.ts). */
  storageKey?: StorageKey | undefined;
  live: LiveState;
  /** MBTiles or PMTiles; the bundled demo base map when absent. */
  basemapFile?: string;
  /** Import the demo province's communes and road segments when the store has none (demo, tests). */
  seedDemoDatasets: boolean;
  log?: (line: string) => void;
}

export async function startGis(options: GisOptions): Promise<GisService> {
  const log = options.log ?? ((line: string) => console.error(line));
  const datasets = openDatasetStore(join(options.dataDir, GIS_DATABASE_FILE), options.storageKey ?? loadStorageKey(options.dataDir));
  if (options.seedDemoDatasets) {
    for (const [name, file] of Object.entries(demoDatasets)) {
      if (datasets.get(name)) continue;
      const summary = await importGisFile(file, { store: datasets, dataset: name });
      log(`ioc-wall: imported the demo dataset ${name} (${summary.features} features)`);
    }
  }
  const basemapFile = options.basemapFile ?? defaultBasemapFile;
  let basemap: TileSource | null = null;
  try {
    basemap = await openTileSource(basemapFile);
  } catch (error) {
    // the wall still runs: maps draw their live layers over a blank background
    log(`ioc-wall: no base map: ${(error as Error).message}`);
  }
  const spatial = await SpatialClient.start();
  const points = new FieldPoints(spatial, options.live);

  const reloadAreas = async () => {
    const areas = datasets.features(COMMUNES_DATASET).flatMap((f, i) => areaOf(f, i));
    await spatial.setAreas(areas);
    return areas.length;
  };
  await reloadAreas();
  // subscribe first, then load: a change made meanwhile is applied again, never missed
  const unsubscribe = options.live.onChanges((changes) => points.applyChanges(changes));
  await points.load();

  // Built on first request a page at a time, rebuilt when the dataset is re-imported.
  const answers = createDatasetAnswers(datasets);

  const json = (status: number, value: unknown): HttpAnswer => {
    const body = gzipSync(Buffer.from(JSON.stringify(value)));
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', 'cache-control': 'no-store' }, body };
  };

  return {
    datasets,
    spatial,
    reloadAreas,
    async handleHttp(pathname) {
      const tile = /^\/basemap\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.(pbf|mvt|png|jpg|webp)$/.exec(pathname);
      if (tile) {
        const [z, x, y] = [Number(tile[1]), Number(tile[2]), Number(tile[3])];
        const found = basemap && z < 31 && x < 2 ** z && y < 2 ** z ? await basemap.getTile(z, x, y) : null;
        // an empty 204 lets deck.gl skip the tile quietly (sea, outside the province)
        if (!found) return { status: 204, headers: { 'cache-control': 'max-age=3600' }, body: Buffer.alloc(0) };
        const type = basemap!.metadata().format === 'pbf' ? 'application/x-protobuf' : `image/${basemap!.metadata().format}`;
        const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'max-age=3600' };
        if (found.encoding === 'gzip') headers['content-encoding'] = 'gzip';
        return { status: 200, headers, body: found.data };
      }
      if (pathname === '/basemap/metadata.json') return basemap ? json(200, basemap.metadata()) : json(404, { error: 'no base map' });
      if (pathname === '/gis/datasets') return json(200, { datasets: datasets.list() });
      const dataset = /^\/gis\/datasets\/([a-z0-9][a-z0-9_-]{0,63})\.(geojson|points\.bin)$/.exec(pathname);
      if (dataset) {
        const name = dataset[1]!;
        if (dataset[2] === 'geojson') {
          const body = await answers.geojson(name);
          if (!body) return json(404, { error: `no dataset ${name}` });
          return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', 'cache-control': 'no-store' }, body };
        }
        // not gzipped: coordinates barely compress, and this goes over loopback
        const body = await answers.points(name);
        if (!body) return json(404, { error: `no dataset ${name}` });
        return { status: 200, headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }, body };
      }
      return null;
    },
    async close() {
      unsubscribe();
      await points.settled();
      points.close();
      await spatial.close();
      await basemap?.close();
      datasets.close();
    },
  };
}

/** A commune (or province) polygon of the communes dataset as an area of the index; ids from the usual attribute names. */
function areaOf(feature: Feature, index: number): SpatialArea[] {
  const g = feature.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return [];
  const p = feature.properties ?? {};
  const pick = (...keys: string[]) => keys.map((k) => p[k]).find((v) => v !== undefined && v !== null && String(v).trim() !== '');
  const id = String(pick('id', 'ma_xa', 'maxa', 'code', 'ma', 'gid') ?? `area-${index + 1}`);
  const name = String(pick('name', 'ten_xa', 'tenxa', 'ten', 'ten_tinh', 'NAME') ?? id);
  const level = p.level === 'province' ? 'province' : 'commune';
  return [{ id, name, level, geometry: g } as SpatialArea];
}
