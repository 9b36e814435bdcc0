/**
 * `npm run bench -- scoped-live [sensors] [communes] [scopes]`: what commune scope costs the live
 * fan-out. A live state of `sensors` stations (default 250,000) over `communes` communes (default
 * 100), one batch of 10,000 readings with the whole sensor list (a registry change), filtered for
 * `scopes` distinct commune scopes (default 10; the core filters once per distinct scope, however
 * many consoles share it); and a commune account's snapshot against the province's.
 */
import { liveFilter, batchByCommune } from '../electron/node/live/live-view.js';
import { LiveState } from '../electron/node/live/live-state.js';
import type { LiveBatch, Scope } from '../native-bridge/contract.js';
import { percentile, round } from './stats.js';

const READINGS_PER_BATCH = 10_000;
const ROUNDS = 20;

function timed(rounds: number, work: () => unknown): { p50: number; p99: number } {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return { p50: round(percentile(times, 50), 2), p99: round(percentile(times, 99), 2) };
}

export function run(args: string[]): Promise<object> {
  const sensors = Number(args[0] ?? 250_000);
  const communes = Number(args[1] ?? 100);
  const scopes = Number(args[2] ?? 10);
  const communeName = (i: number) => `Xã thử ${i % communes}`;
  const live = new LiveState(3_600_000);
  const at = Date.now();
  live.apply(
    'gw',
    Array.from({ length: sensors }, (_, i) => [
      { op: 'set' as const, item: { type: 'sensor' as const, id: `s-${i}`, kind: 'rain' as const, name: `Trạm ${i}`, commune: communeName(i), location: { lat: 10.9, lon: 106.8 }, unit: 'mm/h', thresholds: {} } },
      { op: 'set' as const, item: { type: 'reading' as const, id: `s-${i}`, at, value: i % 50, extra: {} } },
    ]).flat(),
  );
  const batch: LiveBatch = {
    seq: 2,
    baseSeq: 1,
    readings: { id: Array.from({ length: READINGS_PER_BATCH }, (_, i) => `s-${(i * 7919) % sensors}`), value: Array.from({ length: READINGS_PER_BATCH }, (_, i) => i), at: Array.from({ length: READINGS_PER_BATCH }, () => at) },
    sensors: live.sensorList(),
  };
  const scopeList: Scope[] = Array.from({ length: scopes }, (_, i) => ({ kind: 'communes', communes: [communeName(i), communeName(i + scopes)] }));
  const sensorOf = (id: string) => live.sensor(id);
  // as the core does: one split per batch, then one view per distinct scope
  const fanOut = (b: LiveBatch) => {
    const viewOf = batchByCommune(b, sensorOf, (id) => live.removedSensor(id));
    return scopeList.map((scope) => viewOf(liveFilter(scope)));
  };
  const batchFanOut = timed(ROUNDS, () => fanOut(batch));
  const { sensors: _registry, ...readingsOnly } = batch;
  const readingsFanOut = timed(ROUNDS, () => fanOut(readingsOnly));
  const provinceSnapshot = timed(5, () => live.snapshot());
  const communeSnapshot = timed(5, () => live.snapshot(liveFilter(scopeList[0]!)));
  live.close();
  return Promise.resolve({
    bench: 'scoped-live',
    sensors,
    communes,
    scopes,
    readingsPerBatch: READINGS_PER_BATCH,
    batchWithRegistry_ms: batchFanOut,
    batchReadingsOnly_ms: readingsFanOut,
    provinceSnapshot_ms: provinceSnapshot,
    communeSnapshot_ms: communeSnapshot,
  });
}
