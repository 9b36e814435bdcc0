import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as turf from '@turf/turf';
import { SpatialClient } from '../../electron/node/gis/spatial/spatial-client.js';
import type { SpatialArea, SpatialPoint } from '../../native-bridge/spatial-query.js';

const square = (id: string, level: SpatialArea['level'], x0: number, y0: number, size: number): SpatialArea => ({
  id,
  name: `Vùng ${id}`,
  level,
  geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]] },
});

/** A province 0.2° square at (106, 10.8) split into four commune squares. */
const AREAS: SpatialArea[] = [
  square('tinh', 'province', 106, 10.8, 0.2),
  square('xa-sw', 'commune', 106, 10.8, 0.1),
  square('xa-se', 'commune', 106.1, 10.8, 0.1),
  square('xa-nw', 'commune', 106, 10.9, 0.1),
  square('xa-ne', 'commune', 106.1, 10.9, 0.1),
];

/** 400 points on a 20 × 20 lattice inside the province, offset so none lies on a commune edge. */
const POINTS: SpatialPoint[] = Array.from({ length: 400 }, (_, i) => ({
  id: `s${i}`,
  layer: i % 2 ? 'sensor' : 'camera',
  kind: i % 3 ? 'rain' : 'ptz',
  ...(i % 5 ? { state: i % 7 ? 'normal' : 'critical' } : {}),
  lon: 106.005 + (i % 20) * 0.01,
  lat: 10.805 + Math.floor(i / 20) * 0.01,
}));

describe('SpatialClient', () => {
  let client: SpatialClient;
  before(async () => {
    client = await SpatialClient.start({ overlayLimit: 50 });
    await client.setAreas(AREAS);
    await client.upsertPoints(POINTS);
  });
  after(() => client.close());

  it('round-trips queries through the worker, agreeing with turf', async () => {
    const center = [106.1, 10.9];
    const radius = await client.query({ shape: { type: 'radius', lon: center[0]!, lat: center[1]!, radiusM: 3000 }, groupBy: ['area', 'layer'], limit: 5 });
    const within = POINTS.map((p) => ({ p, d: turf.distance(center, [p.lon, p.lat], { units: 'meters' }) })).filter(({ d }) => d <= 3000);
    assert.equal(radius.total, within.length);
    assert.ok(within.length > 5);
    assert.deepEqual(
      radius.items.map((i) => i.distanceM),
      within.map(({ d }) => d).sort((a, b) => a - b).slice(0, 5),
    );
    assert.equal(radius.groups.reduce((sum, g) => sum + g.count, 0), within.length);
    assert.ok(radius.tookMs >= 0);

    // Its hypotenuse misses the lattice: on the boundary, the ring test and turf may disagree.
    const triangle = [[[106.0, 10.8], [106.2, 10.8], [106.0, 11.03], [106.0, 10.8]]];
    const region = await client.query({ shape: { type: 'region', polygon: triangle }, limit: 1000 });
    const inTriangle = POINTS.filter((p) => turf.booleanPointInPolygon([p.lon, p.lat], turf.polygon(triangle)));
    assert.deepEqual(new Set(region.items.map((i) => i.id)), new Set(inTriangle.map((p) => p.id)));

    const commune = await client.query({ shape: { type: 'area', areaId: 'xa-ne' }, filter: { states: ['critical'] }, groupBy: ['state'] });
    const expected = POINTS.filter((p) => p.state === 'critical' && p.lon > 106.1 && p.lat > 10.9);
    assert.deepEqual(commune.groups, [{ key: { state: 'critical' }, count: expected.length }]);

    const point = await client.query({ shape: { type: 'point', lon: 106.005, lat: 10.805 } });
    assert.deepEqual(point.items.map((i) => [i.id, i.areaId]), [['s0', 'xa-sw']]);
    assert.deepEqual(point.areasHit, ['xa-sw', 'tinh']);
  });

  it('aggregates per commune, and follows upserts and removals', async () => {
    const before = await client.aggregateByArea({ groupBy: ['layer'] });
    assert.deepEqual(
      before.areas.map((a) => [a.areaId, a.total]),
      [['xa-sw', 100], ['xa-se', 100], ['xa-nw', 100], ['xa-ne', 100]],
    );
    assert.deepEqual(before.areas[0]!.groups.map((g) => g.count).sort(), [50, 50]);

    // Move 60 points from the south-west commune to the north-east one (past the overlay limit: a rebuild), remove 10.
    const moved = POINTS.filter((p) => p.lon < 106.1 && p.lat < 10.9).slice(0, 60).map((p) => ({ ...p, lon: p.lon + 0.1, lat: p.lat + 0.1 }));
    await client.upsertPoints(moved);
    assert.equal((await client.removePoints(['s399', 's398', 'nope'])).removed, 2);
    const after = await client.aggregateByArea();
    const totals = Object.fromEntries(after.areas.map((a) => [a.areaId, a.total]));
    assert.deepEqual(totals, { 'xa-sw': 40, 'xa-se': 100, 'xa-nw': 100, 'xa-ne': 158 });
    const stats = await client.stats();
    assert.equal(stats.points, 398);
    assert.ok(stats.rebuilds >= 2, 'the initial load and the moves rebuilt the snapshot');
  });

  it('refuses invalid requests, naming the field', async () => {
    const refused = async (promise: Promise<unknown>, pattern: RegExp) => {
      await assert.rejects(promise, (error: Error) => {
        assert.ok(error instanceof TypeError, `${error.message} should be a TypeError`);
        assert.match(error.message, pattern);
        return true;
      });
    };
    await refused(client.query({ shape: { type: 'radius', lon: 106, lat: 10, radiusM: 600_000 } }), /^spatial query: shape\.radiusM: /);
    await refused(client.query({ shape: { type: 'radius', lon: 106, lat: 10, radiusM: 0 } }), /shape\.radiusM/);
    await refused(client.query({ shape: { type: 'radius', lon: 186, lat: 10, radiusM: 10 } }), /shape\.lon/);
    await refused(client.query({ shape: { type: 'point', lon: 106, lat: -91 } }), /shape\.lat/);
    await refused(client.query({ shape: { type: 'region', polygon: [[[106, 10], [106.1, 10], [106.1, 10.1], [106, 10.1]]] } }), /shape\.polygon\.0: a linear ring must be closed/);
    await refused(client.query({ shape: { type: 'region', polygon: [[[106, 10], [106.1, 10], [106, 10]]] } }), /shape\.polygon\.0: a linear ring needs at least 4 positions/);
    await refused(client.query({ shape: { type: 'region', polygon: [[[106, 10], [106.1, 95], [106.1, 10.1], [106, 10]]] } }), /shape\.polygon\.0\.1: .*latitude/);
    await refused(client.query({ shape: { type: 'circle', lon: 106, lat: 10 } } as never), /shape\.type/);
    await refused(client.query({ shape: { type: 'radius', lon: 106, lat: 10, radius: 10 } } as never), /shape/);
    await refused(client.query({ shape: { type: 'area', areaId: 'xa-sw' }, groupBy: ['commune'] } as never), /groupBy\.0/);
    await refused(client.query({ shape: { type: 'area', areaId: 'xa-sw' }, groupBy: ['state', 'state'] }), /groupBy: groupBy lists a dimension twice/);
    await refused(client.query({ shape: { type: 'area', areaId: 'xa-sw' }, limit: -1 }), /^spatial query: limit: /);
    await refused(client.query({ shape: { type: 'area', areaId: 'xa-sw' }, filter: { layer: ['sensor'] } } as never), /filter/);
    await refused(client.aggregateByArea({ groupBy: ['area'] } as never), /^spatial aggregate: groupBy\.0/);
    await refused(client.upsertPoints([POINTS[0]!, { ...POINTS[1]!, lat: 95 }]), /^spatial index upsertPoints: points\.1\.lat: /);
    await refused(client.upsertPoints([{ ...POINTS[0]!, layer: '' }]), /points\.0\.layer/);
    await refused(client.removePoints([''] as string[]), /^spatial index removePoints: ids\.0: /);
    await refused(client.setAreas([AREAS[1]!, AREAS[1]!]), /^spatial index setAreas: areas\.1\.id: duplicate area id "xa-sw"/);
    await refused(client.setAreas([{ ...AREAS[1]!, level: 'district' } as never]), /areas\.0\.level/);
    // Refused requests change nothing, and the worker still answers.
    assert.equal((await client.stats()).points, 398);
    // An unknown area is found out by the worker: a plain Error, still naming the field.
    await assert.rejects(client.query({ shape: { type: 'area', areaId: 'xa-nope' } }), /^Error: spatial index: shape\.areaId: unknown area "xa-nope"$/);
  });

  it('rejects requests after close, and close is idempotent', async () => {
    const other = await SpatialClient.start();
    await other.close();
    await other.close();
    await assert.rejects(other.query({ shape: { type: 'area', areaId: 'x' } }), /closed/);
  });
});
