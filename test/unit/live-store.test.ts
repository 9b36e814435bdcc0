import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContractError, LIVE_SENSORS_PER_FRAME, MAX_MESSAGE_BYTES, TRAIL_POINTS, type GatewayLink, type LiveBatch, type LiveSensor, type LiveSnapshot } from '../../native-bridge/contract.js';
import { LiveData, LiveFeed, RING_SIZE, isStale, readingState } from '../../renderer/session/live-store.js';
import { LiveState } from '../../electron/node/live/live-state.js';
import { batchByCommune, liveFilter } from '../../electron/node/live/live-view.js';
import { createSensorViewSelector } from '../../renderer/tiles/sensor-readings/view.js';
import { until } from '../support/page-wait.js';

const sensor = (id: string, kind: LiveSensor['kind'] = 'water-level', thresholds: LiveSensor['thresholds'] = { warning: 2, critical: 3 }): LiveSensor => ({
  id,
  gateway: 'gw1',
  kind,
  name: `Trạm ${id}`,
  commune: 'Phường Vĩnh Ninh',
  location: { lat: 16.46, lon: 107.59 },
  unit: 'm',
  thresholds,
});

const link = (state: GatewayLink['state'], seq = 0): GatewayLink => ({
  gateway: 'gw1',
  name: 'Cổng 1',
  state,
  lastHeard: 1000,
  lastHeartbeat: 1000,
  epoch: 'abc',
  seq,
  gaps: 0,
  snapshots: 1,
  rejected: 0,
});

const cols = (...rows: [string, number, number][]) => ({ id: rows.map((r) => r[0]), value: rows.map((r) => r[1]), at: rows.map((r) => r[2]) });

const snapshot = (seq: number, readings: [string, number, number][] = [], sensors = [sensor('a'), sensor('b')]): LiveSnapshot => ({
  seq,
  sensors,
  cameras: [],
  events: [],
  objects: [],
  reports: [],
  readings: cols(...readings),
  links: [link('live', seq)],
});

const batch = (baseSeq: number, seq: number, readings: [string, number, number][], extra: Partial<LiveBatch> = {}): LiveBatch => ({ baseSeq, seq, readings: cols(...readings), ...extra });

describe('live data store', () => {
  it('applies a snapshot, then batches in order; ignores old ones; reports gaps', () => {
    const data = new LiveData();
    assert.equal(data.applyBatch(batch(0, 1, [['a', 1, 10]])), 'gap', 'no batch before a snapshot');
    data.applySnapshot(snapshot(5, [['a', 1.5, 100]]));
    assert.equal(data.getState().seq, 5);
    assert.equal(data.seriesOf('a')?.value, 1.5);

    assert.equal(data.applyBatch(batch(5, 6, [['a', 2.5, 200], ['b', 0.4, 200]])), 'applied');
    assert.equal(data.getState().seq, 6);
    assert.equal(data.seriesOf('a')?.value, 2.5);
    assert.equal(data.seriesOf('a')?.at, 200);
    assert.deepEqual(data.seriesOf('a')?.recent(), [1.5, 2.5]);
    assert.equal(data.seriesOf('b')?.value, 0.4);

    assert.equal(data.applyBatch(batch(5, 6, [['a', 9, 300]])), 'stale');
    assert.equal(data.applyBatch(batch(3, 4, [['a', 9, 300]])), 'stale');
    assert.equal(data.seriesOf('a')?.value, 2.5);
    assert.equal(data.applyBatch(batch(7, 8, [['a', 9, 300]])), 'gap');
    assert.equal(data.getState().seq, 6);
    assert.equal(data.seriesOf('a')?.value, 2.5);
  });

  it('changes the registry by the sensors a batch sets and removes, and replaces the links', () => {
    const data = new LiveData();
    data.applySnapshot(snapshot(1, [['a', 1, 10]]));
    const before = data.getState().sensors;
    data.applyBatch(batch(1, 2, []));
    assert.equal(data.getState().sensors, before, 'registry identity kept when unchanged');
    data.applyBatch(batch(2, 3, [], { sensors: [sensor('c')], links: [link('stale', 3)] }));
    assert.notEqual(data.getState().sensors, before, 'a changed registry is a new map');
    assert.deepEqual([...data.getState().sensors.keys()].sort(), [...before.keys(), 'c'].sort(), 'a batch sets only the sensors it carries');
    data.applyBatch(batch(3, 4, [], { sensorsRemoved: [...before.keys()] }));
    assert.deepEqual([...data.getState().sensors.keys()], ['c']);
    assert.equal(data.seriesOf('a'), undefined, 'history of a removed sensor is dropped');
    assert.equal(data.getState().linkByGateway.get('gw1')?.state, 'stale');
  });

  it('keeps a ring of the last RING_SIZE values and ignores out-of-order readings', () => {
    const data = new LiveData();
    data.applySnapshot(snapshot(0));
    let seq = 0;
    for (let i = 1; i <= RING_SIZE + 15; i++) data.applyBatch(batch(seq, ++seq, [['a', i, i * 1000]]));
    const recent = data.seriesOf('a')?.recent() ?? [];
    assert.equal(recent.length, RING_SIZE);
    assert.equal(recent[0], 16);
    assert.equal(recent.at(-1), RING_SIZE + 15);
    data.applyBatch(batch(seq, ++seq, [['a', -1, 5]]));
    assert.equal(data.seriesOf('a')?.value, RING_SIZE + 15, 'an older reading does not replace the latest');
  });

  it('notifies only the listeners of sensors a batch touched', () => {
    const data = new LiveData();
    data.applySnapshot(snapshot(1));
    const calls: string[] = [];
    data.subscribeSensor('a', () => calls.push('a'));
    const unsubscribe = data.subscribeSensor('b', () => calls.push('b'));
    data.applyBatch(batch(1, 2, [['a', 1, 10]]));
    assert.deepEqual(calls, ['a']);
    unsubscribe();
    data.applyBatch(batch(2, 3, [['a', 2, 20], ['b', 2, 20]]));
    assert.deepEqual(calls, ['a', 'a']);
  });

  it('keeps sparkline history across a snapshot that continues it, drops sensors it lacks', () => {
    const data = new LiveData();
    data.applySnapshot(snapshot(1, [['a', 1, 10], ['b', 1, 10]]));
    data.applyBatch(batch(1, 2, [['a', 2, 20]]));
    data.applySnapshot(snapshot(9, [['a', 3, 30]]));
    assert.deepEqual(data.seriesOf('a')?.recent(), [1, 2, 3]);
    assert.equal(data.seriesOf('b'), undefined);
    assert.equal(data.getState().seq, 9);
  });
});

describe('what a window reports it painted', () => {
  it('counts the snapshots applied and the sensors holding a reading, not batches', () => {
    const data = new LiveData();
    assert.equal(data.getState().snapshots, 0);
    assert.equal(data.readingCount(), 0);
    data.applySnapshot(snapshot(3, [['a', 1, 10]]));
    assert.equal(data.getState().snapshots, 1);
    assert.equal(data.readingCount(), 1, 'b is in the registry without a reading');
    assert.equal(data.applyBatch(batch(3, 4, [['b', 2, 20]])), 'applied');
    assert.equal(data.getState().snapshots, 1, 'a batch is no new snapshot (no paint report for each)');
    assert.equal(data.readingCount(), 2);
    data.applySnapshot(snapshot(9, [['a', 3, 30]]));
    assert.equal(data.getState().snapshots, 2);
    assert.equal(data.readingCount(), 1, 'a sensor the snapshot has no reading for is gone');
  });
});

describe('live feed (snapshot + batches)', () => {
  function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('queues batches during a snapshot fetch and replays the ones that follow it', async () => {
    const data = new LiveData();
    const pending = deferred<LiveSnapshot>();
    let calls = 0;
    const feed = new LiveFeed(data, { snapshot: () => (calls++, pending.promise) });
    const sync = feed.resync();
    feed.onBatch(batch(3, 4, [['a', 1, 40]])); // covered by the snapshot
    feed.onBatch(batch(4, 5, [['a', 2, 50]])); // follows it
    pending.resolve(snapshot(4, [['a', 0.5, 35]]));
    await sync;
    assert.equal(calls, 1);
    assert.equal(data.getState().seq, 5);
    assert.equal(data.seriesOf('a')?.value, 2);
    feed.stop();
  });

  it('refetches the snapshot on a gap', async () => {
    const data = new LiveData();
    const snaps = [snapshot(1, [['a', 1, 10]]), snapshot(7, [['a', 7, 70]])];
    let calls = 0;
    const feed = new LiveFeed(data, { snapshot: async () => snaps[Math.min(calls++, snaps.length - 1)] as LiveSnapshot });
    await feed.resync();
    feed.onBatch(batch(1, 2, [['a', 2, 20]]));
    assert.equal(data.getState().seq, 2);
    feed.onBatch(batch(5, 6, [['a', 6, 60]])); // gap: 2 → 5
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2);
    assert.equal(data.getState().seq, 7);
    assert.equal(data.seriesOf('a')?.value, 7);
    feed.onBatch(batch(6, 7, [['a', 99, 65]])); // old: ignored, no refetch
    assert.equal(calls, 2);
    feed.stop();
  });

  it('retries a failed snapshot, but waits for the next link-up after a disconnect', async () => {
    const data = new LiveData();
    let calls = 0;
    let fail: unknown = new ContractError('disconnected', 'link down');
    const feed = new LiveFeed(
      data,
      {
        snapshot: async () => {
          calls++;
          if (fail) throw fail;
          return snapshot(1);
        },
      },
      20,
    );
    await feed.resync();
    // a sleep, not a wait: no retry is nothing happening; the window is over twice the 20 ms retry delay
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(calls, 1, 'no retry after a disconnect');
    const warn = console.warn;
    console.warn = () => {};
    try {
      fail = new ContractError('unknown-method', 'no live.snapshot');
      await feed.resync();
      fail = null;
      await until(() => calls >= 3, 'the retry after the failure', 5_000);
    } finally {
      console.warn = warn;
    }
    assert.equal(calls, 3, 'retried once after a failure');
    assert.equal(data.getState().loaded, true);
    feed.stop();
  });
});

describe('reading state and staleness', () => {
  it('grades values against thresholds, both ways', () => {
    assert.equal(readingState(1, { warning: 2, critical: 3 }), 'normal');
    assert.equal(readingState(2, { warning: 2, critical: 3 }), 'warning');
    assert.equal(readingState(3.2, { warning: 2, critical: 3 }), 'critical');
    assert.equal(readingState(50, {}), 'normal');
    assert.equal(readingState(1, { critical: 1 }), 'critical');
    // dissolved oxygen: lower is worse
    assert.equal(readingState(3, { warning: 4, critical: 2 }), 'warning');
    assert.equal(readingState(1.5, { warning: 4, critical: 2 }), 'critical');
  });

  it('flags old readings and readings behind a stale or offline gateway', () => {
    const now = 1_000_000;
    assert.equal(isStale(now - 5_000, now, 'live'), false);
    assert.equal(isStale(now - 61_000, now, 'live'), true);
    assert.equal(isStale(now - 5_000, now, 'stale'), true);
    assert.equal(isStale(now - 5_000, now, 'offline'), true);
    assert.equal(isStale(now - 5_000, now, null), false);
    assert.equal(isStale(null, now, 'live'), true);
  });
});

describe('sensor view selector', () => {
  it('filters, puts critical first, groups by kind and keeps its result while nothing shown changes', () => {
    const data = new LiveData();
    const sensors = [sensor('r1', 'rain', { warning: 50, critical: 100 }), sensor('w1'), sensor('w2'), sensor('aq', 'air-quality', { warning: 100, critical: 200 })];
    data.applySnapshot(snapshot(1, [['r1', 120, 10], ['w1', 1, 10], ['w2', 2.5, 10], ['aq', 20, 10]], sensors));
    const select = createSensorViewSelector({ kinds: ['rain', 'water-level'], maxRows: 20 }, data);
    const view = select(data.getState());
    assert.equal(view.total, 3);
    assert.deepEqual(
      view.groups.map((g) => [g.kind, g.rows.map((r) => `${r.sensor.id}:${r.state}`)]),
      [
        ['rain', ['r1:critical']],
        ['water-level', ['w2:warning', 'w1:normal']],
      ],
    );
    data.applyBatch(batch(1, 2, [['w1', 1.1, 20]]));
    assert.equal(select(data.getState()), view, 'same rows in the same states: same object');
    data.applyBatch(batch(2, 3, [['w1', 3.5, 30]]));
    const next = select(data.getState());
    assert.notEqual(next, view);
    assert.deepEqual(next.groups[1]?.rows.map((r) => r.sensor.id), ['w1', 'w2']);

    const limited = createSensorViewSelector({ kinds: [], maxRows: 1 }, data)(data.getState());
    assert.equal(limited.shown, 1);
    assert.equal(limited.total, 4);
    const none = createSensorViewSelector({ kinds: [], commune: 'Xã khác', maxRows: 5 }, data)(data.getState());
    assert.equal(none.shown, 0);
  });
});

describe('moving objects: host and window keep the same trails', () => {
  it('a window fed one snapshot and then only batches of steps holds exactly the host picture', () => {
    const host = new LiveState(1_000_000); // flushed by hand
    const batches: LiveBatch[] = [];
    host.onBatch((b) => batches.push(b));
    const window = new LiveData();
    const move = (id: string, at: number) => ({ op: 'set' as const, item: { type: 'object' as const, id, kind: 'vessel' as const, name: `Tàu ${id}`, at, location: { lon: 106 + at / 1e4, lat: 10 + at / 2e4 } } });
    for (let t = 1; t <= 5; t++) host.apply('gw1', [move('a', t), move('b', t)]);
    host.flush();
    batches.length = 0;
    window.applySnapshot(host.snapshot());
    // 'a' moves three times between flushes, 'b' twenty (more than a trail holds), 'c' appears, then 'a' goes
    for (let t = 6; t <= 40; t++) {
      host.apply('gw1', t <= 8 ? [move('a', t), move('b', t)] : [move('b', t)]);
      if (t === 20) host.apply('gw1', [move('c', t)]);
      if (t % 25 === 0) host.flush();
    }
    host.flush();
    host.apply('gw1', [{ op: 'delete', item: move('a', 41).item }]);
    host.flush();
    for (const b of batches) assert.equal(window.applyBatch(b), 'applied');
    assert.ok(batches.some((b) => b.objects?.some((o) => o.steps.length > 1)), 'some batch must carry several steps of one object');
    assert.ok(batches.every((b) => !b.objects?.some((o) => 'trail' in o)), 'batches carry steps, not trails');
    const expected = new Map(host.snapshot().objects.map((o) => [o.id, o]));
    assert.deepEqual(new Map(window.store.getState().objects), expected);
    assert.equal(expected.get('b')?.trail.length, TRAIL_POINTS);
  });
});

describe('the sensor registry: host and windows keep the same one from batches of changes', () => {
  const COMMUNES = ['Phường Trấn Biên', 'Xã Trảng Bom', 'Phường Long Khánh'];
  const item = (i: number, commune = COMMUNES[i % COMMUNES.length]!, name = `Trạm đo mưa số ${i}`) => ({
    op: 'set' as const,
    item: { type: 'sensor' as const, id: `s-${i}`, kind: 'rain' as const, name, commune, location: { lat: 10.9, lon: 106.8 + i * 1e-5 }, unit: 'mm/h', thresholds: { warning: 50 } },
  });
  const readingOf = (i: number, at: number) => ({ op: 'set' as const, item: { type: 'reading' as const, id: `s-${i}`, value: i % 97, at, extra: {} } });
  const SENSORS = LIVE_SENSORS_PER_FRAME * 2 + 500;

  it('a province and two commune readers fed one snapshot and then only batches hold what the host holds, each batch within a frame', () => {
    const host = new LiveState(1_000_000); // flushed by hand
    const scopes = [null, liveFilter({ kind: 'communes', communes: [COMMUNES[0]!] }), liveFilter({ kind: 'communes', communes: [COMMUNES[1]!] })];
    const readers = scopes.map(() => ({ data: new LiveData(), batches: [] as LiveBatch[] }));
    host.onBatch((b) => {
      const viewOf = batchByCommune(b, (id) => host.sensor(id), (id) => host.removedSensor(id));
      scopes.forEach((scope, i) => readers[i]!.batches.push(viewOf(scope)));
    });
    host.apply('gw1', Array.from({ length: 10 }, (_, i) => item(i)));
    host.flush();
    scopes.forEach((scope, i) => readers[i]!.data.applySnapshot(host.snapshot(scope)));
    for (const reader of readers) reader.batches.length = 0;

    // a province of sensors arrives with readings; then s-3 is renamed and moves from the first
    // commune to the second, s-4 moves away and back before a batch, s-5 goes
    host.apply('gw1', [...Array.from({ length: SENSORS }, (_, i) => item(i)), ...Array.from({ length: SENSORS }, (_, i) => readingOf(i, 1000))]);
    host.flush();
    host.apply('gw1', [item(3, COMMUNES[1], 'Trạm đo mưa Hố Nai'), item(4, COMMUNES[0]), { op: 'delete', item: item(5).item }]);
    host.apply('gw1', [item(4, COMMUNES[1])]);
    host.flush();
    // the gateway reconnects: its snapshot names every sensor it has again, unchanged, but the last 700
    const current = (i: number) => (i === 3 ? item(3, COMMUNES[1], 'Trạm đo mưa Hố Nai') : item(i));
    const reconnectFrom = readers[0]!.batches.length;
    host.apply('gw1', Array.from({ length: SENSORS - 700 }, (_, i) => current(i)).filter((c) => c.item.id !== 's-5'), true);
    host.flush();

    for (const { data, batches } of readers) for (const b of batches) assert.equal(data.applyBatch(b), 'applied');
    const province = readers[0]!.batches;
    for (const b of province) {
      assert.ok((b.sensors?.length ?? 0) <= LIVE_SENSORS_PER_FRAME, 'a batch carries at most a frame of sensors');
      assert.ok(Buffer.byteLength(JSON.stringify(b)) < MAX_MESSAGE_BYTES);
    }
    assert.ok(province.length >= 3 + 2, 'the province of sensors took several batches');
    const reconnect = province.slice(reconnectFrom);
    assert.deepEqual(reconnect.flatMap((b) => b.sensors ?? []), [], 'resending unchanged sensors sends none of them');
    assert.equal(reconnect.flatMap((b) => b.sensorsRemoved ?? []).length, 700, 'the sensors the snapshot no longer names are removed');

    const sorted = (entries: Iterable<[string, LiveSensor]>) => new Map([...entries].sort(([a], [b]) => a.localeCompare(b)));
    scopes.forEach((scope, i) => {
      const expected = sorted(host.snapshot(scope).sensors.map((s) => [s.id, s]));
      assert.ok(expected.size > 0);
      assert.deepEqual(sorted(readers[i]!.data.getState().sensors), expected, `reader ${i} holds the host's registry of its scope`);
    });
    const [, first, second] = readers.map((r) => r.data.getState().sensors);
    assert.equal(first!.has('s-3'), false, 'a sensor that moved out leaves its old commune');
    assert.equal(second!.get('s-3')?.name, 'Trạm đo mưa Hố Nai', 'and is set in its new one');
    assert.ok(second!.has('s-4'), 'a sensor that moved away and back stays');
    assert.equal(readers[0]!.data.seriesOf('s-100')?.value, 100 % 97);
  });
});
