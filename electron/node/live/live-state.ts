/**
 * The live field picture the windows see: sensor registry, latest reading per sensor and gateway
 * link health. Changes are coalesced (latest value per sensor wins) and flushed to windows as
 * columnar batches at most every `flushMs`, each with a sequence number so a window that missed
 * one resyncs with a snapshot.
 */
import {
  extendTrail,
  LIVE_MOVES_PER_BATCH,
  LIVE_REPORTS_MAX,
  TRAIL_POINTS,
  type GatewayLink,
  type LiveBatch,
  type LiveCamera,
  type LiveEvent,
  type LiveObject,
  type LiveObjectMove,
  type LiveReport,
  type LiveSensor,
  type LiveSnapshot,
  type ReadingColumns,
} from '../../../native-bridge/contract.js';
import type { ItemChange } from '../gateway/gateway-hub.js';

const emptyColumns = (): ReadingColumns => ({ id: [], value: [], at: [] });


export class LiveState {
  private readonly sensors = new Map<string, LiveSensor>();
  private readonly cameras = new Map<string, LiveCamera>();
  private readonly latest = new Map<string, { value: number; at: number }>();
  private readonly links = new Map<string, GatewayLink>();
  private readonly events = new Map<string, LiveEvent>();
  private readonly objects = new Map<string, LiveObject>();
  private readonly reports = new Map<string, LiveReport>();
  private seq = 0;
  private pendingReadings = new Map<string, { value: number; at: number }>();
  private sensorsChanged = false;
  private camerasChanged = false;
  private linksChanged = false;
  private eventsChanged = false;
  private reportsChanged = false;
  /** Objects moved since the last batch, with how many positions each took meanwhile. */
  private movedObjects = new Map<string, number>();
  private removedObjects = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(batch: LiveBatch) => void>();

  constructor(private readonly flushMs = 100) {}

  onBatch(listener: (batch: LiveBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a gateway's changes; with replacedAll the gateway's previous items are dropped first. */
  apply(gatewayId: string, changes: readonly ItemChange[], replacedAll = false): void {
    if (replacedAll) {
      for (const [id, sensor] of this.sensors) {
        if (sensor.gateway === gatewayId) {
          this.sensors.delete(id);
          this.latest.delete(id);
          this.sensorsChanged = true;
        }
      }
      for (const [id, camera] of this.cameras) {
        if (camera.gateway === gatewayId) {
          this.cameras.delete(id);
          this.camerasChanged = true;
        }
      }
      this.eventsChanged = dropGateway(this.events, gatewayId) || this.eventsChanged;
      this.reportsChanged = dropGateway(this.reports, gatewayId) || this.reportsChanged;
      for (const [id, object] of this.objects) if (object.gateway === gatewayId) this.removeObject(id);
    }
    for (const { op, item } of changes) {
      if (item.type === 'sensor') {
        if (op === 'delete') {
          this.sensors.delete(item.id);
          this.latest.delete(item.id);
        } else {
          const { type: _type, ...rest } = item;
          this.sensors.set(item.id, { ...rest, gateway: gatewayId });
        }
        this.sensorsChanged = true;
      } else if (item.type === 'camera') {
        if (op === 'delete') this.cameras.delete(item.id);
        else {
          const { type: _type, ...rest } = item;
          this.cameras.set(item.id, { ...rest, gateway: gatewayId });
        }
        this.camerasChanged = true;
      } else if (item.type === 'event') {
        if (op === 'delete') this.events.delete(item.id);
        else {
          const { type: _type, ...rest } = item;
          this.events.set(item.id, { ...rest, gateway: gatewayId });
        }
        this.eventsChanged = true;
      } else if (item.type === 'report') {
        if (op === 'delete') this.reports.delete(item.id);
        else {
          // the reporter is personal data: it stays in the cache and never reaches a window
          const { type: _type, reporter: _reporter, ...rest } = item;
          this.reports.set(item.id, { ...rest, gateway: gatewayId });
          if (this.reports.size > LIVE_REPORTS_MAX) this.dropOldestReport();
        }
        this.reportsChanged = true;
      } else if (item.type === 'object') {
        if (op === 'delete') this.removeObject(item.id);
        else this.moveObject(gatewayId, item);
      } else if (item.type === 'reading' && op === 'set') {
        const previous = this.latest.get(item.id);
        if (previous && previous.at > item.at) continue; // out-of-order reading: keep the newer one
        const value = { value: item.value, at: item.at };
        this.latest.set(item.id, value);
        this.pendingReadings.set(item.id, value);
      }
    }
    this.schedule();
  }

  setLink(link: GatewayLink): void {
    this.links.set(link.gateway, link);
    this.linksChanged = true;
    this.schedule();
  }

  linkList(): GatewayLink[] {
    return [...this.links.values()];
  }

  snapshot(): LiveSnapshot {
    const readings = emptyColumns();
    for (const [id, { value, at }] of this.latest) {
      readings.id.push(id);
      readings.value.push(value);
      readings.at.push(at);
    }
    return {
      seq: this.seq,
      sensors: [...this.sensors.values()],
      cameras: this.cameraList(),
      readings,
      links: this.linkList(),
      events: [...this.events.values()],
      objects: [...this.objects.values()],
      reports: [...this.reports.values()],
    };
  }

  eventList(): LiveEvent[] {
    return [...this.events.values()];
  }

  cameraList(): LiveCamera[] {
    return [...this.cameras.values()];
  }

  /** For the host's own rules (indicators, every few seconds): the parts they read, without building a whole snapshot. */
  sensorList(): LiveSensor[] {
    return [...this.sensors.values()];
  }

  latestReading(sensorId: string): { value: number; at: number } | undefined {
    return this.latest.get(sensorId);
  }

  objectList(): LiveObject[] {
    return [...this.objects.values()];
  }

  /** Sends what is pending now (the timer calls this; tests and shutdown may too). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const objectsChanged = this.movedObjects.size > 0 || this.removedObjects.size > 0;
    if (this.pendingReadings.size === 0 && !this.sensorsChanged && !this.camerasChanged && !this.linksChanged && !this.eventsChanged && !this.reportsChanged && !objectsChanged) return;
    const readings = emptyColumns();
    for (const [id, { value, at }] of this.pendingReadings) {
      readings.id.push(id);
      readings.value.push(value);
      readings.at.push(at);
    }
    const batch: LiveBatch = { seq: this.seq + 1, baseSeq: this.seq, readings };
    if (this.sensorsChanged) batch.sensors = [...this.sensors.values()];
    if (this.camerasChanged) batch.cameras = this.cameraList();
    if (this.linksChanged) batch.links = this.linkList();
    if (this.eventsChanged) batch.events = this.eventList();
    if (this.reportsChanged) batch.reports = [...this.reports.values()];
    const moved: LiveObjectMove[] = [];
    for (const [id, steps] of this.movedObjects) {
      const object = this.objects.get(id);
      if (!object) continue;
      const { trail, ...rest } = object;
      moved.push({ ...rest, steps: trail.slice(-steps) });
    }
    if (moved.length > 0) batch.objects = moved.slice(0, LIVE_MOVES_PER_BATCH);
    if (this.removedObjects.size > 0) batch.objectsRemoved = [...this.removedObjects];
    this.seq = batch.seq;
    this.eventsChanged = false;
    this.reportsChanged = false;
    this.movedObjects = new Map();
    this.removedObjects = new Set();
    this.pendingReadings = new Map();
    this.sensorsChanged = false;
    this.camerasChanged = false;
    this.linksChanged = false;
    this.listeners.forEach((l) => l(batch));
    // the other moved objects follow in batches of their own, so that each batch fits one frame
    for (let i = LIVE_MOVES_PER_BATCH; i < moved.length; i += LIVE_MOVES_PER_BATCH) {
      const rest: LiveBatch = { seq: this.seq + 1, baseSeq: this.seq, readings: emptyColumns(), objects: moved.slice(i, i + LIVE_MOVES_PER_BATCH) };
      this.seq = rest.seq;
      this.listeners.forEach((l) => l(rest));
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private moveObject(gatewayId: string, item: Omit<LiveObject, 'gateway' | 'trail'> & { type: 'object' }): void {
    const { type: _type, ...rest } = item;
    const previous = this.objects.get(item.id);
    if (previous && previous.at > item.at) return; // out of order: keep the newer position
    const trail = extendTrail(previous?.trail ?? [], [[item.location.lon, item.location.lat, item.at]]);
    this.objects.set(item.id, { ...rest, gateway: gatewayId, trail });
    this.movedObjects.set(item.id, Math.min(TRAIL_POINTS, (this.movedObjects.get(item.id) ?? 0) + 1));
    this.removedObjects.delete(item.id);
  }

  private removeObject(id: string): void {
    if (!this.objects.delete(id)) return;
    this.movedObjects.delete(id);
    this.removedObjects.add(id);
  }

  private dropOldestReport(): void {
    let oldest: LiveReport | undefined;
    for (const report of this.reports.values()) if (!oldest || report.at < oldest.at) oldest = report;
    if (oldest) this.reports.delete(oldest.id);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref?.();
  }
}

/** Removes a gateway's entries from a map; true when any was removed. */
function dropGateway(map: Map<string, { gateway: string }>, gatewayId: string): boolean {
  let dropped = false;
  for (const [id, entry] of map) {
    if (entry.gateway === gatewayId) {
      map.delete(id);
      dropped = true;
    }
  }
  return dropped;
}
