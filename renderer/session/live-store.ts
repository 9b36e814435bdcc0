/**
 * Live field data of this window (sensor registry, latest reading per sensor, a short history for
 * sparklines, gateway link health), kept apart from the wall store because it changes up to ~10
 * times a second with thousands of readings.
 *
 * Two layers, so one batch re-renders only what it touched:
 *  - a zustand (vanilla) store with the coarse picture: seq, registry, links and a counter bumped
 *    per applied batch — tiles select what they show from it and keep their result identical
 *    when nothing they show changed;
 *  - per-sensor series (latest value/at plus a ring of recent values in typed arrays), mutated in
 *    place, each with a version number and its own listeners — one row subscribes to one sensor.
 *
 * Sync (LiveFeed): after every hello, `live.snapshot` replaces the picture; each `live.batch`
 * with baseSeq = local seq is applied, one at or below the local seq is ignored, anything else
 * is a gap and refetches the snapshot. Batches arriving while a snapshot is in flight are queued
 * and replayed on top of it.
 *
 * No React and no DOM here (React hooks live in live-hooks.ts), so plain Node tests can load it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  ContractError,
  extendTrail,
  type GatewayLink,
  type LiveBatch,
  type LiveCamera,
  type LiveEvent,
  type LiveObject,
  type LiveReport,
  type LiveSensor,
  type LiveSnapshot,
  type ReadingColumns,
} from '../../native-bridge/contract.js';
import { readingState, type ReadingState } from '../../native-bridge/reading-state.js';

/** Points kept per sensor for its sparkline. */
export const RING_SIZE = 60;
/** A reading older than this is shown as stale ("CŨ"). */
export const STALE_AFTER_MS = 60_000;

export { readingState, type ReadingState };
export type GatewayLinkState = GatewayLink['state'];

/** One sensor's latest reading and recent history. Mutated in place; `version` changes on every update. */
export class SensorSeries {
  value = Number.NaN;
  at = 0;
  version: number;
  private readonly values = new Float64Array(RING_SIZE);
  private head = 0; // next write position
  private count = 0;

  constructor(version: number) {
    this.version = version;
  }

  /** Adds a reading; false when it is older than (or a repeat of) the latest one. */
  push(value: number, at: number, version: number): boolean {
    if (this.count > 0) {
      if (at < this.at) return false;
      if (at === this.at) {
        if (value === this.value || Object.is(value, this.value)) return false;
        // same instant, corrected value: overwrite the newest point
        this.values[(this.head + RING_SIZE - 1) % RING_SIZE] = value;
        this.value = value;
        this.version = version;
        return true;
      }
    }
    this.values[this.head] = value;
    this.head = (this.head + 1) % RING_SIZE;
    if (this.count < RING_SIZE) this.count++;
    this.value = value;
    this.at = at;
    this.version = version;
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** Recent values, oldest first. */
  recent(): number[] {
    const out = new Array<number>(this.count);
    const start = (this.head + RING_SIZE - this.count) % RING_SIZE;
    for (let i = 0; i < this.count; i++) out[i] = this.values[(start + i) % RING_SIZE] ?? Number.NaN;
    return out;
  }
}

export interface LiveState {
  /** Seq of the picture held; 0 before the first snapshot. */
  seq: number;
  /** A snapshot has been applied since this window started. */
  loaded: boolean;
  /** Snapshots applied since this window started (each hello brings one): a paint report follows each. */
  snapshots: number;
  /** The sensor registry by id; a new Map whenever the registry changes. */
  sensors: ReadonlyMap<string, LiveSensor>;
  /** Gateway links in host order; a new array whenever they change. */
  links: readonly GatewayLink[];
  linkByGateway: ReadonlyMap<string, GatewayLink>;
  /** Bumped whenever readings changed (any sensor). */
  readingsVersion: number;
  /** The camera registry by id; a new Map whenever it changes. */
  cameras: ReadonlyMap<string, LiveCamera>;
  /** The cameras in host order; a new array whenever they change. */
  cameraList: readonly LiveCamera[];
  /** Gateway events (incidents), a new array whenever one changes. */
  events: readonly LiveEvent[];
  /** Citizen reports (anonymized), a new array whenever one changes. */
  reports: readonly LiveReport[];
  /**
   * Moving objects by id. Mutated in place (batches carry only the objects that moved); read it
   * with `objectsVersion`, bumped on every change.
   */
  objects: ReadonlyMap<string, LiveObject>;
  objectsVersion: number;
}

export type BatchResult = 'applied' | 'stale' | 'gap';

const initialState = (): LiveState => ({
  seq: 0,
  loaded: false,
  snapshots: 0,
  sensors: new Map(),
  links: [],
  linkByGateway: new Map(),
  readingsVersion: 0,
  cameras: new Map(),
  cameraList: [],
  events: [],
  reports: [],
  objects: new Map(),
  objectsVersion: 0,
});

export class LiveData {
  readonly store: StoreApi<LiveState> = createStore<LiveState>()(initialState);
  private readonly series = new Map<string, SensorSeries>();
  private readonly sensorListeners = new Map<string, Set<() => void>>();
  private versionCounter = 0;

  getState(): LiveState {
    return this.store.getState();
  }

  /** The series of a sensor, or undefined when it has no reading yet. */
  seriesOf(id: string): SensorSeries | undefined {
    return this.series.get(id);
  }

  /** Sensors holding a reading. */
  readingCount(): number {
    let n = 0;
    for (const series of this.series.values()) if (series.size > 0) n++;
    return n;
  }

  /** Version of a sensor's series (-1 without one): a cheap useSyncExternalStore snapshot. */
  seriesVersion(id: string): number {
    return this.series.get(id)?.version ?? -1;
  }

  /** Calls `listener` whenever that one sensor's reading changes. */
  subscribeSensor(id: string, listener: () => void): () => void {
    let set = this.sensorListeners.get(id);
    if (!set) this.sensorListeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.sensorListeners.get(id);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.sensorListeners.delete(id);
    };
  }

  /** Replaces the whole picture. Sparkline history survives for sensors whose reading continues it. */
  applySnapshot(snapshot: LiveSnapshot): void {
    const version = ++this.versionCounter;
    const keep = new Set<string>();
    const { id, value, at } = snapshot.readings;
    for (let i = 0; i < id.length; i++) {
      const sensorId = id[i] as string;
      const v = value[i] as number;
      const t = at[i] as number;
      keep.add(sensorId);
      let series = this.series.get(sensorId);
      if (series && t < series.at) series = undefined; // the host went back in time (restart): start over
      if (!series) {
        series = new SensorSeries(version);
        this.series.set(sensorId, series);
      }
      series.push(v, t, version);
    }
    for (const sensorId of [...this.series.keys()]) if (!keep.has(sensorId)) this.series.delete(sensorId);
    this.store.setState({
      seq: snapshot.seq,
      loaded: true,
      snapshots: this.getState().snapshots + 1,
      sensors: registryOf(snapshot.sensors),
      links: snapshot.links,
      linkByGateway: linksByGateway(snapshot.links),
      readingsVersion: this.getState().readingsVersion + 1,
      // older hosts send no cameras: an empty registry
      cameras: camerasById(snapshot.cameras ?? []),
      cameraList: snapshot.cameras ?? [],
      events: snapshot.events,
      reports: snapshot.reports,
      objects: new Map(snapshot.objects.map((o) => [o.id, o])),
      objectsVersion: this.getState().objectsVersion + 1,
    });
    // every subscribed sensor may have changed (or disappeared)
    const listeners: (() => void)[] = [];
    for (const set of this.sensorListeners.values()) for (const l of set) listeners.push(l);
    listeners.forEach((l) => l());
  }

  /**
   * Applies one live batch when it follows the local seq. 'stale' (at or below the local seq) and
   * 'gap' (does not follow, or no snapshot yet) leave the picture untouched.
   */
  applyBatch(batch: LiveBatch): BatchResult {
    const state = this.getState();
    if (!state.loaded) return 'gap';
    if (batch.seq <= state.seq) return 'stale';
    if (batch.baseSeq !== state.seq) return 'gap';

    const touched = this.applyReadings(batch.readings);
    const next: Partial<LiveState> = { seq: batch.seq };
    if (touched.length > 0) next.readingsVersion = state.readingsVersion + 1;
    // The host sends the sensors that changed (removals first); the full link list whenever one changed.
    if (batch.sensors || batch.sensorsRemoved) {
      const registry = new Map(state.sensors);
      for (const sensorId of batch.sensorsRemoved ?? []) {
        registry.delete(sensorId);
        // a sensor gone from the registry takes its history with it
        this.series.delete(sensorId);
      }
      for (const sensor of batch.sensors ?? []) registry.set(sensor.id, sensor);
      next.sensors = registry;
    }
    // ...and the full camera list whenever a camera was added, changed or removed
    if (batch.cameras) {
      next.cameras = camerasById(batch.cameras);
      next.cameraList = batch.cameras;
    }
    if (batch.links) {
      next.links = batch.links;
      next.linkByGateway = linksByGateway(batch.links);
    }
    if (batch.events) next.events = batch.events;
    if (batch.reports) next.reports = batch.reports;
    if (batch.objects || batch.objectsRemoved) {
      const objects = state.objects as Map<string, LiveObject>;
      for (const { steps, ...o } of batch.objects ?? []) objects.set(o.id, { ...o, trail: extendTrail(objects.get(o.id)?.trail ?? [], steps) });
      for (const id of batch.objectsRemoved ?? []) objects.delete(id);
      next.objectsVersion = state.objectsVersion + 1;
    }
    this.store.setState(next);

    if (touched.length > 0 && this.sensorListeners.size > 0) {
      const listeners = new Set<() => void>();
      for (const sensorId of touched) {
        const set = this.sensorListeners.get(sensorId);
        if (set) for (const l of set) listeners.add(l);
      }
      listeners.forEach((l) => l());
    }
    return 'applied';
  }

  /** A camera of the registry, or undefined. */
  camera(id: string): LiveCamera | undefined {
    return this.getState().cameras.get(id);
  }

  /** Back to the empty picture (tests). */
  reset(): void {
    this.series.clear();
    this.store.setState(initialState(), true);
  }

  private applyReadings(readings: ReadingColumns): string[] {
    const version = ++this.versionCounter;
    const touched: string[] = [];
    const { id, value, at } = readings;
    for (let i = 0; i < id.length; i++) {
      const sensorId = id[i] as string;
      let series = this.series.get(sensorId);
      if (!series) {
        series = new SensorSeries(version);
        this.series.set(sensorId, series);
      }
      if (series.push(value[i] as number, at[i] as number, version)) touched.push(sensorId);
    }
    return touched;
  }
}

function registryOf(sensors: readonly LiveSensor[]): Map<string, LiveSensor> {
  const map = new Map<string, LiveSensor>();
  for (const s of sensors) map.set(s.id, s);
  return map;
}

function camerasById(cameras: readonly LiveCamera[]): Map<string, LiveCamera> {
  const map = new Map<string, LiveCamera>();
  for (const c of cameras) map.set(c.id, c);
  return map;
}

function linksByGateway(links: readonly GatewayLink[]): Map<string, GatewayLink> {
  const map = new Map<string, GatewayLink>();
  for (const l of links) map.set(l.gateway, l);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Reading state and staleness (shared by tiles and tests)

export const stateRank: Record<ReadingState, number> = { critical: 2, warning: 1, normal: 0 };

/** Whether a reading should be flagged as old: too old, or its gateway is not live-ish. */
export function isStale(at: number | null, now: number, linkState: GatewayLinkState | null, hostLinkDown = false): boolean {
  if (at === null) return true;
  if (hostLinkDown) return true;
  if (linkState === 'stale' || linkState === 'offline') return true;
  return now - at > STALE_AFTER_MS;
}

// ---------------------------------------------------------------------------------------------
// Keeping the picture in sync with the host

export interface LiveSource {
  snapshot(): Promise<LiveSnapshot>;
}

/** The calls a paged snapshot needs (a ContractClient fits). */
export interface LiveSnapshotCalls {
  call(method: 'live.snapshot', request: Record<string, never>): Promise<LiveSnapshot>;
  call(method: 'live.sensors', request: { cursor: string; offset: number }): Promise<{ sensors: LiveSensor[]; readings: ReadingColumns }>;
  call(method: 'live.objects', request: { cursor: string; offset: number }): Promise<{ objects: LiveObject[] }>;
}

/** Fetches pages from `offset` until `total` items are held (or a page comes back empty). */
async function fetchPages<T>(items: T[], total: number, page: (offset: number) => Promise<readonly T[]>): Promise<T[]> {
  while (items.length < total) {
    const next = await page(items.length);
    if (next.length === 0) break;
    for (const item of next) items.push(item);
  }
  return items;
}

/** A whole snapshot: its first frame, then the rest of its sensors (with their readings) and objects page by page (all as of its seq). */
export async function fetchLiveSnapshot(client: LiveSnapshotCalls): Promise<LiveSnapshot> {
  const { objectPages, sensorPages, ...snapshot } = await client.call('live.snapshot', {});
  const readings: ReadingColumns = { id: [...snapshot.readings.id], value: [...snapshot.readings.value], at: [...snapshot.readings.at] };
  const sensors = !sensorPages
    ? snapshot.sensors
    : await fetchPages([...snapshot.sensors], sensorPages.total, async (offset) => {
        const page = await client.call('live.sensors', { cursor: sensorPages.cursor, offset });
        for (let i = 0; i < page.readings.id.length; i++) {
          readings.id.push(page.readings.id[i]!);
          readings.value.push(page.readings.value[i]!);
          readings.at.push(page.readings.at[i]!);
        }
        return page.sensors;
      });
  const objects = !objectPages
    ? snapshot.objects
    : await fetchPages([...snapshot.objects], objectPages.total, async (offset) => (await client.call('live.objects', { cursor: objectPages.cursor, offset })).objects);
  return { ...snapshot, sensors, readings, objects };
}

export class LiveFeed {
  private syncing = false;
  private again = false;
  private queued: LiveBatch[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly data: LiveData,
    private readonly source: LiveSource,
    private readonly retryMs = 3000,
  ) {}

  get isSyncing(): boolean {
    return this.syncing;
  }

  /** A live.batch event from the host. */
  onBatch(batch: LiveBatch): void {
    if (this.syncing) {
      this.queued.push(batch);
      return;
    }
    // while a failed snapshot waits for its retry, batches cannot be placed: drop them
    if (this.retryTimer) return;
    if (this.data.applyBatch(batch) === 'gap') void this.resync();
  }

  /** Fetches a snapshot and replays batches that came meanwhile; concurrent calls fold into one more round. */
  async resync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    try {
      do {
        this.again = false;
        const snapshot = await this.source.snapshot();
        this.data.applySnapshot(snapshot);
        const queued = this.queued;
        this.queued = [];
        for (const batch of queued) {
          if (this.data.applyBatch(batch) === 'gap') {
            this.again = true;
            break;
          }
        }
      } while (this.again);
    } catch (error) {
      this.queued = [];
      // a resync asked for while this round was failing (a newer link-up) still gets its round
      const requested = this.again;
      this.again = false;
      if (requested) {
        queueMicrotask(() => void this.resync());
        return;
      }
      // on a disconnect the next link-up (hello) resyncs; anything else retries
      if (!(error instanceof ContractError && error.code === 'disconnected')) {
        console.warn('ioc-wall: live.snapshot failed', error);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          void this.resync();
        }, this.retryMs);
      }
    } finally {
      this.syncing = false;
    }
  }

  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** This window's live data (one per renderer). */
export const liveData = new LiveData();
