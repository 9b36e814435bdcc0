/**
 * The pure scope filters: what a commune-scoped account sees of a live batch and snapshot, of the
 * spatial index's answers and of indicator figures, the alert acknowledgement rule, and the key
 * that lets the host filter once per distinct scope.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LiveBatch, LiveSensor, Scope } from '../../native-bridge/contract.js';
import { PROVINCE, requireAlertInScope, scopedFigures, scopeKey, seesCommune } from '../../electron/node/accounts/scope.js';
import { eventCommune, liveFilter, batchByCommune } from '../../electron/node/live/live-view.js';
import { LiveState } from '../../electron/node/live/live-state.js';
import { SpatialIndex } from '../../electron/node/gis/spatial/spatial-index.js';
import { AlertService } from '../../electron/node/alert-service.js';
import { openDatabase } from '../../electron/node/database.js';
import { loadStorageKey } from '../../electron/node/storage-key.js';
import { tempDir } from '../support/fixtures.js';

const A = 'Phường A';
const B = 'Xã B';
const onlyA: Scope = { kind: 'communes', communes: [A] };
const sensor = (id: string, commune: string): LiveSensor => ({ id, gateway: 'gw', kind: 'rain', name: id, commune, location: { lat: 10, lon: 106 }, unit: 'mm/h', thresholds: {} });
const sensors = new Map([sensor('s-a', A), sensor('s-b', B)].map((s) => [s.id, s]));
const sensorOf = (id: string) => sensors.get(id);
const stream = { url: 'http://127.0.0.1:9/x.m3u8', width: 640, height: 360 };

describe('scope filters', () => {
  it('one key per distinct scope, whatever the order its communes were listed in', () => {
    assert.equal(scopeKey({ kind: 'communes', communes: [B, A] }), scopeKey({ kind: 'communes', communes: [A, B] }));
    assert.notEqual(scopeKey(onlyA), scopeKey(PROVINCE));
    assert.notEqual(scopeKey(onlyA), scopeKey({ kind: 'communes', communes: [A, B] }));
  });

  it('province-wide data (no commune) concerns every scope; a commune\'s only the scopes covering it', () => {
    assert.equal(seesCommune(onlyA, null), true);
    assert.equal(seesCommune(onlyA, A), true);
    assert.equal(seesCommune(onlyA, B), false);
    assert.equal(seesCommune(PROVINCE, B), true);
  });

  it('a commune account acknowledges its communes\' alerts only: another commune\'s or a province-wide one is forbidden, named', () => {
    requireAlertInScope(onlyA, A, 'x');
    requireAlertInScope(PROVINCE, null, 'x');
    assert.throws(() => requireAlertInScope(onlyA, B, 'x'), (e: Error & { code?: string }) => e.code === 'forbidden' && e.message.includes(B));
    assert.throws(() => requireAlertInScope(onlyA, null, 'x'), (e: Error & { code?: string }) => e.code === 'forbidden' && e.message.includes('province-wide'));
  });

  it('an incident is the commune its gateway declared, else its station\'s; with neither it is province-wide', () => {
    assert.equal(eventCommune({ commune: A, sensor: 's-b' }, sensorOf), A);
    assert.equal(eventCommune({ sensor: 's-b' }, sensorOf), B);
    assert.equal(eventCommune({ sensor: 'gone' }, sensorOf), null);
    assert.equal(eventCommune({}, sensorOf), null);
  });

  it('a batch keeps its seq and only the scope\'s items: readings of its stations, its cameras, reports and incidents, no objects', () => {
    const batch: LiveBatch = {
      seq: 8,
      baseSeq: 7,
      readings: { id: ['s-a', 's-b', 'unknown'], value: [1, 2, 3], at: [10, 20, 30] },
      sensors: [...sensors.values()],
      cameras: [A, B].map((commune, i) => ({ id: `c-${i}`, gateway: 'gw', name: `c-${i}`, commune, location: { lat: 10, lon: 106 }, streams: { main: stream, sub: stream } })),
      links: [{ gateway: 'gw', name: 'gw', state: 'live', lastHeard: 1, lastHeartbeat: 1, epoch: 'e', seq: 1, gaps: 0, snapshots: 1, rejected: 0 }],
      events: [
        { id: 'e-a', gateway: 'gw', at: 1, severity: 'warning', category: 'flood', title: { vi: 'a', en: 'a' }, sensor: 's-a', cleared: false },
        { id: 'e-b', gateway: 'gw', at: 1, severity: 'warning', category: 'flood', title: { vi: 'b', en: 'b' }, sensor: 's-b', cleared: false },
        { id: 'e-all', gateway: 'gw', at: 1, severity: 'warning', category: 'other', title: { vi: 'c', en: 'c' }, cleared: false },
      ],
      reports: [A, B].map((commune, i) => ({ id: `r-${i}`, gateway: 'gw', at: 1, category: 'x', text: 't', location: { lat: 10, lon: 106 }, commune })),
      objects: [{ id: 'o', gateway: 'gw', kind: 'patrol', name: 'o', at: 1, location: { lat: 10, lon: 106 }, steps: [[106, 10, 1]] }],
      objectsRemoved: ['o-2'],
      sensorsRemoved: ['s-a-old', 's-b-old', 'never-known'],
    };
    const removed = new Map(['s-a-old', 's-b-old'].map((id, i) => [id, { ...sensors.get(i === 0 ? 's-a' : 's-b')!, id }]));
    const removedOf = (id: string) => removed.get(id);
    const seen = batchByCommune(batch, sensorOf, removedOf)(liveFilter(onlyA));
    assert.deepEqual([seen.seq, seen.baseSeq], [8, 7]);
    assert.deepEqual(seen.readings, { id: ['s-a'], value: [1], at: [10] });
    assert.deepEqual(seen.sensors?.map((s) => s.id), ['s-a']);
    assert.deepEqual(seen.sensorsRemoved, ['s-a-old'], 'a removal goes to the commune the sensor was in, an unknown one to none');
    assert.deepEqual(seen.cameras?.map((c) => c.id), ['c-0']);
    assert.deepEqual(seen.events?.map((e) => e.id).sort(), ['e-a', 'e-all']);
    assert.deepEqual(seen.reports?.map((r) => r.id), ['r-0']);
    assert.equal(seen.links, batch.links, 'link health is the host\'s, for everyone');
    assert.equal(seen.objects, undefined);
    assert.equal(seen.objectsRemoved, undefined);
    assert.equal(batchByCommune(batch, sensorOf, removedOf)(liveFilter(PROVINCE)), batch, 'the province gets the batch itself');
    const quiet = batchByCommune({ seq: 9, baseSeq: 8, readings: { id: ['s-b'], value: [1], at: [1] } }, sensorOf, removedOf)(liveFilter(onlyA));
    const both = batchByCommune(batch, sensorOf, removedOf)(liveFilter({ kind: 'communes', communes: [A, B] }));
    assert.deepEqual([both.readings.id, both.events?.map((e) => e.id)], [['s-a', 's-b'], ['e-all', 'e-a', 'e-b']], 'a scope of two communes gets both parts');
    assert.deepEqual(quiet, { seq: 9, baseSeq: 8, readings: { id: [], value: [], at: [] } }, 'an empty batch still goes, so the sequence has no gap');
  });

  it('the live snapshot of a commune filter holds only its items and no moving objects', () => {
    const live = new LiveState(60_000);
    live.apply('gw', [
      { op: 'set', item: { type: 'sensor', id: 's-a', kind: 'rain', name: 'a', commune: A, location: { lat: 10, lon: 106 }, unit: 'mm/h', thresholds: {} } },
      { op: 'set', item: { type: 'sensor', id: 's-b', kind: 'rain', name: 'b', commune: B, location: { lat: 10, lon: 106 }, unit: 'mm/h', thresholds: {} } },
      { op: 'set', item: { type: 'reading', id: 's-a', at: 1, value: 1, extra: {} } },
      { op: 'set', item: { type: 'reading', id: 's-b', at: 1, value: 2, extra: {} } },
      { op: 'set', item: { type: 'object', id: 'o', kind: 'patrol', name: 'o', at: 1, location: { lat: 10, lon: 106 } } },
    ]);
    const mine = live.snapshot(liveFilter(onlyA));
    assert.deepEqual([mine.sensors.map((s) => s.id), mine.readings.id, mine.objects.length], [['s-a'], ['s-a'], 0]);
    const all = live.snapshot();
    assert.deepEqual([all.sensors.length, all.readings.id.length, all.objects.length], [2, 2, 1]);
    assert.equal(live.deviceCommune('s-b'), B);
    assert.equal(live.deviceCommune('nothing'), null);
    live.close();
  });

  it('indicator figures: a commune account keeps only its communes\' rows; the province keeps all', () => {
    const indicators = [{ id: 'i', value: 50, communes: [{ area: A, value: 1 }, { area: B, value: 0 }] }];
    assert.deepEqual(scopedFigures(onlyA, indicators)[0]!.communes, [{ area: A, value: 1 }]);
    assert.equal(scopedFigures(onlyA, indicators)[0]!.value, 50, 'the province headline stays');
    assert.equal(scopedFigures(PROVINCE, indicators), indicators);
  });

  it('the spatial index limits items, totals, groups, areas hit and the aggregate to the areas named (by id or name)', () => {
    const square = (x: number) => [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]];
    const index = new SpatialIndex();
    index.setAreas([
      { id: 'a', name: A, level: 'commune', geometry: { type: 'Polygon', coordinates: square(0) } },
      { id: 'b', name: B, level: 'commune', geometry: { type: 'Polygon', coordinates: square(1) } },
    ]);
    index.upsertPoints([
      { id: 'p-a', layer: 'sensor', kind: 'rain', lon: 0.5, lat: 0.5 },
      { id: 'p-b', layer: 'sensor', kind: 'rain', lon: 1.5, lat: 0.5 },
      { id: 'p-out', layer: 'sensor', kind: 'rain', lon: 5, lat: 5 },
    ]);
    const everything = { shape: { type: 'region' as const, polygon: [[[-1, -1], [9, -1], [9, 9], [-1, 9], [-1, -1]]] }, groupBy: ['area' as const], limit: 10 };
    assert.equal(index.query(everything).total, 3);
    for (const within of [[A], ['a']]) {
      const mine = index.query(everything, within);
      assert.deepEqual([mine.total, mine.items.map((i) => i.id), mine.groups.map((g) => g.key.area)], [1, ['p-a'], ['a']]);
    }
    assert.equal(index.query({ shape: { type: 'area', areaId: 'b' }, groupBy: [], limit: 10 }, [A]).total, 0);
    assert.deepEqual(index.query({ shape: { type: 'point', lon: 1.5, lat: 0.5, toleranceM: 10 }, groupBy: [], limit: 10 }, [A]).areasHit, []);
    assert.deepEqual(index.aggregateByArea({ groupBy: [] }, [A]).areas.map((a) => [a.areaId, a.total]), [['a', 1]]);
    assert.equal(index.aggregateByArea({ groupBy: [] }).areas.length, 2);
    assert.equal(index.query(everything, []).total, 0, 'an empty list is nowhere, not everywhere');
  });

  it('alerts are stored with their commune and listed by scope: its communes\' and the province-wide ones', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'wall.sqlite'), loadStorageKey(dir));
    const alerts = new AlertService(db);
    const inA = alerts.raise('warning', 'gateway:gw', { vi: 'a', en: 'a' }, A);
    alerts.raise('warning', 'gateway:gw', { vi: 'b', en: 'b' }, B);
    const everywhere = alerts.raise('warning', 'host', { vi: 'c', en: 'c' });
    assert.deepEqual(alerts.list(onlyA).map((a) => a.id).sort(), [inA.id, everywhere.id].sort());
    assert.equal(alerts.list().length, 3);
    assert.deepEqual(alerts.asOf(Date.now() + 1, 10, onlyA).map((a) => a.commune).sort(), [A, null].sort());
    assert.equal(alerts.communeOf(inA.id), A);
    assert.equal(alerts.communeOf(everywhere.id), null);
    assert.equal(alerts.communeOf('none'), undefined);
    db.close();
  });
});
