/** Telemetry cache input for the throughput test and benchmark: readings of `sensors` sensors as writes of `perWrite` changes. */
import type { Change } from '../../electron/node/cache/cache-client.js';

export function readingWrites(total: number, sensors = 1000, perWrite = 1000): Change[][] {
  const base = Date.now() - 3_600_000;
  const writes: Change[][] = [];
  for (let i = 0; i < total; i += perWrite) {
    const count = Math.min(perWrite, total - i);
    writes.push(Array.from({ length: count }, (_, j): Change => ({ op: 'set', item: { type: 'reading', id: `sensor-${(i + j) % sensors}`, at: base + i + j, value: (i + j) % 97, extra: { pm25: j } } })));
  }
  return writes;
}
