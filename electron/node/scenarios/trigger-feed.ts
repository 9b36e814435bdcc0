/**
 * Feeds a TriggerEngine from the live field picture (LiveState snapshots and batches), and keeps
 * what the scenario engine needs to place a firing: where its sensors, objects and events are.
 */
import type { GeoPoint, LiveBatch, LiveEvent, LiveObject, LiveSensor, LiveSnapshot } from '../../../native-bridge/contract.js';
import type { TriggerEngine, TriggerEventItem } from '../../common/trigger-engine.js';

export interface Place {
  location: GeoPoint;
  commune?: string;
}

/** What the feed drives: one TriggerEngine, or several behind one front. */
export type TriggerSink = Pick<TriggerEngine, 'sensorRegistered' | 'reading' | 'objectPosition' | 'event'>;

export class TriggerFeed {
  private readonly sensors = new Map<string, LiveSensor>();
  private readonly events = new Map<string, LiveEvent>();
  private readonly objects = new Map<string, GeoPoint>();

  constructor(
    private readonly engine: TriggerSink,
    private readonly clock: () => number,
  ) {}

  /** A new engine (its rules changed) learns the current picture: the snapshot, and every event known. */
  replay(target: TriggerSink, snapshot: LiveSnapshot): void {
    for (const sensor of snapshot.sensors) target.sensorRegistered(sensor);
    snapshot.readings.id.forEach((id, i) => target.reading(id, snapshot.readings.value[i]!, snapshot.readings.at[i]!));
    for (const o of snapshot.objects) target.objectPosition(o.id, o.kind, o.location.lon, o.location.lat, o.at);
    for (const event of this.events.values()) target.event(this.eventItem(event));
  }

  snapshot(snapshot: LiveSnapshot): void {
    this.registerSensors(snapshot.sensors);
    this.readings(snapshot.readings);
    this.moveObjects(snapshot.objects);
    this.replaceEvents(snapshot.events);
  }

  batch(batch: LiveBatch): void {
    if (batch.sensors) this.registerSensors(batch.sensors);
    this.readings(batch.readings);
    if (batch.objects) this.moveObjects(batch.objects);
    for (const id of batch.objectsRemoved ?? []) this.objects.delete(id);
    if (batch.events) this.replaceEvents(batch.events);
  }

  /** Where a subject of a firing is (a sensor, moving object or event id). */
  place(id: string): Place | undefined {
    const sensor = this.sensors.get(id);
    if (sensor) return { location: sensor.location, commune: sensor.commune };
    const event = this.events.get(id);
    if (event) {
      const of = event.sensor ? this.sensors.get(event.sensor) : undefined;
      const location = event.location ?? of?.location;
      return location ? { location, ...(of ? { commune: of.commune } : {}) } : undefined;
    }
    const object = this.objects.get(id);
    return object ? { location: object } : undefined;
  }

  /** An incident the field declared itself (an event not raised by one sensor's threshold). */
  isDeclaredIncident(id: string): boolean {
    const event = this.events.get(id);
    return event !== undefined && event.sensor === undefined;
  }

  sensorList(): LiveSensor[] {
    return [...this.sensors.values()];
  }

  private registerSensors(sensors: readonly LiveSensor[]): void {
    for (const sensor of sensors) {
      this.sensors.set(sensor.id, sensor);
      this.engine.sensorRegistered(sensor);
    }
  }

  private readings(columns: LiveBatch['readings']): void {
    columns.id.forEach((id, i) => this.engine.reading(id, columns.value[i]!, columns.at[i]!));
  }

  private moveObjects(objects: readonly Omit<LiveObject, 'trail'>[]): void {
    for (const o of objects) {
      this.objects.set(o.id, o.location);
      this.engine.objectPosition(o.id, o.kind, o.location.lon, o.location.lat, o.at);
    }
  }

  /** Events come as the full list: one gone from it without being cleared first counts as cleared now. */
  private replaceEvents(events: readonly LiveEvent[]): void {
    const present = new Set(events.map((e) => e.id));
    for (const [id, event] of this.events) {
      if (present.has(id)) continue;
      this.events.delete(id);
      if (!event.cleared) this.engine.event({ ...this.eventItem(event), cleared: true, at: Math.max(event.at, this.clock()) });
    }
    for (const event of events) {
      const known = this.events.get(event.id);
      this.events.set(event.id, event);
      // The list repeats unchanged events: only news reaches the engine.
      if (known && known.at === event.at && known.cleared === event.cleared && known.severity === event.severity) continue;
      this.engine.event(this.eventItem(event));
    }
  }

  private eventItem(event: LiveEvent): TriggerEventItem {
    const location = event.location ?? (event.sensor ? this.sensors.get(event.sensor)?.location : undefined);
    return { id: event.id, category: event.category, severity: event.severity, at: event.at, location, cleared: event.cleared };
  }
}
