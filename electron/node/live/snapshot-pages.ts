/**
 * Splits a live snapshot into frames: the first LIVE_SENSORS_PER_FRAME sensors (with their latest
 * readings) and LIVE_OBJECTS_PER_FRAME moving objects travel with it, and the rest wait here,
 * frozen as of the snapshot's seq, for `live.sensors` and `live.objects` pages. Freezing matters:
 * paging the live maps instead would skip items that others' removals shift past the offset, and
 * a window replays the batches after seq on top of exactly this picture (all frames of one cursor
 * come from the same held picture, the first included). A cursor belongs to the scope its snapshot
 * was cut for: another scope's reader asking for it is told it does not exist.
 */
import { randomUUID } from 'node:crypto';
import {
  ContractError,
  LIVE_OBJECTS_PER_FRAME,
  LIVE_SENSORS_PER_FRAME,
  type LiveObject,
  type LiveSensor,
  type LiveSnapshot,
  type ReadingColumns,
} from '../../../native-bridge/contract.js';

/** Long enough for a loaded window to fetch 25 pages, short enough not to pile up. */
const CURSOR_TTL_MS = 60_000;
/** Distinct snapshots held at once (older ones are dropped first); windows of one scope asking at the same seq share one. */
const MAX_CURSORS = 32;

export interface SensorPage {
  sensors: LiveSensor[];
  readings: ReadingColumns;
}

interface Held<T> {
  items: T[];
  owner: string;
  key: string;
  expires: number;
}

/**
 * Items of one kind held under cursors, each page `size` long. Every reader of one scope asking at
 * one seq (a wall of 32 windows resyncing together) gets the same cursor, so the host holds one
 * copy, not one per window; a cursor lives CURSOR_TTL_MS from when it was made.
 */
class FrozenPages<T> {
  private readonly held = new Map<string, Held<T>>();
  private readonly cursorOf = new Map<string, string>();

  constructor(
    private readonly size: number,
    private readonly now: () => number,
  ) {}

  /** The cursor and items held for the snapshot of `owner` at `seq`, holding `items()` if there are none yet. */
  hold(owner: string, seq: number, items: () => T[]): { cursor: string; items: T[] } {
    this.expire();
    const key = JSON.stringify([owner, seq]);
    const known = this.cursorOf.get(key);
    const held = known === undefined ? undefined : this.held.get(known);
    if (known !== undefined && held) return { cursor: known, items: held.items };
    const cursor = randomUUID();
    const made = items();
    this.held.set(cursor, { items: made, owner, key, expires: this.now() + CURSOR_TTL_MS });
    this.cursorOf.set(key, cursor);
    if (this.held.size > MAX_CURSORS) this.forget(this.held.keys().next().value!);
    return { cursor, items: made };
  }

  page(cursor: string, offset: number, owner: string): T[] {
    this.expire();
    const held = this.held.get(cursor);
    if (!held || held.owner !== owner) throw new ContractError('not-found', 'this snapshot page expired: take a new live.snapshot');
    return held.items.slice(offset, offset + this.size);
  }

  private forget(cursor: string): void {
    const held = this.held.get(cursor);
    if (!held) return;
    this.held.delete(cursor);
    this.cursorOf.delete(held.key);
  }

  private expire(): void {
    const now = this.now();
    for (const [cursor, { expires }] of this.held) if (expires <= now) this.forget(cursor);
  }
}

type SensorWithReading = { sensor: LiveSensor; reading: { value: number; at: number } | undefined };

/** Sensors and their readings as a frame carries them (a sensor without a reading has none). */
function sensorPageOf(items: readonly SensorWithReading[]): SensorPage {
  const readings: ReadingColumns = { id: [], value: [], at: [] };
  for (const { sensor, reading } of items) {
    if (!reading) continue;
    readings.id.push(sensor.id);
    readings.value.push(reading.value);
    readings.at.push(reading.at);
  }
  return { sensors: items.map((item) => item.sensor), readings };
}

function withReadings(snapshot: LiveSnapshot): SensorWithReading[] {
  const latest = new Map<string, { value: number; at: number }>();
  const { id, value, at } = snapshot.readings;
  for (let i = 0; i < id.length; i++) latest.set(id[i]!, { value: value[i]!, at: at[i]! });
  return snapshot.sensors.map((sensor) => ({ sensor, reading: latest.get(sensor.id) }));
}

export class SnapshotPages {
  private readonly sensors: FrozenPages<SensorWithReading>;
  private readonly objects: FrozenPages<LiveObject>;

  constructor(now: () => number = Date.now) {
    this.sensors = new FrozenPages(LIVE_SENSORS_PER_FRAME, now);
    this.objects = new FrozenPages(LIVE_OBJECTS_PER_FRAME, now);
  }

  /**
   * The snapshot as one frame carries it, for a reader of scope `owner`: the first sensors with
   * their readings and the first objects, and cursors to the rest if any. Past one frame of
   * sensors, readings of sensors the registry does not hold stay out (nothing can show them).
   */
  split(snapshot: LiveSnapshot, owner: string): LiveSnapshot {
    let frame = snapshot;
    if (snapshot.sensors.length > LIVE_SENSORS_PER_FRAME) {
      const { cursor, items } = this.sensors.hold(owner, snapshot.seq, () => withReadings(snapshot));
      frame = { ...frame, ...sensorPageOf(items.slice(0, LIVE_SENSORS_PER_FRAME)), sensorPages: { cursor, total: items.length } };
    }
    if (snapshot.objects.length > LIVE_OBJECTS_PER_FRAME) {
      const { cursor, items } = this.objects.hold(owner, snapshot.seq, () => snapshot.objects);
      frame = { ...frame, objects: items.slice(0, LIVE_OBJECTS_PER_FRAME), objectPages: { cursor, total: items.length } };
    }
    return frame;
  }

  sensorPage(cursor: string, offset: number, owner: string): SensorPage {
    return sensorPageOf(this.sensors.page(cursor, offset, owner));
  }

  objectPage(cursor: string, offset: number, owner: string): LiveObject[] {
    return this.objects.page(cursor, offset, owner);
  }
}
