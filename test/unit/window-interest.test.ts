/** Per-window live filtering: a wall window gets in each live.batch only what its tiles can show. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wallDefinition, type LiveBatch, type Tile } from '../../native-bridge/contract.js';
import { LiveState } from '../../electron/node/live/live-state.js';
import { batchForInterest, widens, windowInterest } from '../../electron/node/live/window-interest.js';

// a 1×2 wall: r0c0 and r0c1, 12 grid columns each
const wall = wallDefinition.parse({ id: 'w', title: { vi: 'w', en: 'w' }, rows: 1, columns: 2, display: { width: 1920, height: 1080 } });
const tile = (id: string, x: number, kind: Tile['kind'], props: Record<string, unknown>): Tile => ({ id, kind, rect: { x, y: 0, w: 6, h: 6 }, props }) as Tile;

function liveWithBatch(): { live: LiveState; batch: LiveBatch } {
  const live = new LiveState(3_600_000);
  const at = Date.now();
  const kinds = ['rain', 'water-level', 'air-quality'] as const;
  live.apply(
    'gw',
    Array.from({ length: 30 }, (_, i) => [
      { op: 'set' as const, item: { type: 'sensor' as const, id: `s-${i}`, kind: kinds[i % 3]!, name: `Trạm ${i}`, commune: i < 15 ? 'Xã A' : 'Xã B', location: { lat: 10.9, lon: 106.8 }, unit: 'u', thresholds: {} } },
      { op: 'set' as const, item: { type: 'reading' as const, id: `s-${i}`, at, value: i, extra: {} } },
    ]).flat(),
  );
  live.apply('gw', [{ op: 'set', item: { type: 'object', id: 'bus-1', kind: 'bus', name: 'Xe 1', location: { lat: 10.9, lon: 106.8 }, at } }] as never);
  let batch: LiveBatch | null = null;
  live.onBatch((b) => (batch = b));
  live.flush();
  return { live, batch: batch! };
}

test('a window whose tiles show one sensor kind gets readings of that kind only, and no moving objects', () => {
  const { live, batch } = liveWithBatch();
  const tiles = [tile('rain', 0, 'sensor-readings', { kinds: ['rain'], layout: 'table', maxRows: 20, sparkline: true }), tile('map', 12, 'map', {})];
  const interest = windowInterest(wall, tiles, 'r0c0');
  const view = batchForInterest(batch, interest, (id) => live.sensor(id));
  assert.equal(view.seq, batch.seq);
  assert.equal(view.baseSeq, batch.baseSeq);
  assert.ok(view.readings.id.length > 0);
  assert.deepEqual(new Set(view.readings.id.map((id) => live.sensor(id)?.kind)), new Set(['rain']));
  assert.equal(view.readings.id.length, 10);
  assert.equal(view.objects, undefined);
  live.close();
});

test('a sensor-readings tile of one commune gets that commune only (case-insensitive, as the tile matches)', () => {
  const { live, batch } = liveWithBatch();
  const tiles = [tile('b', 0, 'sensor-readings', { kinds: [], commune: 'xã b', layout: 'table', maxRows: 20, sparkline: true })];
  const view = batchForInterest(batch, windowInterest(wall, tiles, 'r0c0'), (id) => live.sensor(id));
  assert.equal(view.readings.id.length, 15);
  assert.ok(view.readings.id.every((id) => live.sensor(id)?.commune === 'Xã B'));
  live.close();
});

test('a window with a map tile gets the whole batch; one with no live tile gets no readings', () => {
  const { live, batch } = liveWithBatch();
  const tiles = [tile('note', 0, 'note', { text: { vi: 'x', en: 'x' } }), tile('map', 12, 'map', {})];
  const map = batchForInterest(batch, windowInterest(wall, tiles, 'r0c1'), (id) => live.sensor(id));
  assert.equal(map.readings.id.length, 30);
  assert.equal(map.objects?.length, 1);
  const none = batchForInterest(batch, windowInterest(wall, tiles, 'r0c0'), (id) => live.sensor(id));
  assert.equal(none.readings.id.length, 0);
  assert.equal(none.seq, batch.seq);
  live.close();
});

test('windows with the same tiles share one interest key; a tile spanning both displays counts on both', () => {
  const spanning = [{ id: 'wide', kind: 'sensor-readings', rect: { x: 6, y: 0, w: 12, h: 6 }, props: { kinds: ['rain'], layout: 'table', maxRows: 20, sparkline: true } } as Tile];
  const left = windowInterest(wall, spanning, 'r0c0');
  const right = windowInterest(wall, spanning, 'r0c1');
  assert.equal(left.key, right.key);
  assert.notEqual(left.key, windowInterest(wall, [], 'r0c0').key);
});

test('a layout that shows more than before widens the interest (the window then resyncs); one that shows less does not', () => {
  const rain = tile('rain', 0, 'sensor-readings', { kinds: ['rain'], layout: 'table', maxRows: 20, sparkline: true });
  const air = tile('air', 6, 'sensor-readings', { kinds: ['air-quality'], layout: 'table', maxRows: 20, sparkline: true });
  const map = tile('map', 0, 'map', {});
  const one = windowInterest(wall, [rain], 'r0c0');
  const two = windowInterest(wall, [rain, air], 'r0c0');
  assert.equal(widens(one, two), true);
  assert.equal(widens(two, one), false);
  assert.equal(widens(one, windowInterest(wall, [map], 'r0c0')), true);
  assert.equal(widens(windowInterest(wall, [map], 'r0c0'), one), false);
});
