/**
 * ingest: simulated gateways (this process) publish readings over ZeroMQ + CURVE to a real host
 * process at increasing rates. For each rate: readings committed to the host's telemetry cache
 * (read from its SQLite file) against readings published, and gaps seen by the host. At the
 * nominal 5,000 msg/s also the latency from each reading's publish timestamp to its arrival in a
 * window's `live.batch` (a WebSocket client registered as display r0c0). It stops if the links
 * never go live; `lost` is published − committed as counted (negative: more committed than
 * published), and `max_rate_msgs_s` is the highest rate that ran clean with every lower one.
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
import { waitFor } from '../test/support/page-wait.js';
import { highestCleanRate, rateClean, readingsLost, type RateResult } from './support/verdicts.js';
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
    // nothing measured through links that are not up is a result: stop, naming the links
    await waitFor(`${GATEWAYS} gateway links live`, 20_000, async () => {
      const links = (await client.call('live.snapshot', {})).links;
      return links.filter((l) => l.state === 'live').length === GATEWAYS;
    }).catch(async (error: Error) => {
      const links = (await client.call('live.snapshot', {})).links;
      throw new Error(`${error.message}: ${links.map((l) => `${l.gateway} ${l.state}`).join(', ') || 'no links'}`);
    });

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
    const results: (RateResult & { lost: number; clean: boolean })[] = [];
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
      const result: RateResult = { rate, achieved: round(achieved), published: total, committed, gaps };
      // lost < 0: more readings committed than published (duplicates, or a slower rate's stragglers), not clean either
      results.push({ ...result, lost: readingsLost(result), clean: rateClean(result) });
      console.error(JSON.stringify(results.at(-1)));
    }
    transport.close();
    cache.close();
    const nominal = results.find((r) => r.rate === NOMINAL);
    if (nominal && latencies.length === 0) throw new Error(`no reading reached the window at ${NOMINAL} msg/s: no latency was measured`);
    return {
      bench: 'ingest',
      // the highest rate that ran clean together with every lower one
      max_rate_msgs_s: highestCleanRate(results),
      rates: results.map(({ rate, achieved, lost, gaps, clean }) => ({ rate, achieved, lost, gaps, clean })),
      nominal_rate_msgs_s: NOMINAL,
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      // windows get the latest reading per sensor per 100 ms batch: the samples are those that reached the window, of so many published
      latency_samples: latencies.length,
      latency_published: nominal?.published ?? 0,
      lost: nominal?.lost ?? null,
      gaps: nominal?.gaps ?? null,
    };
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
