/**
 * spatial-query: 1,000,000 points and 3,000 synthetic communes (Voronoi cells over a
 * Vietnam-sized box, edges subdivided and jittered to ~100 vertices a polygon, shared edges kept
 * identical so the cells still tile the box), measured through the worker client, i.e. including
 * validation, postMessage and the reply. Reports ingest, radius (1–5 km) and drawn-polygon
 * (5–12 vertices, 5–20 km) query latency, the all-communes aggregate, 10,000 moves, and radius
 * latency while 10,000 moves a second arrive (snapshot rebuilds included). Also compares tagging
 * points with the index's ring test against turf.booleanPointInPolygon. The answers are checked:
 * the first 25 radius and polygon queries against a scan of every point (turf for the polygons),
 * every aggregate against the count of its layers; a mismatch stops the run.
 *
 * Args: [points] [areas] (defaults 1,000,000 and 3,000).
 */
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { Position } from 'geojson';
import { SpatialClient } from '../electron/node/gis/spatial/spatial-client.js';
import { SpatialIndex } from '../electron/node/gis/spatial/spatial-index.js';
import type { SpatialArea, SpatialPoint } from '../native-bridge/spatial-query.js';
import { percentile, round } from './stats.js';
import { mulberry32 as prng } from '../sim/random.js';
import { makeCommunes, type Bbox } from './support/communes.js';
import { maxOf } from '../native-bridge/extremes.js';
import { distanceM } from '../native-bridge/geo.js';

const BBOX: Bbox = [102.1, 8.5, 109.5, 23.4];
const LAYERS = ['sensor', 'camera', 'report', 'object', 'alert'];
const KINDS = ['rain', 'water-level', 'air', 'ptz', 'fixed', 'flood', 'traffic', 'fire', 'vehicle', 'boat'];
const STATES = [undefined, 'normal', 'normal', 'normal', 'warning', 'critical', 'stale'];
const METRES_PER_DEGREE = 111_195;

function randomPoint(random: () => number, id: string): SpatialPoint {
  const state = STATES[Math.floor(random() * STATES.length)];
  return {
    id,
    layer: LAYERS[Math.floor(random() * LAYERS.length)]!,
    kind: KINDS[Math.floor(random() * KINDS.length)]!,
    ...(state ? { state } : {}),
    lon: BBOX[0] + random() * (BBOX[2] - BBOX[0]),
    lat: BBOX[1] + random() * (BBOX[3] - BBOX[1]),
  };
}

/** A star-shaped (mostly concave) polygon of 5–12 vertices, 5–20 km across. */
function drawnPolygon(random: () => number): Position[][] {
  const lon = BBOX[0] + 0.2 + random() * (BBOX[2] - BBOX[0] - 0.4);
  const lat = BBOX[1] + 0.2 + random() * (BBOX[3] - BBOX[1] - 0.4);
  const spanDeg = (5000 + random() * 15_000) / METRES_PER_DEGREE;
  const n = 5 + Math.floor(random() * 8);
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * i) / n;
    const r = (spanDeg / 2) * (i % 2 ? 0.4 + 0.3 * random() : 0.8 + 0.2 * random());
    ring.push([lon + (r * Math.cos(angle)) / Math.cos((lat * Math.PI) / 180), lat + r * Math.sin(angle)]);
  }
  ring.push(ring[0]!);
  return [ring];
}

/** Radius and polygon answers checked against a scan of every point, of the 500 of each kind. */
const CHECKED = 25;

interface Check {
  what: string;
  total: number;
  inside: (p: SpatialPoint) => boolean;
}

/** A drawn polygon's test by turf (not the index's own ring test), behind its bounding box. */
function insideByTurf(polygon: Position[][]): (p: SpatialPoint) => boolean {
  const shape = turf.polygon(polygon);
  const [x0, y0, x1, y1] = turf.bbox(shape);
  return (p) => p.lon >= x0 && p.lon <= x1 && p.lat >= y0 && p.lat <= y1 && turf.booleanPointInPolygon([p.lon, p.lat], shape);
}

/** Every check's total against a count over all points (an index answering nothing would look fastest). */
function bruteForceCheck(points: readonly SpatialPoint[], checks: readonly Check[]): number {
  for (const check of checks) {
    let count = 0;
    for (const p of points) if (check.inside(p)) count++;
    if (count !== check.total) throw new Error(`${check.what}: the index answered ${check.total} points, a scan of all ${points.length} finds ${count}`);
  }
  return checks.length;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

/** µs a point to find its area: Flatbush candidates, then the index's ring test vs turf. */
function compareTagging(communes: SpatialArea[], random: () => number): { ring_us: number; turf_us: number } {
  const sample = Array.from({ length: 50_000 }, (_, i) => randomPoint(random, `t${i}`));
  const index = new SpatialIndex();
  index.upsertPoints(sample);
  const ring = index.setAreas(communes).tookMs;
  const started = performance.now();
  const tree = new Flatbush(communes.length);
  for (const area of communes) tree.add(...(turf.bbox(area.geometry) as [number, number, number, number]));
  tree.finish();
  let tagged = 0;
  for (const p of sample) {
    const hit = tree.search(p.lon, p.lat, p.lon, p.lat).find((a) => turf.booleanPointInPolygon([p.lon, p.lat], communes[a]!.geometry));
    if (hit !== undefined) tagged++;
  }
  const turfMs = performance.now() - started;
  if (tagged !== sample.length) throw new Error(`turf tagged ${tagged} of ${sample.length} points: the communes do not tile the box`);
  return { ring_us: round((ring * 1000) / sample.length, 2), turf_us: round((turfMs * 1000) / sample.length, 2) };
}

export async function run(args: string[]): Promise<object> {
  const pointCount = Number(args[0] ?? 1_000_000);
  const areaCount = Number(args[1] ?? 3000);
  const random = prng(20250701);
  // CPU time of the process (both threads) against wall time: how much the machine's load inflated the latencies.
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = performance.now();

  let started = performance.now();
  const communes = makeCommunes(areaCount, random, BBOX);
  const vertices = communes.reduce((sum, c) => sum + (c.geometry.coordinates as Position[][])[0]!.length, 0);
  console.error(`communes: ${communes.length}, ${Math.round(vertices / communes.length)} vertices each on average, generated in ${Math.round(performance.now() - started)} ms`);
  const tagging = compareTagging(communes, random);
  console.error(`tagging a point: ring test ${tagging.ring_us} µs, turf.booleanPointInPolygon ${tagging.turf_us} µs`);

  started = performance.now();
  const points = Array.from({ length: pointCount }, (_, i) => randomPoint(random, `p${i}`));
  console.error(`points: ${pointCount} generated in ${Math.round(performance.now() - started)} ms`);

  const client = await SpatialClient.start();
  try {
    const [areasMs] = await timed(() => client.setAreas(communes));
    console.error(`setAreas: ${Math.round(areasMs)} ms`);
    const CHUNK = 250_000;
    const [ingestMs] = await timed(async () => {
      for (let i = 0; i < points.length; i += CHUNK) {
        await client.upsertPoints(points.slice(i, i + CHUNK));
        console.error(`ingest: ${Math.min(points.length, i + CHUNK)} points`);
      }
    });
    const afterIngest = await client.stats();
    console.error(`ingest: ${Math.round(ingestMs)} ms (${afterIngest.rebuilds} snapshot builds, the last ${Math.round(afterIngest.lastRebuildMs)} ms)`);

    /** The first answers of each kind, checked against a scan of every point once the timing is done. */
    const checks: Check[] = [];
    const radiusSamples: number[] = [];
    let radiusMatches = 0;
    for (let i = 0; i < 500; i++) {
      const lon = BBOX[0] + random() * (BBOX[2] - BBOX[0]);
      const lat = BBOX[1] + random() * (BBOX[3] - BBOX[1]);
      const radiusM = 1000 + random() * 4000;
      const [ms, result] = await timed(() => client.query({ shape: { type: 'radius', lon, lat, radiusM }, groupBy: ['area', 'state'] }));
      radiusSamples.push(ms);
      radiusMatches += result.total;
      if (i < CHECKED) checks.push({ what: `radius ${round(radiusM)} m at ${lon.toFixed(4)},${lat.toFixed(4)}`, total: result.total, inside: (p) => distanceM(lon, lat, p.lon, p.lat) <= radiusM });
    }
    console.error(`radius: p50 ${round(percentile(radiusSamples, 50), 2)} ms, p95 ${round(percentile(radiusSamples, 95), 2)} ms, ${round(radiusMatches / 500)} matches on average`);

    const polygonSamples: number[] = [];
    let polygonMatches = 0;
    for (let i = 0; i < 500; i++) {
      const polygon = drawnPolygon(random);
      const [ms, result] = await timed(() => client.query({ shape: { type: 'region', polygon }, groupBy: ['area', 'layer'] }));
      polygonSamples.push(ms);
      polygonMatches += result.total;
      if (i < CHECKED) checks.push({ what: `polygon ${i}`, total: result.total, inside: insideByTurf(polygon) });
    }
    console.error(`polygon: p50 ${round(percentile(polygonSamples, 50), 2)} ms, p95 ${round(percentile(polygonSamples, 95), 2)} ms, ${round(polygonMatches / 500)} matches on average`);

    const aggregateSamples: number[] = [];
    // the communes tile the box (checked with turf above): every sensor and report is in exactly one
    const aggregated = points.filter((p) => p.layer === 'sensor' || p.layer === 'report').length;
    for (let i = 0; i < 7; i++) {
      const [ms, result] = await timed(() => client.aggregateByArea({ filter: { layers: ['sensor', 'report'] }, groupBy: ['state'] }));
      if (result.areas.length !== communes.length) throw new Error(`aggregate returned ${result.areas.length} communes`);
      const counted = result.areas.reduce((sum, a) => sum + a.total, 0);
      if (counted !== aggregated) throw new Error(`aggregate counted ${counted} sensors and reports, brute force ${aggregated}`);
      aggregateSamples.push(ms);
    }
    const checked = bruteForceCheck(points, checks);
    console.error(`checked against brute force: ${checked} radius and polygon answers, and every aggregate`);
    console.error(`aggregate over ${communes.length} communes: median ${round(percentile(aggregateSamples, 50))} ms`);

    // 10,000 moves of up to ~1 km, with state changes.
    const move = (): SpatialPoint => {
      const p = points[Math.floor(random() * points.length)]!;
      const state = STATES[Math.floor(random() * STATES.length)];
      const moved = { ...p, lon: p.lon + (random() - 0.5) * 0.02, lat: p.lat + (random() - 0.5) * 0.02 };
      return state ? { ...moved, state } : moved;
    };
    const [updateMs] = await timed(() => client.upsertPoints(Array.from({ length: 10_000 }, move)));
    console.error(`10,000 moves: ${round(updateMs)} ms`);

    // Radius queries while 1,000 moves arrive every 100 ms (10,000 a second) for 10 s.
    const churnSamples: number[] = [];
    const rebuildsBefore = (await client.stats()).rebuilds;
    const churnEnd = performance.now() + 10_000;
    const churn = (async () => {
      while (performance.now() < churnEnd) {
        const tick = performance.now();
        await client.upsertPoints(Array.from({ length: 1000 }, move));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (performance.now() - tick))));
      }
    })();
    while (performance.now() < churnEnd) {
      const lon = BBOX[0] + random() * (BBOX[2] - BBOX[0]);
      const lat = BBOX[1] + random() * (BBOX[3] - BBOX[1]);
      const [ms] = await timed(() => client.query({ shape: { type: 'radius', lon, lat, radiusM: 1000 + random() * 4000 } }));
      churnSamples.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await churn;
    const afterChurn = await client.stats();
    console.error(
      `under churn: ${churnSamples.length} radius queries, p50 ${round(percentile(churnSamples, 50), 2)} ms, p95 ${round(percentile(churnSamples, 95), 2)} ms, max ${round(maxOf(churnSamples), 1)} ms; ${afterChurn.rebuilds - rebuildsBefore} rebuilds (last ${Math.round(afterChurn.lastRebuildMs)} ms)`,
    );

    const cpu = process.cpuUsage(cpuAtStart);
    return {
      bench: 'spatial-query',
      points: afterChurn.points,
      areas: communes.length,
      area_vertices_avg: Math.round(vertices / communes.length),
      radius_p50_ms: round(percentile(radiusSamples, 50), 2),
      radius_p95_ms: round(percentile(radiusSamples, 95), 2),
      polygon_p50_ms: round(percentile(polygonSamples, 50), 2),
      polygon_p95_ms: round(percentile(polygonSamples, 95), 2),
      all_communes_aggregate_ms: round(percentile(aggregateSamples, 50)),
      update_10k_ms: round(updateMs),
      ingest_ms: Math.round(ingestMs),
      set_areas_ms: Math.round(areasMs),
      rebuild_ms: Math.round(afterChurn.lastRebuildMs),
      churn_radius_p95_ms: round(percentile(churnSamples, 95), 2),
      churn_radius_max_ms: round(maxOf(churnSamples), 1),
      // what the figures are worth: answers compared with a scan of every point (a mismatch stops the run)
      checked_against_brute_force: { radius: CHECKED, polygon: CHECKED, of_each: 500, aggregates: aggregateSamples.length, churn_queries: 0 },
      tag_ring_test_us: tagging.ring_us,
      tag_turf_us: tagging.turf_us,
      process_cpu_s: round((cpu.user + cpu.system) / 1e6),
      wall_s: round((performance.now() - wallAtStart) / 1000),
    };
  } finally {
    await client.close();
  }
}
