/**
 * fanout: a 4×8 wall (32 display windows) and the console as WebSocket clients that decode every
 * message but render nothing, on a real host process (ZeroMQ + CURVE gateways, SQLite cache,
 * WebSocket), while four simulated gateways publish `rate` readings a second (default 10,000: 10,000
 * sensors once a second each). The layout (generated here) gives the windows different things to
 * show: a map across two displays (everything), sensor-readings tiles of one kind, of one kind in
 * one commune, and tiles with nothing live (clock, note, alerts, links, cameras). Measured over
 * `seconds` (default 30) after a warm-up: the host process's CPU (/proc), the latency from each
 * reading's publish time to its batch's arrival at the last of the 33 clients, the bytes each
 * client received a second, and whether each window got exactly the readings its tiles show.
 *
 * `npm run bench -- fanout [seconds=30] [rate=10000]`
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zmq from 'zeromq';
import type { LiveBatch, SensorKind, Tile } from '../native-bridge/contract.js';
import { displayWindowIdOf } from '../native-bridge/wall-geometry.js';
import { maxOf, minOf } from '../native-bridge/extremes.js';
import { SimGateway } from '../sim/gateway.js';
import { spawnHost } from '../test/support/host-process.js';
import { connectConsole, connectDisplay } from '../test/support/accounts.js';
import { waitFor } from '../test/support/page-wait.js';
import { fetchLiveSnapshot } from '../renderer/session/live-store.js';
import type { connectNodeClient } from '../test/support/ws-client.js';
import { percentile, round } from './stats.js';

const ROWS = 4;
const COLUMNS = 8;
const CELLS = 12;
const GATEWAYS = 4;
/** Sensors of the province: 10,000, each reading once a second at 10,000/s (the registry travels in pages and batches of changes). */
const SENSORS = 10_000;
const WARMUP_MS = 5_000;
const GOAL_P99_MS = 250;
const GOAL_CPU_PCT = 100;
const KINDS: readonly SensorKind[] = ['rain', 'water-level', 'air-quality', 'water-quality', 'fire-alarm', 'traffic', 'smart-light'];
const COMMUNES = Array.from({ length: 10 }, (_, i) => `Phường ${i + 1}`);
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

const sensorKind = (i: number): SensorKind => KINDS[i % KINDS.length]!;
const sensorCommune = (i: number): string => COMMUNES[Math.floor(i / KINDS.length) % COMMUNES.length]!;
const sensorIndex = (id: string): number => Number(id.slice(2));

/** What a window's tiles show, to check what it got: every reading, those of a kind (in a commune), or none. */
type Shows = { kind: 'all' } | { kind: 'sensors'; sensorKind: SensorKind; commune: string | null } | { kind: 'none' };

interface Planned {
  windowId: string;
  shows: Shows;
}

const rectOf = (row: number, column: number, span = 1) => ({ x: column * CELLS, y: row * CELLS, w: CELLS * span, h: CELLS });

/**
 * The 4×8 layout: row 0 a map across r0c0–r0c1 then one kind per window (kinds repeat, so windows
 * share interests), row 1 one kind per window, row 2 one kind in one commune, row 3 nothing live.
 */
function fanoutLayout(): { tiles: Tile[]; windows: Planned[] } {
  const tiles: Tile[] = [];
  const windows: Planned[] = [];
  const quiet: ((id: string, rect: Tile['rect']) => Tile)[] = [
    (id, rect) => ({ id, kind: 'clock-status', rect, props: { showSeconds: true, showDate: true, showLinks: true } }),
    (id, rect) => ({ id, kind: 'note', rect, props: { markdown: 'Bảng tin', fontScale: 1, tone: 'neutral' } }),
    (id, rect) => ({ id, kind: 'alert-list', rect, props: { minSeverity: 'info', showAcknowledged: true, maxItems: 50 } }),
    (id, rect) => ({ id, kind: 'link-health', rect, props: { showCounters: true } }) as Tile,
    (id, rect) => ({ id, kind: 'camera', rect, props: { cameraId: '', stream: 'auto', showName: true } }),
  ];
  tiles.push({ id: 'map', kind: 'map', rect: rectOf(0, 0, 2), props: {} } as Tile);
  let k = 0;
  for (let row = 0; row < ROWS; row++) {
    for (let column = 0; column < COLUMNS; column++) {
      const windowId = displayWindowIdOf(row, column);
      const id = `t-${row}-${column}`;
      if (row === 0 && column < 2) {
        windows.push({ windowId, shows: { kind: 'all' } });
      } else if (row < 2) {
        const kind = KINDS[k++ % KINDS.length]!;
        tiles.push({ id, kind: 'sensor-readings', rect: rectOf(row, column), props: { kinds: [kind], layout: 'table', maxRows: 20, sparkline: true } });
        windows.push({ windowId, shows: { kind: 'sensors', sensorKind: kind, commune: null } });
      } else if (row === 2) {
        const kind = KINDS[column % KINDS.length]!;
        const commune = COMMUNES[column % COMMUNES.length]!;
        tiles.push({ id, kind: 'sensor-readings', rect: rectOf(row, column), props: { kinds: [kind], commune, layout: 'cards', maxRows: 20, sparkline: true } });
        windows.push({ windowId, shows: { kind: 'sensors', sensorKind: kind, commune } });
      } else {
        tiles.push(quiet[column % quiet.length]!(id, rectOf(row, column)));
        windows.push({ windowId, shows: { kind: 'none' } });
      }
    }
  }
  return { tiles, windows };
}

const showsSensor = (shows: Shows, i: number): boolean =>
  shows.kind === 'all' || (shows.kind === 'sensors' && sensorKind(i) === shows.sensorKind && (shows.commune === null || sensorCommune(i) === shows.commune));

/** One client's record while measuring: when each batch arrived, the bytes it got, readings it should not have got / missed. */
interface Received {
  label: string;
  shows: Shows;
  arrivals: Map<number, number>;
  bytes: number;
  /** The readings of each batch it got, by seq (their count; checked against the console's). */
  shown: Map<number, number>;
  outside: number;
}

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function wallFileIn(dir: string): string {
  const file = join(dir, 'fanout-wall.yaml');
  const wall = { id: 'fanout', title: { vi: 'Tường 4×8 (bench)', en: '4×8 wall (bench)' }, rows: ROWS, columns: COLUMNS, display: { width: 1920, height: 1080, bezelPx: 24 }, grid: { colsPerDisplay: CELLS, rowsPerDisplay: CELLS } };
  writeFileSync(file, JSON.stringify(wall)); // JSON is YAML
  return file;
}

function gatewaysFileIn(dir: string, keys: readonly { id: string; publicKey: string }[]): string {
  const file = join(dir, 'gateways.yaml');
  writeFileSync(file, [`bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }`, 'simulate: false', 'gateways:', ...keys.map((k) => `  - { id: ${k.id}, name: ${k.id}, publicKey: '${k.publicKey}' }`), ''].join('\n'));
  return file;
}

/** Per-second bytes, summarized. */
const spread = (values: readonly number[]) => (values.length === 0 ? null : { min: Math.round(minOf(values)), median: Math.round(percentile(values, 50)), max: Math.round(maxOf(values)) });

export async function run(args: string[]): Promise<object> {
  const seconds = Number(args[0] ?? 30);
  const rate = Number(args[1] ?? 10_000);
  if (!(seconds > 0 && rate > 0)) throw new Error('usage: fanout [seconds > 0] [rate > 0]');
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-fanout-'));
  const keys = Array.from({ length: GATEWAYS }, (_, i) => ({ id: `gw-fanout-${i}`, ...zmq.curveKeyPair() }));
  const wallFile = wallFileIn(dataDir);
  // no scenarios: one triggered by the bench's readings would put its own layout on the wall
  const scenariosDir = join(dataDir, 'no-scenarios');
  mkdirSync(scenariosDir);
  const host = await spawnHost({ dataDir, windows: 'none', wallFile, scenariosDir, gatewaysFile: gatewaysFileIn(dataDir, keys) });
  const pid = host.proc.pid!;
  const gateways = keys.map((k) => new SimGateway({ id: k.id, name: k.id, endpoints: host.runtime.gateways, hostPublicKey: host.runtime.gateways.hostPublicKey, keyPair: k, publishHighWaterMark: 1_000_000 }));
  const closers: (() => void)[] = [];
  try {
    for (const [g, gateway] of gateways.entries()) {
      await gateway.start();
      for (let i = g; i < SENSORS; i += GATEWAYS) {
        gateway.set({ type: 'sensor', id: `s-${i}`, kind: sensorKind(i), name: `Trạm ${i}`, commune: sensorCommune(i), location: { lat: 10.8 + (i % 100) / 500, lon: 106.7 + Math.floor(i / 100) / 500 }, unit: 'u' });
      }
    }
    const { tiles, windows } = fanoutLayout();
    const console_ = await connectConsole(host.runtime, dataDir, 'operator', wallFile);
    closers.push(() => console_.transport.close());
    await console_.client.call('wall.execute', { command: { type: 'apply-layout', tiles, preset: null, label: 'fanout bench' } });
    await waitFor(`${GATEWAYS} gateway links live and ${SENSORS} sensors known`, 30_000, async () => {
      const snapshot = await fetchLiveSnapshot(console_.client);
      return snapshot.links.filter((l) => l.state === 'live').length === GATEWAYS && snapshot.sensors.length === SENSORS;
    });

    let measuring = false;
    const received: Received[] = [];
    /** The console's batches (it sees the province): every reading, by seq. */
    const published = new Map<number, LiveBatch['readings']>();
    const listen = (label: string, shows: Shows, connection: Pick<Awaited<ReturnType<typeof connectNodeClient>>, 'client' | 'socket'>) => {
      const record: Received = { label, shows, arrivals: new Map(), bytes: 0, shown: new Map(), outside: 0 };
      received.push(record);
      connection.socket.on('message', (data: Buffer) => measuring && (record.bytes += data.length));
      connection.client.on('live.batch', (batch: LiveBatch) => {
        if (!measuring) return;
        record.arrivals.set(batch.seq, Date.now());
        let shown = 0;
        for (const id of batch.readings.id) {
          if (showsSensor(shows, sensorIndex(id))) shown++;
          else record.outside++;
        }
        record.shown.set(batch.seq, shown);
        if (label === 'console') published.set(batch.seq, batch.readings);
      });
    };
    listen('console', { kind: 'all' }, console_);
    for (const planned of windows) {
      const display = await connectDisplay(host.runtime, dataDir, planned.windowId, wallFile);
      closers.push(() => display.transport.close());
      // as a window does after hello; its picture is then kept by the batches
      await fetchLiveSnapshot(display.client);
      listen(planned.windowId, planned.shows, display);
    }

    // readings: sensor n once every SENSORS / rate seconds, published in 10 ms slices to hold the rate
    const started = Date.now();
    const end = started + WARMUP_MS + seconds * 1000;
    let sent = 0;
    let cpuFrom = 0;
    let measuredFrom = 0;
    let sentFrom = 0;
    while (Date.now() < end) {
      const now = Date.now();
      if (!measuring && now >= started + WARMUP_MS) {
        measuring = true;
        cpuFrom = cpuSeconds(pid);
        measuredFrom = now;
        sentFrom = sent;
      }
      const due = Math.floor(((now - started) / 1000) * rate);
      for (; sent < due; sent++) {
        const i = sent % SENSORS;
        gateways[i % GATEWAYS]!.set({ type: 'reading', id: `s-${i}`, at: now, value: Math.sin(sent / 1000) * 10 + 20 });
      }
      await sleep(10);
    }
    const measuredMs = Date.now() - measuredFrom;
    const cpu = cpuSeconds(pid) - cpuFrom;
    const sentMeasured = sent - sentFrom;
    await sleep(1_000); // the last batches on their way
    measuring = false;

    // to the last client: for every batch all 33 got, each reading's publish time to the last arrival
    const latencies: number[] = [];
    let batchesMissed = 0;
    let readingsMissed = 0;
    for (const [seq, { at: ats }] of published) {
      const arrivals = received.map((r) => r.arrivals.get(seq));
      if (arrivals.some((a) => a === undefined)) {
        batchesMissed++;
        continue;
      }
      const last = maxOf(arrivals as number[]);
      for (const at of ats) latencies.push(last - at);
    }
    for (const r of received) {
      if (r.label === 'console') continue;
      for (const [seq, { id }] of published) {
        const got = r.shown.get(seq);
        if (got === undefined) continue;
        let expected = 0;
        for (const sensor of id) if (showsSensor(r.shows, sensorIndex(sensor))) expected++;
        readingsMissed += Math.max(0, expected - got);
      }
    }
    const perSecond = (r: Received) => (r.bytes * 1000) / measuredMs;
    const wall = received.filter((r) => r.label !== 'console');
    const ofShows = (kind: Shows['kind'], commune?: boolean) => spread(wall.filter((r) => r.shows.kind === kind && (commune === undefined || (r.shows.kind === 'sensors' && (r.shows.commune !== null) === commune))).map(perSecond));
    const p99 = percentile(latencies, 99);
    const hostCpuPct = (cpu * 100 * 1000) / measuredMs;
    const outside = wall.reduce((sum, r) => sum + r.outside, 0);
    const measured = latencies.length > 0 && batchesMissed === 0;
    return {
      bench: 'fanout',
      windows: wall.length,
      clients: received.length,
      seconds,
      rate_per_s: rate,
      published_per_s: Math.round((sentMeasured * 1000) / measuredMs),
      sensors: SENSORS,
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(p99),
      max_ms: round(maxOf(latencies)),
      latency_samples: latencies.length,
      host_cpu_pct: round(hostCpuPct),
      // bytes a second each window received (every message: live.batch and the few others)
      bytes_per_window_s: spread(wall.map(perSecond)),
      bytes_per_window_s_by_tiles: {
        map: ofShows('all'),
        one_kind: ofShows('sensors', false),
        one_kind_one_commune: ofShows('sensors', true),
        nothing_live: ofShows('none'),
      },
      console_bytes_s: Math.round(perSecond(received[0]!)),
      // readings a window got that its tiles do not show, readings of its tiles it did not get (both must be 0), batches some client never got
      readings_outside_tiles: outside,
      readings_missed: readingsMissed,
      batches_missed: batchesMissed,
      goals: { p99_ms: GOAL_P99_MS, host_cpu_pct: GOAL_CPU_PCT },
      goals_met: measured && outside === 0 && readingsMissed === 0 && p99 <= GOAL_P99_MS && hostCpuPct <= GOAL_CPU_PCT,
      cores: cpus().length,
      loadavg: loadavg().map((x) => round(x, 2)),
    };
  } finally {
    closers.forEach((close) => close());
    await Promise.all(gateways.map((g) => g.stop()));
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
