/**
 * Feeds a TriggerEngine from the live field picture, item by item (LiveState's changes), and
 * answers where a firing's subjects are — sensors, moving objects and events — from LiveState
 * itself: it keeps no mirror of the picture.
 */
import type { GeoPoint, LiveEvent } from '../../../native-bridge/contract.js';
import type { FieldChange } from '../../../native-bridge/field-changes.js';
import type { TriggerEngine, TriggerEventItem } from '../../common/trigger-engine.js';
import type { LiveState } from '../live/live-state.js';

export interface Place {
  location: GeoPoint;
  commune?: string;
}

/** What the feed drives: one TriggerEngine, or several behind one front. */
export type TriggerSink = Pick<TriggerEngine, 'sensorRegistered' | 'reading' | 'objectPosition' | 'event'>;

/** What it reads of the live picture. */
export type TriggerPicture = Pick<LiveState, 'sensorList' | 'latestReading' | 'objectList' | 'eventList' | 'sensor' | 'event' | 'object' | 'eventCommune'>;

export class TriggerFeed {
  constructor(
    private readonly engine: TriggerSink,
    private readonly live: TriggerPicture,
    private readonly clock: () => number,
  ) {}

  /** An engine (at start, or one whose rules changed) learns the picture as it is now. */
  replay(target: TriggerSink = this.engine): void {
    for (const sensor of this.live.sensorList()) {
      target.sensorRegistered(sensor);
      const reading = this.live.latestReading(sensor.id);
      if (reading) target.reading(sensor.id, reading.value, reading.at);
    }
    for (const o of this.live.objectList()) target.objectPosition(o.id, o.kind, o.location.lon, o.location.lat, o.at);
    for (const event of this.live.eventList()) target.event(this.eventItem(event));
  }

  apply(changes: readonly FieldChange[]): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'sensor':
          this.engine.sensorRegistered(change.sensor);
          break;
        case 'reading':
          this.engine.reading(change.id, change.value, change.at);
          break;
        case 'object': {
          const o = change.object;
          this.engine.objectPosition(o.id, o.kind, o.location.lon, o.location.lat, o.at);
          break;
        }
        case 'event':
          this.engine.event(this.eventItem(change.event));
          break;
        case 'event-removed':
          // gone without being cleared first (a gateway's snapshot no longer has it): cleared now
          if (!change.event.cleared) this.engine.event({ ...this.eventItem(change.event), cleared: true, at: Math.max(change.event.at, this.clock()) });
          break;
        default:
          break;
      }
    }
  }

  /** Where a subject of a firing is (a sensor, moving object or event id). */
  place(id: string): Place | undefined {
    const sensor = this.live.sensor(id);
    if (sensor) return { location: sensor.location, commune: sensor.commune };
    const event = this.live.event(id);
    if (event) {
      const of = event.sensor ? this.live.sensor(event.sensor) : undefined;
      const location = event.location ?? of?.location;
      const commune = this.live.eventCommune(event);
      return location ? { location, ...(commune ? { commune } : {}) } : undefined;
    }
    const object = this.live.object(id);
    return object ? { location: object.location } : undefined;
  }

  /** An incident the field declared itself (an event not raised by one sensor's threshold). */
  isDeclaredIncident(id: string): boolean {
    const event = this.live.event(id);
    return event !== undefined && event.sensor === undefined;
  }

  private eventItem(event: LiveEvent): TriggerEventItem {
    const location = event.location ?? (event.sensor ? this.live.sensor(event.sensor)?.location : undefined);
    return { id: event.id, category: event.category, severity: event.severity, at: event.at, location, cleared: event.cleared, title: event.title };
  }
}
