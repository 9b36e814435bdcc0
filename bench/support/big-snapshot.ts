/**
 * One gateway's N-item snapshot into a wall host's runtime, composed as the hosts compose it
 * (startRuntime with a gateways file naming one test gateway), sent by the reference gateway
 * (sim/gateway.ts) over real ZeroMQ + CURVE. Measures from the gateway's connect until the link is
 * live, the live state holds all N items and the telemetry cache has committed them.
 *
 * The gateway runs in this process: rss_growth_mb includes its send queues (its N items are built
 * before the baseline is taken), so it is an upper bound on what the host itself grows by.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gatewayWith, manySensors, oneGatewayHost } from '../../test/support/one-gateway-runtime.js';

export interface BigSnapshotResult {
  snapshot_items: number;
  snapshot_ingest_s: number;
  rss_growth_mb: number;
}

export async function bigSnapshot(n: number, timeoutMs = 30 * 60_000): Promise<BigSnapshotResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-big-snapshot-'));
  const host = oneGatewayHost(dataDir);
  const runtime = await host.start();
  const items = manySensors(n);
  const sim = gatewayWith(host, runtime, items);
  try {
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const started = performance.now();
    await sim.start();
    const link = () => runtime.field.hub.links().find((l) => l.gateway === host.gateway.id);
    // slices arrive in order: the last item in the live state means all came (listing 1,000,000 items each poll would slow the ingest it measures)
    const lastId = items.at(-1)?.id ?? '';
    while (!(link()?.state === 'live' && runtime.core.live.sensor(lastId))) {
      if (performance.now() - started > timeoutMs) throw new Error(`big snapshot: item ${lastId} not live after ${timeoutMs} ms`);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      await sleep(100);
    }
    await runtime.field.cache.flush();
    const seconds = (performance.now() - started) / 1000;
    const live = runtime.core.live.sensorList().length;
    if (live !== n) throw new Error(`big snapshot: ${live} of ${n} items live`);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    return { snapshot_items: n, snapshot_ingest_s: Math.round(seconds * 100) / 100, rss_growth_mb: Math.round((rssPeak - rssBefore) / 2 ** 20) };
  } finally {
    await sim.stop();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
