/**
 * SpatialIndex on a map small enough to know every answer by hand: two square communes side by
 * side in a province that reaches past them, and points in each, in the province only, and
 * outside everything. What spatial-index.test.ts (random data against turf) does not reach: a
 * commune-scoped reader's `within`, sorting a region by distance, a limit of 0, the default
 * overlay limit and the overlay growing past its first capacity, an index emptied and rebuilt,
 * the 16-bit name codes, and the sparse counters of a per-commune aggregate with many groups.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Position } from 'geojson';
import { encodePoints, SpatialIndex } from '../../electron/node/gis/spatial/spatial-index.js';
import { areaAggregateRequest, spatialQuery, type SpatialArea, type SpatialPoint, type SpatialQueryInput } from '../../native-bridge/spatial-query.js';

const square = (x0: number, y0: number, x1: number, y1: number): Position[][] => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const AREAS: SpatialArea[] = [
  { id: 'tinh', name: 'Tỉnh', level: 'province', geometry: { type: 'Polygon', coordinates: square(0, 0, 0.3, 0.1) } },
  { id: 'xa-a', name: 'Xã A', level: 'commune', geometry: { type: 'Polygon', coordinates: square(0, 0, 0.1, 0.1) } },
  { id: 'xa-b', name: 'Xã B', level: 'commune', geometry: { type: 'Polygon', coordinates: square(0.1, 0, 0.2, 0.1) } },
];
const pt = (id: string, lon: number, lat: number, extra: Partial<SpatialPoint> = {}): SpatialPoint => ({ id, layer: 'sensor', kind: 'rain', lon, lat, ...extra });
const POINTS: SpatialPoint[] = [
  pt('a1', 0.05, 0.05, { state: 'critical' }),
  pt('a2', 0.02, 0.08, { kind: 'water-level' }),
  pt('a3', 0.09, 0.01, { layer: 'camera', kind: 'ptz', state: 'normal' }),
  pt('b1', 0.15, 0.05, { state: 'critical' }),
  pt('b2', 0.12, 0.02),
  pt('p1', 0.25, 0.05, { state: 'warning' }), // in the province, in no commune
  pt('out', 0.5, 0.05), // outside every area
];
const EVERYWHERE = square(-1, -1, 1, 1);

function index(points: readonly SpatialPoint[] = POINTS) {
  const idx = new SpatialIndex();
  assert.deepEqual({ ...idx.setAreas(AREAS), tookMs: 0 }, { areas: 3, tookMs: 0 });
  assert.equal(idx.upsertPoints(points).upserted, points.length);
  return idx;
}
const query = (idx: SpatialIndex, q: SpatialQueryInput, within?: string[]) => idx.query(spatialQuery.parse(q), within);
const ids = (result: { items: { id: string }[] }) => result.items.map((i) => i.id).sort();

describe('SpatialIndex: a scoped reader (within)', () => {
  it('counts and names only the points tagged with the listed areas, by id or by name', () => {
    const idx = index();
    const all = { shape: { type: 'region', polygon: EVERYWHERE }, limit: 100 } as const;
    assert.deepEqual(ids(query(idx, all)), ['a1', 'a2', 'a3', 'b1', 'b2', 'out', 'p1']);
    assert.deepEqual(ids(query(idx, all, ['xa-a'])), ['a1', 'a2', 'a3']);
    assert.equal(query(idx, all, ['xa-a']).total, 3);
    assert.deepEqual(ids(query(idx, all, ['Xã B'])), ['b1', 'b2'], 'by name');
    assert.deepEqual(ids(query(idx, all, ['xa-a', 'Xã B'])), ['a1', 'a2', 'a3', 'b1', 'b2']);
    assert.deepEqual(ids(query(idx, all, ['tinh'])), ['p1'], 'the province holds only the points in no commune');
    assert.deepEqual(query(idx, all, []).total, 0, 'no area: nothing, not everything');
    assert.deepEqual(query(idx, all, ['xa-nope']).total, 0);
    assert.deepEqual(query(idx, all, ['xa-a']).groups, [{ key: { area: 'xa-a' }, count: 3 }]);
    // the same with a filter: both must hold
    assert.deepEqual(ids(query(idx, { ...all, filter: { states: ['critical'] } }, ['xa-a'])), ['a1']);
    assert.deepEqual(ids(query(idx, { ...all, filter: { layers: ['camera'] } }, ['Xã B'])), []);
  });

  it('a point query names only the listed areas containing it', () => {
    const idx = index();
    const at = { shape: { type: 'point', lon: 0.05, lat: 0.05, toleranceM: 10 } } as const;
    assert.deepEqual(query(idx, at).areasHit, ['xa-a', 'tinh'], 'communes first');
    assert.deepEqual(query(idx, at, ['xa-a']).areasHit, ['xa-a']);
    assert.deepEqual(query(idx, at, ['tinh']).areasHit, ['tinh']);
    assert.deepEqual(query(idx, at, ['xa-b']).areasHit, []);
    assert.deepEqual(ids(query(idx, at, ['xa-b'])), []);
    assert.deepEqual(ids(query(idx, at)), ['a1']);
  });

  it('aggregates only the listed communes', () => {
    const idx = index();
    const request = areaAggregateRequest.parse({ groupBy: ['state'] });
    assert.deepEqual(
      idx.aggregateByArea(request).areas.map((a) => [a.areaId, a.name, a.total]),
      [
        ['xa-a', 'Xã A', 3],
        ['xa-b', 'Xã B', 2],
      ],
      'communes only: the province is not a row',
    );
    // equal counts come in no particular order
    const byKey = (groups: { key: Record<string, string>; count: number }[]) => [...groups].sort((x, y) => JSON.stringify(x.key).localeCompare(JSON.stringify(y.key)));
    const [b] = idx.aggregateByArea(request, ['Xã B']).areas;
    assert.deepEqual({ ...b!, groups: byKey(b!.groups) }, { areaId: 'xa-b', name: 'Xã B', total: 2, groups: [{ key: { state: '' }, count: 1 }, { key: { state: 'critical' }, count: 1 }] });
    assert.deepEqual(byKey(idx.aggregateByArea(request, ['xa-a']).areas[0]!.groups), [
      { key: { state: '' }, count: 1 },
      { key: { state: 'critical' }, count: 1 },
      { key: { state: 'normal' }, count: 1 },
    ]);
    idx.upsertPoints([pt('a4', 0.03, 0.03, { state: 'normal' })]);
    assert.deepEqual(idx.aggregateByArea(request, ['xa-a']).areas[0]!.groups[0], { key: { state: 'normal' }, count: 2 }, 'largest first');
    assert.deepEqual(idx.aggregateByArea(request, []).areas, []);
    const filtered = idx.aggregateByArea(areaAggregateRequest.parse({ filter: { kinds: ['rain'], layers: ['sensor'] } }));
    // a1 and a4 are sensors measuring rain; a2 measures water level, a3 is a camera
    assert.deepEqual(filtered.areas.map((a) => [a.areaId, a.total, a.groups]), [['xa-a', 2, []], ['xa-b', 2, []]]);
  });
});

describe('SpatialIndex: results', () => {
  it('sorts a region or an area by distance from its box’s centre only when asked, with the distances', () => {
    const idx = index();
    const region = { shape: { type: 'region', polygon: square(0, 0, 0.1, 0.1) } } as const;
    const unsorted = query(idx, region);
    assert.ok(unsorted.items.every((i) => i.distanceM === undefined), 'no distances unless sorted');
    const sorted = query(idx, { ...region, sortBy: 'distance' });
    assert.deepEqual(sorted.items.map((i) => i.id), ['a1', 'a2', 'a3'], 'a1 is at the centre, a3 farthest');
    assert.ok(sorted.items[0]!.distanceM! < 1 && sorted.items[1]!.distanceM! < sorted.items[2]!.distanceM!);
    const area = query(idx, { shape: { type: 'area', areaId: 'xa-b' }, sortBy: 'distance' });
    assert.deepEqual(area.items.map((i) => i.id), ['b1', 'b2']);
    assert.ok(area.items[0]!.distanceM! < area.items[1]!.distanceM!);
    const province = query(idx, { shape: { type: 'area', areaId: 'tinh' }, sortBy: 'distance', limit: 2 });
    assert.equal(province.total, 6, 'a province holds every point inside it, tagged with a commune or not');
    assert.deepEqual(province.items.map((i) => i.id), ['b1', 'b2'], 'the two nearest its centre (0.15, 0.05)');
  });

  it('a limit of 0 returns no items but counts every match; a smaller limit keeps the nearest', () => {
    const idx = index();
    const radius = { shape: { type: 'radius', lon: 0.05, lat: 0.05, radiusM: 100_000 } } as const;
    const none = query(idx, { ...radius, limit: 0 });
    assert.equal(none.total, 7);
    assert.deepEqual(none.items, []);
    assert.deepEqual(query(idx, { ...radius, limit: 2 }).items.map((i) => i.id), ['a1', 'a2']);
    assert.deepEqual(query(idx, { ...radius, shape: { ...radius.shape, radiusM: 5_000 }, limit: 1 }).items.map((i) => i.id), ['a1']);
  });

  it('items carry their state and area only when they have one; groups come largest first, "" for no area', () => {
    const idx = index();
    const result = query(idx, { shape: { type: 'region', polygon: EVERYWHERE }, groupBy: ['area'], limit: 100 });
    const byId = new Map(result.items.map((i) => [i.id, i]));
    assert.deepEqual(byId.get('out'), { id: 'out', layer: 'sensor', kind: 'rain', lon: 0.5, lat: 0.05 });
    assert.deepEqual(byId.get('a3'), { id: 'a3', layer: 'camera', kind: 'ptz', state: 'normal', lon: 0.09, lat: 0.01, areaId: 'xa-a' });
    assert.equal(byId.get('p1')?.areaId, 'tinh');
    assert.deepEqual(result.groups, [
      { key: { area: 'xa-a' }, count: 3 },
      { key: { area: 'xa-b' }, count: 2 },
      { key: { area: 'tinh' }, count: 1 },
      { key: { area: '' }, count: 1 },
    ]);
    const two = query(idx, { shape: { type: 'area', areaId: 'xa-a' }, groupBy: ['layer', 'state'] });
    assert.deepEqual(
      two.groups.map((g) => g.key).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      [
        { layer: 'camera', state: 'normal' },
        { layer: 'sensor', state: '' },
        { layer: 'sensor', state: 'critical' },
      ],
    );
    assert.deepEqual(query(idx, { shape: { type: 'area', areaId: 'xa-a' }, groupBy: [] }).groups, []);
  });

  it('a moved point is found where it went, re-tagged, and no longer where it was', () => {
    const idx = index();
    idx.rebuild();
    idx.upsertPoints([pt('a1', 0.15, 0.08, { state: 'critical' })]);
    assert.deepEqual(ids(query(idx, { shape: { type: 'area', areaId: 'xa-a' } })), ['a2', 'a3']);
    assert.deepEqual(ids(query(idx, { shape: { type: 'area', areaId: 'xa-b' } })), ['a1', 'b1', 'b2']);
    // a change of state alone keeps its place (and its tag)
    idx.upsertPoints([pt('b2', 0.12, 0.02, { state: 'stale' })]);
    assert.equal(idx.stats().overlay, 1, 'only the moved point is in the overlay');
    assert.deepEqual(query(idx, { shape: { type: 'area', areaId: 'xa-b' }, filter: { states: ['stale'] } }).items.map((i) => [i.id, i.areaId]), [['b2', 'xa-b']]);
  });

  it('counts what it holds; removing every point and rebuilding leaves an empty index that takes points again', () => {
    const idx = index();
    assert.deepEqual({ ...idx.stats(), lastRebuildMs: 0 }, { points: 7, areas: 3, snapshot: 0, overlay: 7, rebuilds: 0, lastRebuildMs: 0 });
    idx.rebuild();
    assert.deepEqual({ ...idx.stats(), lastRebuildMs: 0 }, { points: 7, areas: 3, snapshot: 7, overlay: 0, rebuilds: 1, lastRebuildMs: 0 });
    assert.equal(idx.removePoints(POINTS.map((p) => p.id)).removed, 7);
    assert.equal(idx.removePoints(['a1']).removed, 0, 'already gone');
    idx.rebuild();
    assert.deepEqual({ ...idx.stats(), lastRebuildMs: 0 }, { points: 0, areas: 3, snapshot: 0, overlay: 0, rebuilds: 2, lastRebuildMs: 0 });
    assert.equal(query(idx, { shape: { type: 'region', polygon: EVERYWHERE } }).total, 0);
    assert.equal(query(idx, { shape: { type: 'radius', lon: 0, lat: 0, radiusM: 1000 } }).total, 0, 'nothing at the placeholder (0, 0) either');
    idx.upsertPoints([pt('again', 0.05, 0.05)]);
    assert.deepEqual(query(idx, { shape: { type: 'area', areaId: 'xa-a' } }).items.map((i) => i.id), ['again']);
  });
});

describe('SpatialIndex: overlay and rebuilds', () => {
  const grid = (n: number, prefix = 'g', shift = 0): SpatialPoint[] => Array.from({ length: n }, (_, i) => pt(`${prefix}${i}`, ((i % 100) + 0.5) / 1000 + shift, (Math.floor(i / 100) % 100 + 0.5) / 1000));

  it('rebuilds by default once the overlay holds more than 4,096 points, or a sixteenth of the points when that is more', () => {
    const idx = index([]);
    idx.upsertPoints(grid(4096));
    assert.deepEqual([idx.stats().overlay, idx.stats().rebuilds], [4096, 0]);
    idx.upsertPoints([pt('one-more', 0.05, 0.05)]);
    assert.deepEqual([idx.stats().overlay, idx.stats().snapshot, idx.stats().rebuilds], [0, 4097, 1]);
    // 80,000 points: the limit is 5,000
    const big = index([]);
    const points = Array.from({ length: 80_000 }, (_, i) => pt(`b${i}`, (i % 1000) / 10_000, Math.floor(i / 1000) / 1000));
    big.upsertPoints(points);
    assert.equal(big.stats().rebuilds, 1);
    const moved = (from: number, n: number) => points.slice(from, from + n).map((p) => ({ ...p, lon: p.lon + 0.00001 }));
    big.upsertPoints(moved(0, 5_000));
    assert.deepEqual([big.stats().overlay, big.stats().rebuilds], [5_000, 1]);
    big.upsertPoints(moved(5_000, 1));
    assert.deepEqual([big.stats().overlay, big.stats().rebuilds], [0, 2]);
  });

  it('an overlay grown past its first 4,096 entries still answers every point, where it is now', () => {
    const idx = new SpatialIndex({ overlayLimit: 1_000_000 });
    idx.setAreas(AREAS);
    const points = grid(10_000);
    idx.upsertPoints(points);
    assert.deepEqual([idx.stats().overlay, idx.stats().rebuilds], [10_000, 0]);
    const all = (q: Partial<SpatialQueryInput> = {}) => query(idx, { shape: { type: 'region', polygon: EVERYWHERE }, limit: 10_000, ...q });
    const result = all();
    assert.equal(result.total, 10_000);
    assert.deepEqual(new Map(result.items.map((i) => [i.id, [i.lon, i.lat]])), new Map(points.map((p) => [p.id, [p.lon, p.lat]])));
    // move the last ones into commune B, remove some of the first: the overlay's moved entries stay right
    idx.upsertPoints(points.slice(9_000).map((p) => ({ ...p, lon: p.lon + 0.1 })));
    idx.removePoints(points.slice(0, 100).map((p) => p.id));
    assert.equal(idx.stats().overlay, 9_900);
    assert.equal(all().total, 9_900);
    assert.equal(query(idx, { shape: { type: 'area', areaId: 'xa-b' }, limit: 0 }).total, 1_000);
    assert.equal(query(idx, { shape: { type: 'radius', lon: points[9_999]!.lon + 0.1, lat: points[9_999]!.lat, radiusM: 1 } }).items[0]?.id, 'g9999');
  });
});

describe('SpatialIndex: names', () => {
  it('takes 65,536 distinct names of a kind and refuses the next, naming it', () => {
    const points = (n: number) => Array.from({ length: n }, (_, i) => pt(`n${i}`, 0, 0, { layer: `layer-${i}` }));
    assert.equal(encodePoints(points(65_536)).layerNames.length, 65_536);
    assert.throws(() => encodePoints(points(65_537)), (error: Error) => error instanceof RangeError && error.message === 'spatial index: more than 65,536 distinct names (at "layer-65536")');
  });

  it('per-commune counts over more groups than dense counters hold agree with the dense ones', () => {
    // 2,400 kinds × 2,401 states × 3 areas is past 2^24 counters: the sparse map counts them
    const many = Array.from({ length: 2_400 }, (_, i) => pt(`m${i}`, i % 2 ? 0.05 : 0.15, 0.05, { kind: `kind-${i}`, state: `state-${i}` }));
    const idx = index(many);
    const sparse = idx.aggregateByArea(areaAggregateRequest.parse({ groupBy: ['kind', 'state'] }));
    assert.deepEqual(sparse.areas.map((a) => [a.areaId, a.total, a.groups.length]), [['xa-a', 1_200, 1_200], ['xa-b', 1_200, 1_200]]);
    assert.deepEqual(sparse.areas[0]!.groups.find((g) => g.key.kind === 'kind-1'), { key: { kind: 'kind-1', state: 'state-1' }, count: 1 });
    assert.equal(sparse.areas[1]!.groups.find((g) => g.key.kind === 'kind-1'), undefined);
    // the same with a dimension fewer (dense): the totals agree
    const dense = idx.aggregateByArea(areaAggregateRequest.parse({ groupBy: ['layer'] }));
    assert.deepEqual(dense.areas.map((a) => [a.areaId, a.total, a.groups]), [['xa-a', 1_200, [{ key: { layer: 'sensor' }, count: 1_200 }]], ['xa-b', 1_200, [{ key: { layer: 'sensor' }, count: 1_200 }]]]);
  });
});
