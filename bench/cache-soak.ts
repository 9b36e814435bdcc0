/**
 * cache-soak: the telemetry cache crash loop of test/fault/cache-crash.test.ts, for N minutes
 * (default 1): a writer process (bundled, plain node) writes numbered batches through
 * TelemetryCache and is SIGKILLed 20–150 ms after each start; after every kill the file is checked
 * for every acknowledged batch (and integrity_check every 10th cycle and at the end).
 *
 *   npm run bench -- cache-soak [minutes]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleVictim, crashCycles } from '../test/fault/cache-writer.js';

export async function run(args: string[]): Promise<object> {
  const minutes = Number(args[0] ?? 1);
  if (!(minutes > 0)) throw new Error(`usage: npm run bench -- cache-soak [minutes > 0], got ${args[0]}`);
  const dir = mkdtempSync(join(tmpdir(), 'ioc-wall-cache-soak-'));
  try {
    const victim = await bundleVictim(join(dir, 'bundle'));
    const started = Date.now();
    const report = await crashCycles(join(dir, 'cache.db'), {
      cycles: Number.POSITIVE_INFINITY,
      deadline: started + minutes * 60_000,
      victim,
      log: (line) => console.error(line),
    });
    return {
      bench: 'cache-soak',
      minutes,
      cycles: report.cycles,
      acked: report.acked,
      lost: report.lost,
      integrity: report.integrity,
      killedBeforeFirstAck: report.killedBeforeFirstAck,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
