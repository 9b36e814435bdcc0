/**
 * The field-command retry sweep's cost with and without a backlog: a real GatewayHub (ZeroMQ
 * bound on 127.0.0.1) over a real SQLite outbox file, its sweep run by hand. With 0 and with
 * `backlog` commands waiting for an offline gateway, the p50/p99 of one sweep; the ratio says
 * whether the sweep's cost grows with the backlog (it should stay near 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import * as zmq from 'zeromq';
import { SqliteCommandOutbox } from '../../electron/node/gateway/command-outbox.js';
import { GatewayHub } from '../../electron/node/gateway/gateway-hub.js';
import { loadOrCreateKeyPair } from '../../electron/node/gateway/keys.js';
import { percentile, round } from '../stats.js';

export interface SweepTimes {
  pending: number;
  p50Ms: number;
  p99Ms: number;
}

export interface OutboxSweepResult {
  empty: SweepTimes;
  backlog: SweepTimes;
  /** backlog p50 / empty p50, and the same for p99. */
  ratioP50: number;
  ratioP99: number;
}

async function timeSweeps(dir: string, pending: number, sweeps: number): Promise<SweepTimes> {
  const db = new Database(join(dir, `outbox-${pending}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // as the wall database runs
  const outbox = new SqliteCommandOutbox(db, { maxPendingPerGateway: Math.max(pending, 1) });
  const hub = new GatewayHub({
    endpoints: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' },
    keyPair: loadOrCreateKeyPair(join(dir, 'host-key.json')),
    gateways: [
      { id: 'gw-offline', name: 'Trạm mất kết nối', publicKey: zmq.curveKeyPair().publicKey },
      { id: 'gw-other', name: 'Trạm khác', publicKey: zmq.curveKeyPair().publicKey },
    ],
    outbox,
    log: () => {},
    timings: { tickMs: 3_600_000 }, // only the sweeps measured here run
  });
  await hub.start();
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < pending; i++) {
      const command = { id: `bench-${String(i).padStart(8, '0')}`, type: 'traffic-signal-plan' as const, target: `nut-${i}`, params: { plan: 'cao-diem' }, issuedAt: now, issuedBy: 'bench' };
      hub.sendCommand('gw-offline', command).catch(() => {}); // rejected when the hub closes: the command stays in the outbox
    }
  })();
  for (let i = 0; i < 50; i++) hub.sweepCommands(); // warm-up
  const durations: number[] = [];
  for (let i = 0; i < sweeps; i++) {
    const start = performance.now();
    hub.sweepCommands();
    durations.push(performance.now() - start);
  }
  await hub.close();
  db.close();
  return { pending, p50Ms: round(percentile(durations, 50), 4), p99Ms: round(percentile(durations, 99), 4) };
}

export async function measureOutboxSweep({ backlog = 7260, sweeps = 2000 } = {}): Promise<OutboxSweepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-wall-bench-outbox-'));
  let empty: SweepTimes;
  let loaded: SweepTimes;
  try {
    empty = await timeSweeps(dir, 0, sweeps);
    loaded = await timeSweeps(dir, backlog, sweeps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    empty,
    backlog: loaded,
    ratioP50: round(loaded.p50Ms / empty.p50Ms, 2),
    ratioP99: round(loaded.p99Ms / empty.p99Ms, 2),
  };
}
