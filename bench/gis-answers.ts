/**
 * gis-answers: three windows asking at once for a 1,000,000-feature point dataset's GeoJSON and
 * point table (/gis/datasets/<name>.geojson, .points.bin), built by the host's dataset answers.
 * Reports how long the answers took and how long the event loop was held at most meanwhile (the
 * host's WebSocket sessions and gateway link wait that long). The goal: no stall above ~50 ms.
 *
 * Args: [features] (default 1,000,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDatasetAnswers } from '../electron/node/gis/dataset-answers.js';
import { GIS_DATABASE_FILE, openDatasetStore, type StoredFeatureInput } from '../electron/node/gis/dataset-store.js';
import { loadStorageKey } from '../electron/node/storage-key.js';
import { mulberry32 } from '../sim/random.js';
import { round } from './stats.js';

export async function run(args: string[]): Promise<object> {
  const count = Number(args[0] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'ioc-wall-bench-answers-'));
  const store = openDatasetStore(join(dir, GIS_DATABASE_FILE), loadStorageKey(dir));
  try {
    const random = mulberry32(7);
    const features: StoredFeatureInput[] = Array.from({ length: count }, (_, i) => {
      const lon = 104 + random() * 4;
      const lat = 9 + random() * 4;
      return { properties: { id: i, ten: `tài sản ${i}` }, geometry: { type: 'Point', coordinates: [lon, lat] }, bbox: [lon, lat, lon, lat] };
    });
    store.replace({ name: 'assets', features: count, bbox: [104, 9, 108, 13], sourceCrs: 'EPSG:4326', sourceFile: 'assets.geojson', format: 'geojson', importedAt: Date.now() }, features);
    const answers = createDatasetAnswers(store);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const bodies = await Promise.all([0, 1, 2].flatMap(() => [answers.geojson('assets'), answers.points('assets')]));
    const answersMs = performance.now() - started;
    delay.disable();
    return {
      features: count,
      answersMs: round(answersMs),
      geojsonGzipBytes: bodies[0]!.length,
      pointsBytes: bodies[1]!.length,
      maxEventLoopStallMs: round(delay.max / 1e6),
      p99EventLoopStallMs: round(delay.percentile(99) / 1e6),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
