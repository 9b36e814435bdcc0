import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryCache, type Change, type TelemetryCacheOptions } from '../../electron/node/cache/cache-client.js';
import { CACHE_SCHEMA_VERSION } from '../../electron/node/cache/cache-db.js';
import type { StateItem } from '../../native-bridge/gateway-protocol.js';
import { keyBeside, openHostFile } from '../support/storage.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-cache-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
const newFile = () => join(dir, `cache-${++fileNo}.db`);
const open = (file: string, options: Partial<TelemetryCacheOptions> = {}) => TelemetryCache.open(file, { key: keyBeside(file), retentionIntervalMs: 0, ...options });

const sensor = (id: string): StateItem => ({
  type: 'sensor',
  id,
  kind: 'rain',
  name: `Rain ${id}`,
  commune: 'Phường 1',
  location: { lat: 10.5, lon: 106.4 },
  unit: 'mm/h',
  thresholds: { warning: 50 },
});
const reading = (id: string, at: number, value: number, extra: Record<string, number> = {}): StateItem => ({ type: 'reading', id, at, value, extra });
const event = (id: string, at: number, cleared = false): StateItem => ({
  type: 'event',
  id,
  at,
  severity: 'warning',
  category: 'flood',
  title: { vi: 'Ngập', en: 'Flood' },
  cleared,
});
const set = (item: StateItem): Change => ({ op: 'set', item });

/** 1,700,000,040,000: a multiple of 60 s, so rollup buckets start at B. */
const B = 28_333_334 * 60_000;

describe('TelemetryCache', () => {
  it('round-trips writes through flush() to latest()', async () => {
    let clock = 5_000;
    const cache = await open(newFile(), { now: () => clock });
    try {
      cache.write('gw-a', [set(sensor('s1')), set(reading('s1', B, 12.5, { pm25: 3 })), set(event('e1', B))]);
      clock = 6_000;
      cache.write('gw-b', [set(sensor('s2'))]);
      cache.write('gw-a', [set(reading('s1', B + 1000, 13)), { op: 'delete', item: event('e1', B) }]);
      const { committed } = await cache.flush();
      assert.equal(committed, 6);

      const { items, lastUpdateByGateway } = await cache.latest();
      assert.deepEqual(lastUpdateByGateway, { 'gw-a': 6_000, 'gw-b': 6_000 });
      assert.deepEqual(
        items.map((e) => [e.gatewayId, e.item.type, e.item.id, e.receivedAt]),
        [
          ['gw-a', 'reading', 's1', 6_000],
          ['gw-a', 'sensor', 's1', 5_000],
          ['gw-b', 'sensor', 's2', 6_000],
        ],
      );
      assert.deepEqual(items[0]!.item, reading('s1', B + 1000, 13));
      assert.deepEqual(items[1]!.item, sensor('s1'));
      // history: both readings, and the event's deletion recorded
      assert.deepEqual(await cache.series('s1', B, B + 1000, 10), { at: [B, B + 1000], value: [12.5, 13] });
      const stats = await cache.stats();
      assert.equal(stats.rows.readings, 2);
      assert.equal(stats.rows.events, 1);
      assert.equal(stats.committed, 6);
      assert.equal(stats.pending, 0);
    } finally {
      await cache.close();
    }
  });

  it('batches at 2,000 items and acknowledges everything written before flush()', async () => {
    const cache = await open(newFile());
    try {
      for (let i = 0; i < 5_001; i++) cache.write('gw', [set(reading(`s${i % 7}`, B + i, i))]);
      assert.equal((await cache.flush()).committed, 5_001);
      const stats = await cache.stats();
      assert.equal(stats.rows.readings, 5_001);
      assert.equal(stats.batches, 3); // 2,000 + 2,000 + 1,001
      assert.ok(stats.lastCommitAt > 0 && stats.lastCommitMs >= 0);
    } finally {
      await cache.close();
    }
  });

  it('replaceGateway replaces the gateway latest state and keeps history', async () => {
    const cache = await open(newFile());
    try {
      cache.write('gw-a', [set(sensor('x')), set(sensor('y')), set(reading('x', B, 1))]);
      cache.write('gw-b', [set(sensor('z'))]);
      cache.replaceGateway('gw-a', [sensor('y'), reading('y', B + 5, 2), event('e9', B + 5)]);
      await cache.flush();
      const { items } = await cache.latest();
      assert.deepEqual(
        items.map((e) => `${e.gatewayId}:${e.item.type}/${e.item.id}`),
        ['gw-a:event/e9', 'gw-a:reading/y', 'gw-a:sensor/y', 'gw-b:sensor/z'],
      );
      assert.deepEqual(await cache.series('x', 0, B + 10, 10), { at: [B], value: [1] }, 'history kept');
      assert.deepEqual(await cache.series('y', 0, B + 10, 10), { at: [B + 5], value: [2] }, 'snapshot readings recorded');
    } finally {
      await cache.close();
    }
  });

  it('series returns raw points when few, else exact avg/min/max buckets', async () => {
    const cache = await open(newFile());
    try {
      // 10 readings, one per second, values 0..9; one reading of another sensor in the middle
      cache.write('gw', [...Array.from({ length: 10 }, (_, i) => set(reading('s', B + i * 1000, i))), set(reading('other', B + 4500, 100))]);
      await cache.flush();
      assert.deepEqual(await cache.series('s', B, B + 9999, 10), { at: Array.from({ length: 10 }, (_, i) => B + i * 1000), value: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
      assert.deepEqual(await cache.series('s', B + 2000, B + 4000, 10), { at: [B + 2000, B + 3000, B + 4000], value: [2, 3, 4] }, 'inclusive bounds');
      // 10 points into 5: w = ceil(10000 / 5) = 2000
      assert.deepEqual(await cache.series('s', B, B + 9999, 5), {
        at: [B, B + 2000, B + 4000, B + 6000, B + 8000],
        value: [0.5, 2.5, 4.5, 6.5, 8.5],
        min: [0, 2, 4, 6, 8],
        max: [1, 3, 5, 7, 9],
        bucketMs: 2000,
      });
      // 10 points into 3: w = ceil(10000 / 3) = 3334 → {0..3}, {4..6}, {7..9}
      assert.deepEqual(await cache.series('s', B, B + 9999, 3), {
        at: [B, B + 3334, B + 6668],
        value: [1.5, 5, 8],
        min: [0, 4, 7],
        max: [3, 6, 9],
        bucketMs: 3334,
      });
      assert.deepEqual(await cache.series('nobody', B, B + 9999, 3), { at: [], value: [] });
    } finally {
      await cache.close();
    }
  });

  it('retention rolls raw readings up, merges late data, and deletes old rollups and events', async () => {
    const retention = { rawMs: 3_600_000, rollupMs: 86_400_000, bucketMs: 60_000 };
    const cache = await open(newFile(), { retention });
    try {
      // every 30 s, values 0..5: buckets B {0,1}, B+60 s {2,3}, B+120 s {4,5}
      cache.write('gw', [...Array.from({ length: 6 }, (_, k) => set(reading('s', B + k * 30_000, k))), set(event('e', B))]);
      await cache.flush();
      // cutoff = B + 120 s: the first two buckets are complete and old enough
      const first = await cache.runRetention(B + retention.rawMs + 120_000 + 59_999);
      assert.deepEqual({ ...first, bytes: 0 }, { rolledUp: 4, rollupsDeleted: 0, eventsDeleted: 0, trimmedForSize: 0, bytes: 0 });
      assert.deepEqual((await cache.stats()).rows, { latest: 2, readings: 2, rollups: 2, events: 1, gateways: 1 });
      assert.deepEqual(await cache.series('s', B, B + 179_999, 3), {
        at: [B, B + 60_000, B + 120_000],
        value: [0.5, 2.5, 4.5],
        min: [0, 2, 4],
        max: [1, 3, 5],
        bucketMs: 60_000,
      });
      // Rolled-up ranges are always bucketed, even when there are few points.
      assert.equal((await cache.series('s', B, B + 179_999, 1000)).bucketMs, 180);

      // a late reading for an already rolled-up bucket is merged into it
      cache.write('gw', [set(reading('s', B + 10_000, 10))]);
      await cache.flush();
      const second = await cache.runRetention(B + retention.rawMs + 120_000 + 59_999);
      assert.equal(second.rolledUp, 1);
      const merged = await cache.series('s', B, B + 59_999, 1);
      assert.deepEqual(merged, { at: [B], value: [11 / 3], min: [0], max: [10], bucketMs: 60_000 });

      // 30 days later: rollups of B and B+60 s and the event are older than rollupMs
      const third = await cache.runRetention(B + retention.rollupMs + 60_001);
      assert.deepEqual({ ...third, bytes: 0 }, { rolledUp: 2, rollupsDeleted: 2, eventsDeleted: 1, trimmedForSize: 0, bytes: 0 });
      assert.deepEqual(await cache.series('s', B, B + 179_999, 3), { at: [B + 120_000], value: [4.5], min: [4], max: [5], bucketMs: 60_000 });
      // the latest state is never aged out
      assert.equal((await cache.latest()).items.length, 2);
    } finally {
      await cache.close();
    }
  });

  it('enforces the size bound by deleting the oldest raw readings and shrinking the file', async () => {
    const file = newFile();
    const maxBytes = 1024 * 1024;
    const cache = await open(file, { maxBytes, retention: { rawMs: 365 * 86_400_000 } });
    try {
      const total = 40_000;
      for (let i = 0; i < total; i += 1000) {
        cache.write('gw', Array.from({ length: 1000 }, (_, j) => set(reading(`sensor-${(i + j) % 100}`, B + (i + j) * 1000, i + j))));
      }
      await cache.flush();
      const before = await cache.stats();
      assert.ok(before.bytes > maxBytes, `wrote ${before.bytes} bytes`);
      const result = await cache.runRetention(B + total * 1000);
      const afterStats = await cache.stats();
      assert.ok(result.trimmedForSize > 0);
      assert.equal(result.rolledUp, 0);
      assert.ok(afterStats.bytes <= maxBytes, `${afterStats.bytes} ≤ ${maxBytes}`);
      assert.equal(afterStats.rows.readings, total - result.trimmedForSize);
      // the oldest went first: the newest reading is still there, the first one is gone
      const last = total - 1;
      assert.deepEqual(await cache.series(`sensor-${last % 100}`, B + last * 1000, B + last * 1000, 5), { at: [B + last * 1000], value: [last] });
      assert.deepEqual(await cache.series('sensor-0', B, B, 5), { at: [], value: [] });
    } finally {
      await cache.close();
    }
  });

  it('migrates an empty file, re-opens idempotently, and refuses a newer schema', async () => {
    const file = newFile();
    const first = await open(file);
    first.write('gw', [set(sensor('s1'))]);
    await first.flush();
    await first.close();

    const inspect = () => {
      const db = openHostFile(file, { readonly: true });
      try {
        return {
          version: db.pragma('user_version', { simple: true }),
          autoVacuum: db.pragma('auto_vacuum', { simple: true }),
          journal: db.pragma('journal_mode', { simple: true }),
          tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
        };
      } finally {
        db.close();
      }
    };
    const expected = { version: CACHE_SCHEMA_VERSION, autoVacuum: 2, journal: 'wal', tables: ['events', 'gateways', 'latest', 'readings', 'rollups'] };
    assert.deepEqual(inspect(), expected);

    const second = await open(file);
    assert.deepEqual(
      (await second.latest()).items.map((e) => e.item.id),
      ['s1'],
    );
    await second.close();
    assert.deepEqual(inspect(), expected);

    const db = openHostFile(file);
    db.pragma(`user_version = ${CACHE_SCHEMA_VERSION + 1}`);
    db.close();
    await assert.rejects(open(file), /newer than this build/);
  });

  it('rejects an item that fails the schema with a clear error, and writes nothing of that call', async () => {
    const cache = await open(newFile());
    try {
      const bad = { type: 'reading', id: 'x', at: B, value: 'high', extra: {} } as unknown as StateItem;
      assert.throws(() => cache.write('gw', [set(reading('ok', B, 1)), set(bad)]), {
        name: 'TypeError',
        message: /write\("gw"\): change 1 \(reading\/x\): value: .*expected number/,
      });
      assert.throws(() => cache.write('gw', [set({ ...sensor('s'), colour: 'red' } as unknown as StateItem)]), /change 0 \(sensor\/s\): .*colour/);
      assert.throws(() => cache.write('gw', [{ op: 'upsert', item: sensor('s') } as unknown as Change]), /change 0: op must be 'set' or 'delete'/);
      assert.throws(() => cache.write('', [set(sensor('s'))]), /gatewayId/);
      assert.throws(() => cache.replaceGateway('gw', [sensor('a'), { type: 'camera', id: 'c' } as unknown as StateItem]), /replaceGateway\("gw"\): change 1 \(camera\/c\)/);
      assert.deepEqual(await cache.flush(), { committed: 0 });
      assert.deepEqual(await cache.latest(), { items: [], lastUpdateByGateway: {} });
      assert.equal((await cache.stats()).rows.readings, 0);
    } finally {
      await cache.close();
    }
    assert.throws(() => cache.write('gw', [set(sensor('s'))]), /closed/);
  });
});
