/**
 * Floods a running host from one authenticated socket at a given rate for a given time while a
 * second client measures its own request latency: what one misbehaving window costs the others.
 * For the robustness benchmark. The flood runs in a worker thread (bench/support/flood-worker.ts)
 * so it does not share the measuring client's event loop; the host may be in this process or a
 * child (then `pid` gives its memory growth from /proc).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSiblingWorker } from '../../electron/node/worker-entry.js';
import { connectNodeClient } from '../../test/support/ws-client.js';
import { helloAsDisplay, issueDisplayCredential } from '../../test/support/accounts.js';
import { percentile, round } from '../stats.js';
import type { FloodWorkerData, FloodWorkerResult } from './flood-worker.js';

export interface FloodOptions {
  baseUrl: string;
  /** The host's data folder: the flooding and the measuring display windows get credentials there. */
  dataDir: string;
  /** The host's process id, for its resident memory (Linux /proc); omitted = not measured. */
  pid?: number;
  requestsPerSecond: number;
  durationMs: number;
  /** What the flood asks for (default presets.list, about 1.3 KB a reply). */
  method?: string;
  payload?: unknown;
}

export interface FloodResult {
  other_client_p50_ms: number;
  other_client_p99_ms: number;
  other_client_requests: number;
  /** The other client's calls that failed (refused, timed out): 0 when the limits are per connection. */
  other_client_failed: number;
  flood_sent: number;
  flood_answered: number;
  /** Flood requests answered 'rate-limited' or 'busy'. */
  replies_refused: number;
  /** The close code when the host closed the flooding socket (1008: a request flood), else null. */
  flood_closed_code: number | null;
  /** Peak resident memory during the flood minus before it; null without a pid. */
  flood_rss_growth_mb: number | null;
}

function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : NaN;
}

export async function floodHost(options: FloodOptions): Promise<FloodResult> {
  const { requestsPerSecond, durationMs, method = 'presets.list', payload = {} } = options;
  const other = await connectNodeClient(options.baseUrl);
  await helloAsDisplay(other.client, options.dataDir, 'r0c1');
  const data: FloodWorkerData = { baseUrl: options.baseUrl, credential: issueDisplayCredential(options.dataDir, 'r0c0'), requestsPerSecond, durationMs, method, payload };
  const worker = startSiblingWorker(import.meta.url, 'flood-worker', data, 'flood');
  const done = new Promise<FloodWorkerResult>((resolve, reject) => {
    worker.on('message', (message: { result?: FloodWorkerResult }) => message.result && resolve(message.result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`flood worker exited (${code}) before reporting`)));
  });
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));

  const rssBefore = options.pid ? rssMb(options.pid) : NaN;
  let rssPeak = rssBefore;
  const end = Date.now() + durationMs;
  // the other client asks as a busy console would: one call at a time, 50 a second at most
  const latencies: number[] = [];
  let otherFailed = 0;
  while (Date.now() < end) {
    const t0 = performance.now();
    await other.client.call('alerts.list', {}).catch(() => otherFailed++);
    const took = performance.now() - t0;
    latencies.push(took);
    if (options.pid) rssPeak = Math.max(rssPeak, rssMb(options.pid));
    if (took < 20) await sleep(20 - took);
  }
  const flood = await done;
  await worker.terminate();
  if (options.pid) rssPeak = Math.max(rssPeak, rssMb(options.pid));
  other.transport.close();
  return {
    other_client_p50_ms: round(percentile(latencies, 50)),
    other_client_p99_ms: round(percentile(latencies, 99)),
    other_client_requests: latencies.length,
    other_client_failed: otherFailed,
    flood_sent: flood.sent,
    flood_answered: flood.outcomes.ok ?? 0,
    replies_refused: (flood.outcomes['rate-limited'] ?? 0) + (flood.outcomes.busy ?? 0),
    flood_closed_code: flood.closedCode,
    flood_rss_growth_mb: options.pid ? round(rssPeak - rssBefore) : null,
  };
}
