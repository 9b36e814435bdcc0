/**
 * Insert path throughput: readings written through TelemetryCache.write() (validation, batching,
 * worker, one transaction per batch) until flush() acknowledges them. Requirement: ≥ 20,000
 * readings/s on the 2-core target. 1,000 sensors, 100 readings each, as 1,000-change writes.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryCache, type Change } from '../../electron/node/cache/cache-client.js';
import { keyBeside } from '../support/storage.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-cache-rate-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

it('sustains at least 20,000 readings/s from write() to acknowledged commit', async (t) => {
  const cache = await TelemetryCache.open(join(dir, 'rate.db'), { key: keyBeside(join(dir, 'rate.db')), retentionIntervalMs: 0 });
  try {
    const total = 100_000;
    const base = Date.now() - 3_600_000;
    const writes: Change[][] = [];
    for (let i = 0; i < total; i += 1000) {
      writes.push(Array.from({ length: 1000 }, (_, j) => ({ op: 'set', item: { type: 'reading', id: `sensor-${(i + j) % 1000}`, at: base + i + j, value: (i + j) % 97, extra: { pm25: j } } })));
    }
    const t0 = performance.now();
    for (const changes of writes) cache.write('gw-1', changes);
    const hostMs = performance.now() - t0;
    const { committed } = await cache.flush();
    const seconds = (performance.now() - t0) / 1000;
    const rate = Math.round(total / seconds);
    t.diagnostic(`${total} readings in ${seconds.toFixed(2)} s = ${rate}/s; host thread busy ${hostMs.toFixed(0)} ms (validation + posting)`);
    assert.equal(committed, total);
    assert.equal((await cache.stats()).rows.readings, total);
    assert.ok(rate >= 20_000, `${rate} readings/s < 20,000`);
  } finally {
    await cache.close();
  }
});
