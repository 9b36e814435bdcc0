/**
 * One field pipeline: LiveState is the host's one latest-state store and tells the host's rules
 * each change item by item; the spatial index (real worker) and the trigger feed read what they
 * need from LiveState and receive only what changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StateItem } from '../../native-bridge/contract.js';
import type { FieldChange } from '../../native-bridge/field-changes.js';
import type { ItemChange } from '../../electron/node/gateway/gateway-hub.js';
import { FieldPoints } from '../../electron/node/gis/field-points.js';
import { SpatialClient } from '../../electron/node/gis/spatial/spatial-client.js';
import { LiveState } from '../../electron/node/live/live-state.js';
import { TriggerFeed, type TriggerSink } from '../../electron/node/scenarios/trigger-feed.js';

const set = (item: StateItem): ItemChange => ({ op: 'set', item });
const del = (item: StateItem): ItemChange => ({ op: 'delete', item });
const level = (id: string, lon: number): StateItem => ({
  type: 'sensor',
  id,
  kind: 'water-level',
  name: `Trạm mực nước ${id}`,
  unit: 'm',
  commune: 'Phường Trảng Dài',
  location: { lon, lat: 10.95 },
  thresholds: { warning: 2, critical: 3 },
});
const reading = (id: string, value: number, at: number): StateItem => ({ type: 'reading', id, value, at, extra: {} });
const fire = (id: string, at: number): StateItem => ({ type: 'event', id, at, severity: 'critical', category: 'fire', title: { vi: 'Cháy kho', en: 'Warehouse fire' }, location: { lon: 106.9, lat: 10.95 }, cleared: false });

describe('LiveState tells the host rules each change', () => {
  it('item by item, with the value a reading replaces; stale readings and unknown deletes tell nothing', () => {
    const live = new LiveState(1_000_000);
    const told: FieldChange[][] = [];
    live.onChanges((c) => told.push([...c]));
    live.apply('gw', [set(level('s1', 106.9)), set(reading('s1', 1.5, 100))]);
    live.apply('gw', [set(reading('s1', 1.2, 50)), del({ type: 'camera', id: 'nope', name: '', location: { lon: 0, lat: 0 }, streams: [] } as unknown as StateItem)]);
    live.apply('gw', [set(reading('s1', 2.4, 200))]);
    assert.deepEqual(told.map((c) => c.map((x) => x.kind)), [['sensor', 'reading'], ['reading']]);
    assert.deepEqual(told[1]![0], { kind: 'reading', id: 's1', value: 2.4, at: 200, previous: 1.5 });
    live.close();
  });

  it('a gateway snapshot (replacedAll) tells the removal of each item it no longer has, events with how they were last known', () => {
    const live = new LiveState(1_000_000);
    const told: FieldChange[] = [];
    live.onChanges((c) => c.forEach((change) => told.push(change)));
    live.apply('gw', [set(level('s1', 106.9)), set(level('s2', 106.91)), set(fire('ev-1', 10))]);
    live.apply('other', [set(level('t1', 106.8))]);
    told.length = 0;
    live.apply('gw', [set(level('s2', 106.91))], true);
    assert.deepEqual(told.map((c) => (c.kind === 'event-removed' ? `${c.kind}:${c.event.id}:${c.event.cleared}` : c.kind === 'sensor' ? `sensor:${c.sensor.id}` : `${c.kind}:${'id' in c ? c.id : ''}`)).sort(), ['event-removed:ev-1:false', 'sensor-removed:s1', 'sensor:s2'].sort(), 'a sensor the snapshot names again is set, not removed first');
    assert.deepEqual(live.sensorList().map((s) => s.id).sort(), ['s2', 't1']);
    live.close();
  });

  it('one rule throwing keeps neither the other rules nor the windows from the change', () => {
    const live = new LiveState(1_000_000);
    const seen: string[] = [];
    const error = console.error;
    console.error = () => {};
    try {
      live.onChanges(() => {
        throw new Error('a broken rule');
      });
      live.onChanges((c) => c.forEach((x) => seen.push(x.kind)));
      const batches: unknown[] = [];
      live.onBatch((b) => batches.push(b));
      live.apply('gw', [set(level('s1', 106.9))]);
      live.flush();
      assert.deepEqual(seen, ['sensor']);
      assert.equal(batches.length, 1);
    } finally {
      console.error = error;
      live.close();
    }
  });
});

describe('the spatial index follows LiveState through FieldPoints (real worker)', () => {
  let spatial: SpatialClient;
  before(async () => (spatial = await SpatialClient.start()));
  after(async () => spatial.close());

  it('loads the picture, then re-states a sensor when its reading crosses a threshold and drops what a snapshot no longer has', async () => {
    const live = new LiveState(1_000_000);
    live.apply('gw', [set(level('s1', 106.9)), set(reading('s1', 1, 1)), set(level('s2', 106.901)), set(fire('ev-1', 5))]);
    const points = new FieldPoints(spatial, live, 10);
    live.onChanges((c) => points.applyChanges(c));
    await points.load();
    const around = async () => {
      const { items } = await spatial.query({ shape: { type: 'radius', lon: 106.9, lat: 10.95, radiusM: 2000 }, groupBy: [], limit: 50 });
      return Object.fromEntries(items.map((i) => [i.id, i.state ?? null]));
    };
    assert.deepEqual(await around(), { 'sensor:s1': 'normal', 'sensor:s2': 'stale', 'alert:ev-1': 'critical' });
    live.apply('gw', [set(reading('s1', 2.5, 2))]);
    await points.settled();
    assert.equal((await around())['sensor:s1'], 'warning');
    live.apply('gw', [set(level('s2', 106.901))], true);
    await points.settled();
    assert.deepEqual(await around(), { 'sensor:s2': 'stale' });
    points.close();
    live.close();
  });
});

describe('the trigger feed reads the picture from LiveState', () => {
  it('gives the engine only what changed, places subjects from LiveState, and clears an event a snapshot dropped', () => {
    const live = new LiveState(1_000_000);
    live.apply('gw', [set(level('s1', 106.9)), set(reading('s1', 1, 1))]);
    const calls: string[] = [];
    const sink: TriggerSink = {
      sensorRegistered: (s) => void calls.push(`sensor ${s.id}`),
      reading: (id, value) => void calls.push(`reading ${id}=${value}`),
      objectPosition: (id) => void calls.push(`object ${id}`),
      event: (e) => void calls.push(`event ${e.id}${e.cleared ? ' cleared' : ''}`),
    };
    const feed = new TriggerFeed(sink, live, () => 1000);
    feed.replay();
    live.onChanges((c) => feed.apply(c));
    live.apply('gw', [set(reading('s1', 2.6, 2)), set(fire('ev-1', 3))]);
    assert.deepEqual(feed.place('s1'), { location: { lon: 106.9, lat: 10.95 }, commune: 'Phường Trảng Dài' });
    assert.equal(feed.isDeclaredIncident('ev-1'), true);
    live.apply('gw', [set(level('s1', 106.9))], true);
    assert.deepEqual(calls, ['sensor s1', 'reading s1=1', 'reading s1=2.6', 'event ev-1', 'event ev-1 cleared', 'sensor s1']);
    assert.equal(feed.place('ev-1'), undefined);
    live.close();
  });
});
