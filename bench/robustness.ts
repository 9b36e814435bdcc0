/**
 * robustness: what nothing may knock over, measured against real processes.
 * 1. Malformed HTTP requests and upgrades (the ones that once killed the host, then seeded random
 *    ones) to a host process; after every batch it must still serve. host_exits must be 0.
 * 2. One authenticated socket floods that host at 10,000 requests/s for 10 s, then asks for
 *    live.snapshot at 2,000/s for 10 s, while another client keeps working: the other client's p99,
 *    and the host's resident-memory growth.
 * 3. A 1,000,000-item gateway snapshot into a runtime over real ZeroMQ + CURVE.
 * 4. SIGKILL a supervised host again and again while a console streams wall and field commands:
 *    acknowledged commands lost must be 0.
 * `npm run bench -- robustness [--cases N] [--items N] [--kills N]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { bearer } from '../native-bridge/contract.js';
import { issueDisplayCredential } from '../test/support/accounts.js';
import { spawnHost, type HostProcess } from '../test/support/host-process.js';
import { hostileRequests, KNOWN_KILLERS, sendAndHangUp } from '../test/support/http-fuzz-cases.js';
import { rawGet, rawRequest } from '../test/support/raw-http.js';
import { bigSnapshot } from './support/big-snapshot.js';
import { floodHost } from './support/flood.js';
import { killLoop } from './support/kill-loop.js';

const HEALTH_EVERY = 100;
const SEED = 20261202;

/** Whether the host still serves a well-formed data request (a display's credential, its own Host). */
async function healthy(host: HostProcess, port: number): Promise<boolean> {
  const answer = await rawRequest(port, rawGet('/gis/datasets', { Host: `127.0.0.1:${port}`, authorization: bearer(issueDisplayCredential(host.dataDir, 'r0c0')) })).catch(() => null);
  return answer?.status === 200;
}

async function malformedRequests(host: HostProcess, cases: number): Promise<{ sent: number; exits: number; unhealthy: number }> {
  const port = Number(new URL(host.runtime.baseUrl).port);
  const requests = [...KNOWN_KILLERS, ...fc.sample(hostileRequests(host.runtime.baseUrl, issueDisplayCredential(host.dataDir, 'r0c0')), { numRuns: cases, seed: SEED })];
  let sent = 0;
  let unhealthy = 0;
  for (let i = 0; i < requests.length; i += HEALTH_EVERY) {
    await Promise.all(requests.slice(i, i + HEALTH_EVERY).map((bytes) => sendAndHangUp(port, bytes)));
    sent += Math.min(HEALTH_EVERY, requests.length - i);
    if (!host.alive()) return { sent, exits: 1, unhealthy };
    if (!(await healthy(host, port))) unhealthy++;
  }
  return { sent, exits: 0, unhealthy };
}

export async function run(args: string[]): Promise<object> {
  const { values } = parseArgs({ args, options: { cases: { type: 'string', default: '5000' }, items: { type: 'string', default: '1000000' }, kills: { type: 'string', default: '100' } } });
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-robustness-'));
  const host = await spawnHost({ dataDir, windows: 'none' });
  let malformed: Awaited<ReturnType<typeof malformedRequests>>;
  let flood: Awaited<ReturnType<typeof floodHost>>;
  let snapshotFlood: Awaited<ReturnType<typeof floodHost>>;
  try {
    malformed = await malformedRequests(host, Number(values.cases));
    console.error(`malformed: ${JSON.stringify(malformed)}`);
    flood = await floodHost({ baseUrl: host.runtime.baseUrl, dataDir: host.dataDir, pid: host.runtime.pid, requestsPerSecond: 10_000, durationMs: 10_000 });
    console.error(`flood: ${JSON.stringify(flood)}`);
    // under the flood-close threshold, asking for the biggest answer there is
    snapshotFlood = await floodHost({ baseUrl: host.runtime.baseUrl, dataDir: host.dataDir, pid: host.runtime.pid, requestsPerSecond: 2_000, durationMs: 10_000, method: 'live.snapshot', payload: {} });
    console.error(`live.snapshot flood: ${JSON.stringify(snapshotFlood)}`);
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const snapshot = await bigSnapshot(Number(values.items));
  console.error(`snapshot: ${JSON.stringify(snapshot)}`);
  const kills = await killLoop(Number(values.kills), (line) => console.error(line));
  return {
    bench: 'robustness',
    malformed_requests: malformed.sent,
    host_exits: malformed.exits,
    health_checks_failed: malformed.unhealthy,
    flood_requests_per_s: 10_000,
    flood_other_client_p50_ms: flood.other_client_p50_ms,
    flood_other_client_p99_ms: flood.other_client_p99_ms,
    flood_other_client_failed: flood.other_client_failed,
    flood_replies_refused: flood.replies_refused,
    flood_closed_code: flood.flood_closed_code,
    flood_rss_growth_mb: flood.flood_rss_growth_mb,
    snapshot_flood_other_client_p99_ms: snapshotFlood.other_client_p99_ms,
    snapshot_flood_rss_growth_mb: snapshotFlood.flood_rss_growth_mb,
    snapshot_items: snapshot.snapshot_items,
    snapshot_ingest_s: snapshot.snapshot_ingest_s,
    snapshot_rss_growth_mb: snapshot.rss_growth_mb,
    kills: Number(values.kills),
    restarts_survived: kills.restarts_survived,
    acked_lost: kills.acked_lost,
    applied_unacked: kills.applied_unacked,
  };
}
