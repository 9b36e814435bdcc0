/**
 * Keeps the spatial index in step with the live field picture: every sensor (with its reading
 * state), camera, located incident, moving object and citizen report is a point, tagged with its
 * commune by the index at ingest. Fed from the live batches the windows get, so queries see what
 * the wall shows.
 */
import type { LiveBatch, LiveObject, LiveSnapshot, SpatialPoint } from '../../../native-bridge/contract.js';
import { readingState } from '../../../native-bridge/reading-state.js';

/** What this module needs of the spatial index (the worker client provides it). */
export interface SpatialPointSink {
  upsertPoints(points: SpatialPoint[]): Promise<unknown>;
  removePoints(ids: string[]): Promise<unknown>;
}

type Sensor = LiveSnapshot['sensors'][number];

/** Point ids are namespaced by layer: a camera and a sensor may share an id at their gateways. */
const pointId = (layer: string, id: string) => `${layer}:${id}`;

export class FieldPoints {
  private readonly sensors = new Map<string, Sensor>();
  private readonly latest = new Map<string, number>();
  /** Point ids currently in the index per layer, to remove the ones a full list no longer has. */
  private readonly present = new Map<string, Set<string>>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly sink: SpatialPointSink) {}

  /** Replaces every point with the snapshot's. */
  applySnapshot(snapshot: LiveSnapshot): Promise<void> {
    this.sensors.clear();
    this.latest.clear();
    for (const s of snapshot.sensors) this.sensors.set(s.id, s);
    snapshot.readings.id.forEach((id, i) => this.latest.set(id, snapshot.readings.value[i]!));
    const upserts: SpatialPoint[] = [];
    const removals: string[] = [];
    this.replaceLayer('sensor', snapshot.sensors.map((s) => this.sensorPoint(s)), upserts, removals);
    this.replaceLayer('camera', this.cameraPoints(snapshot.cameras), upserts, removals);
    this.replaceLayer('alert', this.eventPoints(snapshot.events), upserts, removals);
    this.replaceLayer('object', this.objectPoints(snapshot.objects), upserts, removals);
    this.replaceLayer('report', this.reportPoints(snapshot.reports), upserts, removals);
    return this.send(upserts, removals);
  }

  /** Applies one batch: changed readings re-state their sensors; full lists replace their layer. */
  applyBatch(batch: LiveBatch): Promise<void> {
    const upserts: SpatialPoint[] = [];
    const removals: string[] = [];
    if (batch.sensors) {
      this.sensors.clear();
      for (const s of batch.sensors) this.sensors.set(s.id, s);
      for (const id of [...this.latest.keys()]) if (!this.sensors.has(id)) this.latest.delete(id);
    }
    const restated = new Set<string>();
    batch.readings.id.forEach((id, i) => {
      const value = batch.readings.value[i]!;
      const sensor = this.sensors.get(id);
      const before = this.latest.get(id);
      this.latest.set(id, value);
      if (sensor && !batch.sensors && (before === undefined || readingState(before, sensor.thresholds) !== readingState(value, sensor.thresholds))) restated.add(id);
    });
    if (batch.sensors) this.replaceLayer('sensor', batch.sensors.map((s) => this.sensorPoint(s)), upserts, removals);
    for (const id of restated) upserts.push(this.sensorPoint(this.sensors.get(id)!));
    if (batch.cameras) this.replaceLayer('camera', this.cameraPoints(batch.cameras), upserts, removals);
    if (batch.events) this.replaceLayer('alert', this.eventPoints(batch.events), upserts, removals);
    if (batch.reports) this.replaceLayer('report', this.reportPoints(batch.reports), upserts, removals);
    if (batch.objects) {
      const points = this.objectPoints(batch.objects);
      const layer = this.layerSet('object');
      for (const p of points) layer.add(p.id);
      upserts.push(...points);
    }
    for (const id of batch.objectsRemoved ?? []) {
      const key = pointId('object', id);
      if (this.layerSet('object').delete(key)) removals.push(key);
    }
    return this.send(upserts, removals);
  }

  /** Resolves once every change handed over so far reached the index. */
  settled(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  private send(upserts: SpatialPoint[], removals: string[]): Promise<void> {
    if (upserts.length === 0 && removals.length === 0) return this.settled();
    // in order: a removal must not overtake the upsert it follows
    this.chain = this.chain
      .then(async () => {
        if (removals.length > 0) await this.sink.removePoints(removals);
        if (upserts.length > 0) await this.sink.upsertPoints(upserts);
      })
      .catch((error: unknown) => console.error('ioc-wall: spatial index update failed', error));
    return this.settled();
  }

  private layerSet(layer: string): Set<string> {
    let set = this.present.get(layer);
    if (!set) this.present.set(layer, (set = new Set()));
    return set;
  }

  private replaceLayer(layer: string, points: SpatialPoint[], upserts: SpatialPoint[], removals: string[]): void {
    const before = this.layerSet(layer);
    const now = new Set(points.map((p) => p.id));
    for (const id of before) if (!now.has(id)) removals.push(id);
    this.present.set(layer, now);
    upserts.push(...points);
  }

  private sensorPoint(s: Sensor): SpatialPoint {
    const value = this.latest.get(s.id);
    const state = value === undefined ? 'stale' : readingState(value, s.thresholds);
    return { id: pointId('sensor', s.id), layer: 'sensor', kind: s.kind, state, lon: s.location.lon, lat: s.location.lat, label: s.name };
  }

  private cameraPoints(cameras: LiveSnapshot['cameras']): SpatialPoint[] {
    return cameras.map((c) => ({ id: pointId('camera', c.id), layer: 'camera', kind: 'camera', lon: c.location.lon, lat: c.location.lat, label: c.name }));
  }

  private eventPoints(events: LiveSnapshot['events']): SpatialPoint[] {
    return events.flatMap((e) =>
      e.location ? [{ id: pointId('alert', e.id), layer: 'alert', kind: e.category, state: e.cleared ? 'cleared' : e.severity, lon: e.location.lon, lat: e.location.lat, label: e.title.vi }] : [],
    );
  }

  private objectPoints(objects: readonly Omit<LiveObject, 'trail'>[]): SpatialPoint[] {
    return objects.map((o) => ({ id: pointId('object', o.id), layer: 'object', kind: o.kind, lon: o.location.lon, lat: o.location.lat, label: o.name }));
  }

  private reportPoints(reports: LiveSnapshot['reports']): SpatialPoint[] {
    return reports.map((r) => ({ id: pointId('report', r.id), layer: 'report', kind: r.category, lon: r.location.lon, lat: r.location.lat }));
  }
}

/** The live id of a point id ("camera:cam-01" → "cam-01"). */
export function liveIdOf(pointIdValue: string): string {
  return pointIdValue.slice(pointIdValue.indexOf(':') + 1);
}
