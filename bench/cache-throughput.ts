/**
 * cache-throughput: the telemetry cache's insert path, from write() (validation, batching, the
 * worker, one transaction per batch) to flush() acknowledging the commit. 1,000 sensors, 100
 * readings each by default, as 1,000-change writes. Goal: ≥ 20,000 readings/s on the 2-core target,
 * met only when every reading was committed.
 *
 * `npm run bench -- cache-throughput [readings=100000]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryCache } from '../electron/node/cache/cache-client.js';
import { readingWrites } from '../test/support/reading-writes.js';
import { keyBeside } from '../test/support/storage.js';
import { round } from './stats.js';

const GOAL_PER_S = 20_000;

export async function run(args: string[]): Promise<object> {
  const total = Number(args[0] ?? 100_000);
  if (!(Number.isInteger(total) && total > 0)) throw new Error('readings must be a positive integer');
  const dir = mkdtempSync(join(tmpdir(), 'ioc-wall-cache-throughput-'));
  const file = join(dir, 'rate.db');
  const cache = await TelemetryCache.open(file, { key: keyBeside(file), retentionIntervalMs: 0 });
  try {
    const writes = readingWrites(total);
    const t0 = performance.now();
    for (const changes of writes) cache.write('gw-1', changes);
    const hostMs = performance.now() - t0;
    const { committed } = await cache.flush();
    const seconds = (performance.now() - t0) / 1000;
    const stored = (await cache.stats()).rows.readings;
    const rate = Math.round(committed / seconds);
    return {
      bench: 'cache-throughput',
      readings: total,
      committed,
      stored,
      seconds: round(seconds, 3),
      readings_per_s: rate,
      host_thread_ms: round(hostMs),
      goal_per_s: GOAL_PER_S,
      goals_met: committed === total && stored === total && rate >= GOAL_PER_S,
    };
  } finally {
    await cache.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
