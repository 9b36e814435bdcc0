/**
 * Keeps the spatial index in step with the live field picture: every sensor (with its reading
 * state), camera, located incident, moving object and citizen report is a point, tagged with its
 * commune by the index at ingest. Fed item by item from LiveState's changes (it keeps no mirror:
 * what a point needs is read from LiveState), coalesced so a burst of moves is one index update.
 */
import type { LiveCamera, LiveEvent, LiveObject, LiveReport, LiveSensor, SpatialPoint } from '../../../native-bridge/contract.js';
import type { FieldChange } from '../../../native-bridge/field-changes.js';
import { readingState } from '../../../native-bridge/reading-state.js';
import type { LiveState } from '../live/live-state.js';

/** What this module needs of the spatial index (the worker client provides it). */
export interface SpatialPointSink {
  upsertPoints(points: SpatialPoint[]): Promise<unknown>;
  removePoints(ids: string[]): Promise<unknown>;
}

/** What it reads of the live picture. */
export type FieldPicture = Pick<LiveState, 'sensorList' | 'cameraList' | 'eventList' | 'objectList' | 'reportList' | 'latestReading' | 'sensor'>;

/** Point ids are namespaced by layer: a camera and a sensor may share an id at their gateways. */
const pointId = (layer: string, id: string) => `${layer}:${id}`;

export class FieldPoints {
  private upserts = new Map<string, SpatialPoint>();
  private removals = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sink: SpatialPointSink,
    private readonly live: FieldPicture,
    private readonly flushMs = 100,
  ) {}

  /** Every point of the live picture as it is now (at start). */
  load(): Promise<void> {
    for (const sensor of this.live.sensorList()) this.upsert(this.sensorPoint(sensor));
    for (const camera of this.live.cameraList()) this.upsert(cameraPoint(camera));
    for (const event of this.live.eventList()) this.placeEvent(event);
    for (const object of this.live.objectList()) this.upsert(objectPoint(object));
    for (const report of this.live.reportList()) this.upsert(reportPoint(report));
    return this.settled();
  }

  /** One apply() of LiveState: a reading re-states its sensor only when its state (normal, warning, …) changes. */
  applyChanges(changes: readonly FieldChange[]): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'sensor':
          this.upsert(this.sensorPoint(change.sensor));
          break;
        case 'reading': {
          const sensor = this.live.sensor(change.id);
          if (sensor && (change.previous === undefined || readingState(change.previous, sensor.thresholds) !== readingState(change.value, sensor.thresholds))) this.upsert(this.sensorPoint(sensor));
          break;
        }
        case 'camera':
          this.upsert(cameraPoint(change.camera));
          break;
        case 'event':
          this.placeEvent(change.event);
          break;
        case 'object':
          this.upsert(objectPoint(change.object));
          break;
        case 'report':
          this.upsert(reportPoint(change.report));
          break;
        case 'sensor-removed':
          this.remove(pointId('sensor', change.id));
          break;
        case 'camera-removed':
          this.remove(pointId('camera', change.id));
          break;
        case 'event-removed':
          this.remove(pointId('alert', change.event.id));
          break;
        case 'object-removed':
          this.remove(pointId('object', change.id));
          break;
        case 'report-removed':
          this.remove(pointId('report', change.id));
          break;
      }
    }
    this.schedule();
  }

  /** Sends what is pending now and resolves once every change handed over so far reached the index. */
  settled(): Promise<void> {
    this.flush();
    return this.chain.then(() => undefined);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private upsert(point: SpatialPoint): void {
    this.removals.delete(point.id);
    this.upserts.set(point.id, point);
  }

  private remove(id: string): void {
    this.upserts.delete(id);
    this.removals.add(id);
  }

  /** An incident is a point only while it has a location. */
  private placeEvent(event: LiveEvent): void {
    const point = eventPoint(event);
    if (point) this.upsert(point);
    else this.remove(pointId('alert', event.id));
  }

  private schedule(): void {
    if (this.timer || (this.upserts.size === 0 && this.removals.size === 0)) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref?.();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.upserts.size === 0 && this.removals.size === 0) return;
    const removals = [...this.removals];
    const upserts = [...this.upserts.values()];
    this.removals = new Set();
    this.upserts = new Map();
    // in order: one update must not overtake the one before it
    this.chain = this.chain
      .then(async () => {
        if (removals.length > 0) await this.sink.removePoints(removals);
        if (upserts.length > 0) await this.sink.upsertPoints(upserts);
      })
      .catch((error: unknown) => console.error('ioc-wall: spatial index update failed', error));
  }

  private sensorPoint(s: LiveSensor): SpatialPoint {
    const value = this.live.latestReading(s.id)?.value;
    const state = value === undefined ? 'stale' : readingState(value, s.thresholds);
    return { id: pointId('sensor', s.id), layer: 'sensor', kind: s.kind, state, lon: s.location.lon, lat: s.location.lat, label: s.name };
  }
}

function cameraPoint(c: LiveCamera): SpatialPoint {
  return { id: pointId('camera', c.id), layer: 'camera', kind: 'camera', lon: c.location.lon, lat: c.location.lat, label: c.name };
}

function eventPoint(e: LiveEvent): SpatialPoint | null {
  return e.location ? { id: pointId('alert', e.id), layer: 'alert', kind: e.category, state: e.cleared ? 'cleared' : e.severity, lon: e.location.lon, lat: e.location.lat, label: e.title.vi } : null;
}

function objectPoint(o: LiveObject): SpatialPoint {
  return { id: pointId('object', o.id), layer: 'object', kind: o.kind, lon: o.location.lon, lat: o.location.lat, label: o.name };
}

function reportPoint(r: LiveReport): SpatialPoint {
  return { id: pointId('report', r.id), layer: 'report', kind: r.category, lon: r.location.lon, lat: r.location.lat };
}

/** The live id of a point id ("camera:cam-01" → "cam-01"). */
export function liveIdOf(pointIdValue: string): string {
  return pointIdValue.slice(pointIdValue.indexOf(':') + 1);
}
