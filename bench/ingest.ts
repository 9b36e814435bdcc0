/**
 * ingest: simulated gateways (this process) publish readings over ZeroMQ + CURVE to a real host
 * process at increasing rates. For each rate: readings committed to the host's telemetry cache
 * (read from its SQLite file) against readings published, and gaps seen by the host. At the
 * nominal 5,000 msg/s also the latency from each reading's publish timestamp to its arrival in a
 * window's `live.batch` (a WebSocket client registered as display r0c0).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zmq from 'zeromq';
import { SimGateway } from '../sim/gateway.js';
import { spawnHost } from '../test/support/host-process.js';
import { connectNodeClient } from '../test/support/ws-client.js';
import { helloAsDisplay } from '../test/support/accounts.js';
import { percentile, round } from './stats.js';
import { maxOf } from '../native-bridge/extremes.js';
import { openEncrypted } from '../electron/node/sqlite-cipher.js';
import { loadStorageKey } from '../electron/node/storage-key.js';

const GATEWAYS = 4;
const SENSORS_PER_GATEWAY = 250;
const NOMINAL = 5000;


export async function run(args: string[]): Promise<object> {
  const rates = args.length ? args.map(Number) : [5000, 10_000, 20_000, 30_000, 40_000];
  const seconds = 5;
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-ingest-'));
  const keys = Array.from({ length: GATEWAYS }, (_, i) => ({ id: `gw-bench-${i}`, ...zmq.curveKeyPair() }));
  const gatewaysFile = join(dataDir, 'gateways.yaml');
  writeFileSync(
    gatewaysFile,
    [`bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }`, 'simulate: false', 'gateways:', ...keys.map((k) => `  - { id: ${k.id}, name: ${k.id}, publicKey: '${k.publicKey}' }`), ''].join('\n'),
  );
  const host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });
  const gateways = keys.map(
    (k) => new SimGateway({ id: k.id, name: k.id, endpoints: host.runtime.gateways, hostPublicKey: host.runtime.gateways.hostPublicKey, keyPair: k, publishHighWaterMark: 1_000_000 }),
  );
  try {
    for (const [g, gateway] of gateways.entries()) {
      await gateway.start();
      for (let s = 0; s < SENSORS_PER_GATEWAY; s++) {
        gateway.set({ type: 'sensor', id: `s-${g}-${s}`, kind: 'water-level', name: `Trạm ${g}-${s}`, commune: 'Bench', location: { lat: 10.95, lon: 106.85 }, unit: 'm' });
      }
    }
    const { client, transport } = await connectNodeClient(host.runtime.baseUrl);
    await helloAsDisplay(client, host.dataDir, 'r0c0');
    const linksLive = async () => (await client.call('live.snapshot', {})).links.filter((l) => l.state === 'live').length === GATEWAYS;
    for (let i = 0; i < 200 && !(await linksLive()); i++) await sleep(100);

    let measuring = false;
    const latencies: number[] = [];
    client.on('live.batch', (batch) => {
      if (!measuring) return;
      const now = Date.now();
      for (const at of batch.readings.at) latencies.push(now - at);
    });

    const cache = openEncrypted(join(dataDir, 'demo-telemetry.sqlite'), loadStorageKey(dataDir), { readonly: true, fileMustExist: true });
    const countReadings = () => (cache.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;
    const gapsSoFar = async () => (await client.call('live.snapshot', {})).links.reduce((sum, l) => sum + l.gaps, 0);

    const lastAt = new Map<string, number>();
    const results: { rate: number; achieved: number; published: number; committed: number; lost: number; gaps: number }[] = [];
    for (const rate of rates) {
      const before = countReadings();
      const gapsBefore = await gapsSoFar();
      measuring = rate === NOMINAL;
      let published = 0;
      const started = Date.now();
      const total = rate * seconds;
      // Publish in 10 ms slices to hold the rate.
      while (published < total) {
        const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
        for (; published < due; published++) {
          const g = published % GATEWAYS;
          const s = Math.floor(published / GATEWAYS) % SENSORS_PER_GATEWAY;
          // Unique (sensor, at) per reading; a sensor reads at most once a millisecond.
          const id = `s-${g}-${s}`;
          const at = Math.max((lastAt.get(id) ?? 0) + 1, Date.now());
          lastAt.set(id, at);
          gateways[g]!.set({ type: 'reading', id, at, value: 1 + Math.sin(published / 100) });
        }
        await sleep(10);
      }
      const achieved = total / ((Date.now() - started) / 1000);
      // Let the host drain, then count what reached the cache.
      let committed = countReadings() - before;
      for (let i = 0; i < 100; i++) {
        await sleep(200);
        const now = countReadings() - before;
        if (now === committed && now >= total) break;
        committed = now;
      }
      committed = countReadings() - before;
      measuring = false;
      const gaps = (await gapsSoFar()) - gapsBefore;
      results.push({ rate, achieved: round(achieved), published: total, committed, lost: Math.max(0, total - committed), gaps });
      console.error(JSON.stringify(results.at(-1)));
    }
    transport.close();
    cache.close();
    const clean = results.filter((r) => r.lost === 0 && r.gaps === 0 && r.achieved >= r.rate * 0.95);
    const nominal = results.find((r) => r.rate === NOMINAL);
    return {
      bench: 'ingest',
      max_rate_msgs_s: clean.length ? maxOf(clean.map((r) => r.rate)) : 0,
      nominal_rate_msgs_s: NOMINAL,
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      lost: nominal?.lost ?? null,
      gaps: nominal?.gaps ?? null,
    };
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
