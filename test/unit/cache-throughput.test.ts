/**
 * The insert path under a burst: 100,000 readings of 1,000 sensors written through
 * TelemetryCache.write() as 1,000-change writes, without waiting between them, are every one
 * committed once flush() acknowledges them. How fast is a benchmark's question
 * (`npm run bench -- cache-throughput`, goal ≥ 20,000 readings/s), not this test's.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TelemetryCache } from '../../electron/node/cache/cache-client.js';
import { tempDir } from '../support/fixtures.js';
import { readingWrites } from '../support/reading-writes.js';
import { keyBeside } from '../support/storage.js';

it('commits every reading of a 100,000-reading burst once flush() acknowledges', async () => {
  const file = join(tempDir('ioc-cache-burst-'), 'burst.db');
  const cache = await TelemetryCache.open(file, { key: keyBeside(file), retentionIntervalMs: 0 });
  try {
    const total = 100_000;
    for (const changes of readingWrites(total)) cache.write('gw-1', changes);
    const { committed } = await cache.flush();
    assert.equal(committed, total);
    assert.equal((await cache.stats()).rows.readings, total);
  } finally {
    await cache.close();
  }
});
