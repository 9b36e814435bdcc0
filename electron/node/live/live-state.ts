/**
 * The host's one latest-state store of the field: sensor registry, latest reading per sensor,
 * cameras, incidents, moving objects, citizen reports and gateway link health. Two outputs:
 *  - to the host's rules, every change item by item, synchronously (onChanges: FieldChange);
 *  - to windows, changes coalesced (latest value per sensor wins) and flushed as columnar batches
 *    at most every `flushMs`, each with a sequence number so a window that missed one resyncs
 *    with a snapshot (onBatch: the window fan-out only).
 */
import {
  extendTrail,
  LIVE_MOVES_PER_BATCH,
  LIVE_REPORTS_MAX,
  LIVE_SENSOR_REMOVALS_PER_BATCH,
  LIVE_SENSORS_PER_FRAME,
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
import type { FieldChange, FieldChangeListener } from '../../../native-bridge/field-changes.js';
import type { ItemChange } from '../gateway/gateway-hub.js';
import { eventCommune, seesEvent, seesItem, type LiveFilter } from './live-view.js';

const emptyColumns = (): ReadingColumns => ({ id: [], value: [], at: [] });

/** A gateway resending a sensor as it was (a snapshot after a reconnect) changes nothing windows hold. */
const sameSensor = (a: LiveSensor, b: LiveSensor) => JSON.stringify(a) === JSON.stringify(b);

/** Cuts `items` into parts of `size`, one part per element of the result. */
const partsOf = <T>(items: readonly T[], size: number): T[][] => {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
};

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
  /** Sensors added or changed since the last batch. */
  private changedSensors = new Set<string>();
  /** Sensors removed since the last batch (or moved to another commune), as windows last had them. */
  private removedSensors = new Map<string, LiveSensor>();
  /** The previous batch's removals, for cutting it by commune after the sensors are gone. */
  private lastRemovedSensors: ReadonlyMap<string, LiveSensor> = new Map();
  private camerasChanged = false;
  private linksChanged = false;
  private eventsChanged = false;
  private reportsChanged = false;
  /** Objects moved since the last batch, with how many positions each took meanwhile. */
  private movedObjects = new Map<string, number>();
  private removedObjects = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(batch: LiveBatch) => void>();
  private readonly changeListeners = new Set<FieldChangeListener>();
  /** Changes of the apply() in progress, told to the rules when it ends. */
  private changes: FieldChange[] = [];

  constructor(private readonly flushMs = 100) {}

  /** Every change, as it is applied; listeners read anything else they need from this store. */
  onChanges(listener: FieldChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onBatch(listener: (batch: LiveBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a gateway's changes; with replacedAll the gateway's previous items are dropped first. */
  apply(gatewayId: string, changes: readonly ItemChange[], replacedAll = false): void {
    // the gateway's sensors that its snapshot does not name again are removed after it
    const notResent = replacedAll ? this.dropGateway(gatewayId) : null;
    for (const { op, item } of changes) {
      if (item.type === 'sensor') {
        if (op === 'delete') this.removeSensor(item.id);
        else {
          const { type: _type, ...rest } = item;
          notResent?.delete(item.id);
          this.setSensor({ ...rest, gateway: gatewayId });
        }
      } else if (item.type === 'camera') {
        if (op === 'delete') this.removeCamera(item.id);
        else {
          const { type: _type, ...rest } = item;
          const camera = { ...rest, gateway: gatewayId };
          this.cameras.set(item.id, camera);
          this.camerasChanged = true;
          this.changes.push({ kind: 'camera', camera });
        }
      } else if (item.type === 'event') {
        if (op === 'delete') this.removeEvent(item.id);
        else {
          const { type: _type, ...rest } = item;
          const event = { ...rest, gateway: gatewayId };
          this.events.set(item.id, event);
          this.eventsChanged = true;
          this.changes.push({ kind: 'event', event });
        }
      } else if (item.type === 'report') {
        if (op === 'delete') this.removeReport(item.id);
        else {
          // the reporter is personal data: it stays in the cache and never reaches a window
          const { type: _type, reporter: _reporter, ...rest } = item;
          const report = { ...rest, gateway: gatewayId };
          this.reports.set(item.id, report);
          this.reportsChanged = true;
          this.changes.push({ kind: 'report', report });
          if (this.reports.size > LIVE_REPORTS_MAX) this.dropOldestReport();
        }
      } else if (item.type === 'object') {
        if (op === 'delete') this.removeObject(item.id);
        else this.moveObject(gatewayId, item);
      } else if (item.type === 'reading' && op === 'set') {
        const previous = this.latest.get(item.id);
        if (previous && previous.at > item.at) continue; // out-of-order reading: keep the newer one
        const value = { value: item.value, at: item.at };
        this.latest.set(item.id, value);
        this.pendingReadings.set(item.id, value);
        this.changes.push({ kind: 'reading', id: item.id, value: item.value, at: item.at, previous: previous?.value });
      }
    }
    for (const id of notResent ?? []) this.removeSensor(id);
    this.tellRules();
    this.schedule();
  }

  setLink(link: GatewayLink): void {
    this.links.set(link.gateway, link);
    this.linksChanged = true;
    this.schedule();
  }

  /** A gateway taken off the allow-list: its link is no longer shown. */
  removeLink(gateway: string): void {
    if (!this.links.delete(gateway)) return;
    this.linksChanged = true;
    this.schedule();
  }

  linkList(): GatewayLink[] {
    return [...this.links.values()];
  }

  /** A sensor the last batch removed (windows cut that batch by the commune the sensor was in). */
  removedSensor(id: string): LiveSensor | undefined {
    return this.lastRemovedSensors.get(id);
  }

  /** The whole picture, or (with a commune filter) what a commune-scoped reader sees of it, built in one pass without the rest. */
  snapshot(filter: LiveFilter = null): LiveSnapshot {
    const sensorOf = (id: string) => this.sensors.get(id);
    const seen = <T extends { commune: string }>(items: Map<string, T>): T[] => (filter === null ? [...items.values()] : [...items.values()].filter((item) => seesItem(filter, item)));
    const sensors = seen(this.sensors);
    const readings = emptyColumns();
    // the province's readings are every latest one; a commune's, those of its own sensors (no lookup per reading)
    const latest = filter === null ? this.latest.entries() : sensors.flatMap((s): [string, { value: number; at: number }][] => {
      const reading = this.latest.get(s.id);
      return reading ? [[s.id, reading]] : [];
    });
    for (const [id, { value, at }] of latest) {
      readings.id.push(id);
      readings.value.push(value);
      readings.at.push(at);
    }
    return {
      seq: this.seq,
      sensors,
      cameras: seen(this.cameras),
      readings,
      links: this.linkList(),
      events: [...this.events.values()].filter((e) => seesEvent(filter, e, sensorOf)),
      objects: filter === null ? [...this.objects.values()] : [],
      reports: seen(this.reports),
    };
  }

  /** A device's commune (a sensor or camera the host knows); null otherwise. */
  deviceCommune(id: string): string | null {
    return this.sensors.get(id)?.commune ?? this.cameras.get(id)?.commune ?? null;
  }

  /** An incident's commune: declared by its gateway, else its station's (null: province-wide). */
  eventCommune(event: Pick<LiveEvent, 'sensor' | 'commune'>): string | null {
    return eventCommune(event, (id) => this.sensors.get(id));
  }

  eventList(): LiveEvent[] {
    return [...this.events.values()];
  }

  reportList(): LiveReport[] {
    return [...this.reports.values()];
  }

  sensor(id: string): LiveSensor | undefined {
    return this.sensors.get(id);
  }

  event(id: string): LiveEvent | undefined {
    return this.events.get(id);
  }

  object(id: string): LiveObject | undefined {
    return this.objects.get(id);
  }

  camera(id: string): LiveCamera | undefined {
    return this.cameras.get(id);
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
    const sensorsChanged = this.changedSensors.size > 0 || this.removedSensors.size > 0;
    if (this.pendingReadings.size === 0 && !sensorsChanged && !this.camerasChanged && !this.linksChanged && !this.eventsChanged && !this.reportsChanged && !objectsChanged) return;
    const readings = emptyColumns();
    for (const [id, { value, at }] of this.pendingReadings) {
      readings.id.push(id);
      readings.value.push(value);
      readings.at.push(at);
    }
    const batch: LiveBatch = { seq: this.seq + 1, baseSeq: this.seq, readings };
    const sensorParts = this.sensorParts();
    Object.assign(batch, sensorParts[0]);
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
    this.lastRemovedSensors = this.removedSensors;
    this.removedSensors = new Map();
    this.changedSensors = new Set();
    this.camerasChanged = false;
    this.linksChanged = false;
    this.listeners.forEach((l) => l(batch));
    // the other sensor changes and moved objects follow in batches of their own, so that each batch fits one frame
    const objectParts = partsOf(moved, LIVE_MOVES_PER_BATCH);
    for (let i = 1; i < Math.max(sensorParts.length, objectParts.length); i++) {
      const rest: LiveBatch = { seq: this.seq + 1, baseSeq: this.seq, readings: emptyColumns(), ...sensorParts[i] };
      if (objectParts[i]) rest.objects = objectParts[i];
      this.seq = rest.seq;
      this.listeners.forEach((l) => l(rest));
    }
  }

  /**
   * The sensor changes, one part per batch: all removals first (a sensor that moved to another
   * commune is removed, then set again), then the added and changed sensors, each part within a frame.
   */
  private sensorParts(): Pick<LiveBatch, 'sensors' | 'sensorsRemoved'>[] {
    const parts: Pick<LiveBatch, 'sensors' | 'sensorsRemoved'>[] = partsOf([...this.removedSensors.keys()], LIVE_SENSOR_REMOVALS_PER_BATCH).map((ids) => ({ sensorsRemoved: ids }));
    const changed: LiveSensor[] = [];
    for (const id of this.changedSensors) {
      const sensor = this.sensors.get(id);
      if (sensor) changed.push(sensor);
    }
    const setParts = partsOf(changed, LIVE_SENSORS_PER_FRAME);
    // the first set part rides with the last removals (a batch applies its removals first)
    if (parts.length > 0 && setParts.length > 0) parts[parts.length - 1]!.sensors = setParts.shift();
    for (const sensors of setParts) parts.push({ sensors });
    return parts;
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
    const object = { ...rest, gateway: gatewayId, trail };
    this.objects.set(item.id, object);
    this.movedObjects.set(item.id, Math.min(TRAIL_POINTS, (this.movedObjects.get(item.id) ?? 0) + 1));
    this.removedObjects.delete(item.id);
    this.changes.push({ kind: 'object', object });
  }

  private removeObject(id: string): void {
    if (!this.objects.delete(id)) return;
    this.movedObjects.delete(id);
    this.removedObjects.add(id);
    this.changes.push({ kind: 'object-removed', id });
  }

  private setSensor(sensor: LiveSensor): void {
    const previous = this.sensors.get(sensor.id) ?? this.removedSensors.get(sensor.id);
    this.sensors.set(sensor.id, sensor);
    this.changes.push({ kind: 'sensor', sensor });
    // a sensor that moved to another commune leaves the old commune's readers too
    if (previous && previous.commune !== sensor.commune) {
      if (!this.removedSensors.has(sensor.id)) this.removedSensors.set(sensor.id, previous);
    } else this.removedSensors.delete(sensor.id);
    if (!previous || !sameSensor(previous, sensor)) this.changedSensors.add(sensor.id);
  }

  private removeSensor(id: string): void {
    this.latest.delete(id);
    const sensor = this.sensors.get(id);
    if (!sensor) return;
    this.sensors.delete(id);
    this.changedSensors.delete(id);
    if (!this.removedSensors.has(id)) this.removedSensors.set(id, sensor);
    this.changes.push({ kind: 'sensor-removed', id });
  }

  private removeCamera(id: string): void {
    this.camerasChanged = true;
    if (this.cameras.delete(id)) this.changes.push({ kind: 'camera-removed', id });
  }

  private removeEvent(id: string): void {
    this.eventsChanged = true;
    const event = this.events.get(id);
    if (event && this.events.delete(id)) this.changes.push({ kind: 'event-removed', event });
  }

  private removeReport(id: string): void {
    this.reportsChanged = true;
    if (this.reports.delete(id)) this.changes.push({ kind: 'report-removed', id });
  }

  /**
   * A gateway's snapshot replaces everything it had. Its sensors stay until the snapshot is
   * applied (the ids returned; those it does not name again are removed then), so windows get
   * only what changed; their readings are dropped now, as the snapshot brings its own.
   */
  private dropGateway(gatewayId: string): Set<string> {
    const sensors = new Set<string>();
    for (const [id, sensor] of this.sensors) {
      if (sensor.gateway !== gatewayId) continue;
      sensors.add(id);
      this.latest.delete(id);
    }
    for (const [id, camera] of this.cameras) if (camera.gateway === gatewayId) this.removeCamera(id);
    for (const [id, event] of this.events) if (event.gateway === gatewayId) this.removeEvent(id);
    for (const [id, report] of this.reports) if (report.gateway === gatewayId) this.removeReport(id);
    for (const [id, object] of this.objects) if (object.gateway === gatewayId) this.removeObject(id);
    return sensors;
  }

  private dropOldestReport(): void {
    let oldest: LiveReport | undefined;
    for (const report of this.reports.values()) if (!oldest || report.at < oldest.at) oldest = report;
    if (oldest) this.removeReport(oldest.id);
  }

  /** One rule failing must not keep the others (or the windows) from the change. */
  private tellRules(): void {
    if (this.changes.length === 0) return;
    const changes = this.changes;
    this.changes = [];
    for (const listener of this.changeListeners) {
      try {
        listener(changes);
      } catch (error) {
        console.error('ioc-wall: a live-state rule failed on a change', error);
      }
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref?.();
  }
}
