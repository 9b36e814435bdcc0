/**
 * SpatialIndex against brute force with turf (turf.distance, turf.booleanPointInPolygon) on
 * seeded random data: Voronoi communes (one a MultiPolygon, one with a hole) inside a province,
 * random circles and random concave drawn polygons, before and after moves, removals, additions
 * and snapshot rebuilds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as turf from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { SpatialIndex, type SpatialIndexOptions } from '../../electron/node/gis/spatial/spatial-index.js';
import { spatialQuery, areaAggregateRequest, type SpatialArea, type SpatialPoint, type SpatialQueryInput } from '../../native-bridge/spatial-query.js';
import { mulberry32 as prng } from '../../sim/random.js';

const BBOX: [number, number, number, number] = [105.0, 10.0, 106.0, 11.0];
const LAYERS = ['sensor', 'camera', 'report'];
const KINDS = ['rain', 'water-level', 'ptz', 'flood'];
const STATES = [undefined, 'normal', 'warning', 'critical', 'stale'];

/** A province over BBOX and ~30 Voronoi communes covering it, except a hole cut into one and a part of another split off. */
function makeAreas(random: () => number): SpatialArea[] {
  const seeds = turf.featureCollection(Array.from({ length: 30 }, () => turf.point([BBOX[0] + random() * (BBOX[2] - BBOX[0]), BBOX[1] + random() * (BBOX[3] - BBOX[1])])));
  const cells = turf.voronoi(seeds, { bbox: BBOX }).features.filter((f) => f !== null && f !== undefined);
  const communes: SpatialArea[] = cells.map((cell, i) => ({ id: `xa-${i}`, name: `Xã ${i}`, level: 'commune', geometry: cell.geometry }));
  // Commune 0 gets a hole, its (convex) cell shrunk about its centroid: points there are in the province only.
  const ring0 = (communes[0]!.geometry as Polygon).coordinates[0]!;
  const [cx, cy] = turf.centroid(turf.polygon([ring0])).geometry.coordinates as [number, number];
  const hole = ring0.map(([x, y]) => [cx + 0.5 * (x! - cx), cy + 0.5 * (y! - cy)]).reverse();
  communes[0] = { ...communes[0]!, geometry: { type: 'Polygon', coordinates: [ring0, hole] } };
  // Commune 1 is a MultiPolygon: its cell plus a detached islet outside the province.
  const islet: Position[] = [[106.2, 10.2], [106.3, 10.2], [106.3, 10.3], [106.2, 10.3], [106.2, 10.2]];
  communes[1] = { ...communes[1]!, geometry: { type: 'MultiPolygon', coordinates: [(communes[1]!.geometry as Polygon).coordinates, [islet]] } };
  const province: SpatialArea = {
    id: 'tinh',
    name: 'Tỉnh',
    level: 'province',
    geometry: { type: 'Polygon', coordinates: [[[BBOX[0], BBOX[1]], [BBOX[2], BBOX[1]], [BBOX[2], BBOX[3]], [BBOX[0], BBOX[3]], [BBOX[0], BBOX[1]]]] },
  };
  return [province, ...communes];
}

function randomPoint(random: () => number, id: string): SpatialPoint {
  const state = STATES[Math.floor(random() * STATES.length)];
  return {
    id,
    layer: LAYERS[Math.floor(random() * LAYERS.length)]!,
    kind: KINDS[Math.floor(random() * KINDS.length)]!,
    ...(state ? { state } : {}),
    // A margin around the province, and the islet, so some points are outside every area.
    lon: BBOX[0] - 0.1 + random() * 1.45,
    lat: BBOX[1] - 0.1 + random() * 1.2,
  };
}

/** A star-shaped (usually concave) polygon of 5–12 vertices around (lon, lat). */
function drawnPolygon(random: () => number, lon: number, lat: number, spanDeg: number): Position[][] {
  const n = 5 + Math.floor(random() * 8);
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * i) / n;
    const r = (spanDeg / 2) * (0.3 + 0.7 * random());
    ring.push([lon + r * Math.cos(angle), lat + r * Math.sin(angle)]);
  }
  ring.push(ring[0]!);
  return [ring];
}

/** The model the index must agree with: plain objects and turf. */
class BruteForce {
  readonly points = new Map<string, SpatialPoint>();
  constructor(readonly areas: SpatialArea[]) {}

  tagOf(p: SpatialPoint): string | undefined {
    const pt = turf.point([p.lon, p.lat]);
    const inside = (a: SpatialArea) => turf.booleanPointInPolygon(pt, a.geometry);
    return this.areas.find((a) => a.level === 'commune' && inside(a))?.id ?? this.areas.find((a) => a.level === 'province' && inside(a))?.id;
  }

  matches(q: SpatialQueryInput): SpatialPoint[] {
    const { shape, filter } = spatialQuery.parse(q);
    const passes = (p: SpatialPoint) =>
      (!filter?.layers || filter.layers.includes(p.layer)) && (!filter?.kinds || filter.kinds.includes(p.kind)) && (!filter?.states || (p.state !== undefined && filter.states.includes(p.state)));
    const all = [...this.points.values()].filter(passes);
    switch (shape.type) {
      case 'point':
      case 'radius': {
        const limit = shape.type === 'point' ? shape.toleranceM : shape.radiusM;
        return all.filter((p) => turf.distance([shape.lon, shape.lat], [p.lon, p.lat], { units: 'meters' }) <= limit);
      }
      case 'region':
        return all.filter((p) => turf.booleanPointInPolygon([p.lon, p.lat], turf.polygon(shape.polygon)));
      case 'area': {
        const area = this.areas.find((a) => a.id === shape.areaId)!;
        return all.filter((p) => (area.level === 'commune' ? this.tagOf(p) === area.id : turf.booleanPointInPolygon([p.lon, p.lat], area.geometry)));
      }
    }
  }
}

function countBy<T>(values: readonly T[], key: (v: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
  return counts;
}

function assertAgrees(index: SpatialIndex, model: BruteForce, q: SpatialQueryInput): void {
  const parsed = spatialQuery.parse(q);
  const result = index.query(parsed);
  const expected = model.matches(q);
  const context = JSON.stringify(q).slice(0, 200);
  assert.equal(result.total, expected.length, `total for ${context}`);
  // Groups: same counts per key as grouping the brute-force matches.
  const keyOf = (p: SpatialPoint) =>
    JSON.stringify(parsed.groupBy.map((d) => (d === 'area' ? (model.tagOf(p) ?? '') : d === 'state' ? (p.state ?? '') : p[d])));
  const groups = new Map(result.groups.map((g) => [JSON.stringify(parsed.groupBy.map((d) => g.key[d])), g.count]));
  assert.deepEqual(groups, countBy(expected, keyOf), `groups for ${context}`);
  assert.ok(result.items.length === Math.min(parsed.limit, expected.length), `items length for ${context}`);
  const expectedIds = new Set(expected.map((p) => p.id));
  for (const item of result.items) {
    assert.ok(expectedIds.has(item.id), `item ${item.id} is not a match for ${context}`);
    const p = model.points.get(item.id)!;
    assert.deepEqual(item, { ...item, layer: p.layer, kind: p.kind, lon: p.lon, lat: p.lat });
    assert.equal(item.state, p.state);
    assert.equal(item.areaId, model.tagOf(p));
  }
  if (parsed.shape.type === 'point' || parsed.shape.type === 'radius') {
    const { lon, lat } = parsed.shape;
    const distances = expected.map((p) => turf.distance([lon, lat], [p.lon, p.lat], { units: 'meters' })).sort((a, b) => a - b);
    const got = result.items.map((i) => i.distanceM!);
    assert.deepEqual(got, distances.slice(0, parsed.limit), `nearest first for ${context}`);
  } else {
    assert.equal(new Set(result.items.map((i) => i.id)).size, result.items.length, 'no duplicates');
    if (parsed.limit >= expected.length) assert.deepEqual(new Set(result.items.map((i) => i.id)), expectedIds);
  }
}

function assertAggregateAgrees(index: SpatialIndex, model: BruteForce, groupBy: ('layer' | 'kind' | 'state')[], filter?: { states?: string[] }): void {
  const result = index.aggregateByArea(areaAggregateRequest.parse({ groupBy, filter }));
  const communes = model.areas.filter((a) => a.level === 'commune');
  assert.deepEqual(
    result.areas.map((a) => a.areaId),
    communes.map((a) => a.id),
  );
  const points = [...model.points.values()].filter((p) => !filter?.states || (p.state !== undefined && filter.states.includes(p.state)));
  const byArea = new Map<string, SpatialPoint[]>();
  for (const p of points) {
    const tag = model.tagOf(p) ?? '';
    byArea.set(tag, [...(byArea.get(tag) ?? []), p]);
  }
  for (const area of result.areas) {
    const inArea = byArea.get(area.areaId) ?? [];
    assert.equal(area.total, inArea.length, `total of ${area.areaId}`);
    const expected = groupBy.length ? countBy(inArea, (p) => JSON.stringify(groupBy.map((d) => (d === 'state' ? (p.state ?? '') : p[d])))) : new Map();
    assert.deepEqual(new Map(area.groups.map((g) => [JSON.stringify(groupBy.map((d) => g.key[d])), g.count])), expected, `groups of ${area.areaId}`);
  }
}

function fixture(seed: number, count: number, options: SpatialIndexOptions = {}) {
  const random = prng(seed);
  const areas = makeAreas(random);
  const index = new SpatialIndex(options);
  const model = new BruteForce(areas);
  index.setAreas(areas);
  const points = Array.from({ length: count }, (_, i) => randomPoint(random, `p${i}`));
  index.upsertPoints(points);
  for (const p of points) model.points.set(p.id, p);
  return { random, index, model };
}

function randomQueries(random: () => number, model: BruteForce): SpatialQueryInput[] {
  const at = () => [BBOX[0] + random() * 1.2 - 0.1, BBOX[1] + random() * 1.2 - 0.1] as const;
  const queries: SpatialQueryInput[] = [];
  for (let i = 0; i < 8; i++) {
    const [lon, lat] = at();
    queries.push({ shape: { type: 'radius', lon, lat, radiusM: 1000 + random() * 20_000 }, groupBy: ['area', 'state'] });
    queries.push({ shape: { type: 'radius', lon, lat, radiusM: 5000 + random() * 10_000 }, filter: { layers: ['camera'], states: ['critical', 'warning'] }, limit: 3 });
    const [rx, ry] = at();
    queries.push({ shape: { type: 'region', polygon: drawnPolygon(random, rx, ry, 0.05 + random() * 0.3) }, groupBy: ['layer', 'kind'] });
    const area = model.areas[Math.floor(random() * model.areas.length)]!;
    queries.push({ shape: { type: 'area', areaId: area.id }, groupBy: ['state'], limit: 10_000 });
  }
  return queries;
}

describe('SpatialIndex', () => {
  it('tags each point with the commune containing it (else the province), as turf does', () => {
    const { index, model } = fixture(1, 2000);
    // A whole-province region query lists every tagged item with its areaId.
    const result = index.query(spatialQuery.parse({ shape: { type: 'region', polygon: [[[104, 9], [107, 9], [107, 12], [104, 12], [104, 9]]] }, limit: 10_000 }));
    assert.equal(result.total, 2000);
    const tags = countBy(result.items, (i) => i.areaId ?? '');
    assert.deepEqual(tags, countBy([...model.points.values()], (p) => model.tagOf(p) ?? ''));
    assert.ok((tags.get('') ?? 0) > 0 && (tags.get('tinh') ?? 0) > 0 && (tags.get('xa-1') ?? 0) > 0, 'the fixture covers outside, the hole and the islet');
  });

  it('answers radius, region and area queries as brute force does', () => {
    const { random, index, model } = fixture(2, 3000);
    for (const q of randomQueries(random, model)) assertAgrees(index, model, q);
  });

  it('answers random radius queries as brute force does (property)', () => {
    const { index, model } = fixture(3, 1500);
    fc.assert(
      fc.property(
        fc.double({ min: 104.9, max: 106.1, noNaN: true }),
        fc.double({ min: 9.9, max: 11.1, noNaN: true }),
        fc.double({ min: 1, max: 60_000, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        (lon, lat, radiusM, limit) => assertAgrees(index, model, { shape: { type: 'radius', lon, lat, radiusM }, limit, groupBy: ['area', 'layer'] }),
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('point queries return the points within the tolerance and every area containing the point', () => {
    const { index, model } = fixture(4, 1000);
    const p = model.points.get('p7')!;
    assertAgrees(index, model, { shape: { type: 'point', lon: p.lon, lat: p.lat } });
    const result = index.query(spatialQuery.parse({ shape: { type: 'point', lon: p.lon, lat: p.lat, toleranceM: 1 } }));
    assert.equal(result.items[0]?.id, 'p7');
    const expectedAreas = model.areas.filter((a) => turf.booleanPointInPolygon([p.lon, p.lat], a.geometry)).sort((a, b) => Number(b.level === 'commune') - Number(a.level === 'commune'));
    assert.deepEqual(result.areasHit, expectedAreas.map((a) => a.id));
  });

  it('stays correct through moves, removals, additions and rebuilds', () => {
    const { random, index, model } = fixture(5, 2000, { overlayLimit: 300 });
    let checkedWithOverlay = false;
    const check = () => {
      checkedWithOverlay ||= index.stats().overlay > 0;
      for (const q of randomQueries(random, model)) assertAgrees(index, model, q);
      assertAggregateAgrees(index, model, ['state']);
    };
    index.rebuild();
    assert.equal(index.stats().overlay, 0);
    const rebuildsBefore = index.stats().rebuilds;
    let next = 2000;
    for (let round = 0; round < 6; round++) {
      // Moves (some of them back and forth within the overlay), state changes, new points.
      const ids = [...model.points.keys()];
      const changed = Array.from({ length: 120 }, () => ({ ...randomPoint(random, ids[Math.floor(random() * ids.length)]!) }));
      for (let i = 0; i < 30; i++) changed.push(randomPoint(random, `p${next++}`));
      const stateOnly = ids.slice(0, 20).map((id) => ({ ...model.points.get(id)!, state: 'critical' }));
      index.upsertPoints([...changed, ...stateOnly]);
      for (const p of [...changed, ...stateOnly]) model.points.set(p.id, p);
      // Removals, including an unknown id; freed slots get reused by the next round's additions.
      const removed = Array.from({ length: 40 }, () => ids[Math.floor(random() * ids.length)]!);
      const expectedRemoved = new Set(removed.filter((id) => model.points.has(id))).size;
      assert.equal(index.removePoints([...removed, 'nope']).removed, expectedRemoved);
      for (const id of removed) model.points.delete(id);
      assert.equal(index.stats().points, model.points.size);
      check();
    }
    assert.ok(index.stats().rebuilds > rebuildsBefore, 'the overlay limit forced rebuilds');
    assert.ok(checkedWithOverlay, 'and checks ran with an overlay as well');
  });

  it('re-tags every point when the areas change', () => {
    const { index, model } = fixture(6, 1500);
    const other = makeAreas(prng(99));
    index.setAreas(other);
    const moved = new BruteForce(other);
    for (const [id, p] of model.points) moved.points.set(id, p);
    assertAggregateAgrees(index, moved, ['layer', 'state']);
  });

  it('aggregates per commune as brute force does, with and without grouping and filters', () => {
    const { index, model } = fixture(7, 4000);
    assertAggregateAgrees(index, model, []);
    assertAggregateAgrees(index, model, ['state']);
    assertAggregateAgrees(index, model, ['layer', 'kind', 'state'], { states: ['critical', 'warning'] });
  });

  it('handles circles across the antimeridian and near a pole', () => {
    const index = new SpatialIndex();
    const model = new BruteForce([]);
    const points: SpatialPoint[] = [
      { id: 'east', layer: 'object', kind: 'ship', lon: 179.99, lat: 0 },
      { id: 'west', layer: 'object', kind: 'ship', lon: -179.99, lat: 0 },
      { id: 'far', layer: 'object', kind: 'ship', lon: -179.5, lat: 0 },
      { id: 'pole', layer: 'object', kind: 'station', lon: 40, lat: 89.99 },
      { id: 'opposite', layer: 'object', kind: 'station', lon: -140, lat: 89.98 },
    ];
    index.upsertPoints(points);
    for (const p of points) model.points.set(p.id, p);
    assertAgrees(index, model, { shape: { type: 'radius', lon: 180, lat: 0, radiusM: 5000 } });
    assertAgrees(index, model, { shape: { type: 'radius', lon: -180, lat: 0, radiusM: 60_000 } });
    assertAgrees(index, model, { shape: { type: 'radius', lon: 0, lat: 89.995, radiusM: 10_000 } });
    assert.deepEqual(index.query(spatialQuery.parse({ shape: { type: 'radius', lon: 180, lat: 0, radiusM: 5000 } })).items.map((i) => i.id).sort(), ['east', 'west']);
  });

  it('refuses an unknown area id, naming the field', () => {
    const { index } = fixture(8, 10);
    assert.throws(() => index.query(spatialQuery.parse({ shape: { type: 'area', areaId: 'xa-nope' } })), /shape\.areaId: unknown area "xa-nope"/);
  });
});
