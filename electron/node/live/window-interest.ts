/**
 * What a wall window's tiles can show of the live picture, so that each `live.batch` it gets
 * carries only that (docs/architecture.md, Field data). Read from the tiles that touch the
 * window's display (renderer/tiles/<kind>):
 *  - a map tile draws every layer (sensors, readings, cameras, incidents, objects, reports): all;
 *  - a sensor-readings tile ranks the sensors of its kinds and commune by their readings: those
 *    sensors' readings (it shows maxRows of them, but which ones depends on every value);
 *  - every other kind reads no readings and no moving objects (cameras, links, incidents, reports
 *    and the sensor registry are sent whole to every window: small, and only when they change).
 * Windows that show the same thing share one interest key, so a batch is cut once per distinct
 * interest, not once per window.
 */
import type { LiveBatch, LiveSensor, ReadingColumns, Tile, WallDefinition, WindowId } from '../../../native-bridge/contract.js';
import { parseDisplayWindowId, tileInDisplay } from '../../../native-bridge/wall-geometry.js';

/** One sensor-readings tile's filter: kinds (empty = all) and a commune (normalized; null = all). */
interface SensorMatch {
  kinds: ReadonlySet<string>;
  commune: string | null;
}

export interface WindowInterest {
  /** Equal keys: equal interests. */
  key: string;
  /** A map tile: the whole batch. */
  all: boolean;
  sensors: readonly SensorMatch[];
  /** The keys of its tile filters. */
  parts: ReadonlySet<string>;
}

/** As the sensor-readings tile compares communes (renderer/tiles/sensor-readings/view.ts). */
const normalize = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi');

const ALL: WindowInterest = { key: 'all', all: true, sensors: [], parts: new Set() };

/** The interest of one display window under the given tiles; the console and unknown ids see all. */
export function windowInterest(wall: WallDefinition, tiles: readonly Tile[], windowId: WindowId): WindowInterest {
  const slot = parseDisplayWindowId(windowId);
  if (!slot) return ALL;
  const matches = new Map<string, SensorMatch>();
  for (const t of tiles) {
    if (tileInDisplay(wall, t.rect, slot.row, slot.column) === null) continue;
    if (t.kind === 'map') return ALL;
    if (t.kind !== 'sensor-readings') continue;
    const kinds = [...new Set(t.props.kinds)].sort();
    const commune = t.props.commune === undefined ? null : normalize(t.props.commune);
    const key = `${kinds.join(',')}@${commune ?? '*'}`;
    matches.set(key, { kinds: new Set(kinds), commune });
  }
  const keys = [...matches.keys()].sort();
  return { key: `sensors:${keys.join('|')}`, all: false, sensors: keys.map((k) => matches.get(k)!), parts: new Set(keys) };
}

/** The new interest may show something the old one did not (conservatively: a tile filter it did not have). */
export const widens = (from: WindowInterest, to: WindowInterest): boolean => !from.all && (to.all || [...to.parts].some((part) => !from.parts.has(part)));

const shows = (interest: WindowInterest, sensor: LiveSensor): boolean =>
  interest.sensors.some((m) => (m.kinds.size === 0 || m.kinds.has(sensor.kind)) && (m.commune === null || normalize(sensor.commune) === m.commune));

/** The batch as a window with this interest needs it: same seq and baseSeq, only the readings it shows, objects only with a map. */
export function batchForInterest(batch: LiveBatch, interest: WindowInterest, sensorOf: (id: string) => LiveSensor | undefined): LiveBatch {
  if (interest.all) return batch;
  const readings: ReadingColumns = { id: [], value: [], at: [] };
  if (interest.sensors.length > 0) {
    const { id, value, at } = batch.readings;
    for (let i = 0; i < id.length; i++) {
      const sensor = sensorOf(id[i]!);
      if (sensor === undefined || !shows(interest, sensor)) continue;
      readings.id.push(id[i]!);
      readings.value.push(value[i]!);
      readings.at.push(at[i]!);
    }
  }
  const { objects: _objects, objectsRemoved: _removed, readings: _all, ...rest } = batch;
  return { ...rest, readings };
}

/**
 * For a window whose interest changed since its last batch: a batch that does not follow its
 * picture (baseSeq = seq), so it fetches a fresh snapshot (renderer/session/live-store.ts, a gap)
 * and misses nothing that it did not get while its tiles showed less.
 */
export const resyncBatch = (batch: LiveBatch): LiveBatch => ({ seq: batch.seq, baseSeq: batch.seq, readings: { id: [], value: [], at: [] } });
