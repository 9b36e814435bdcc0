/**
 * The live picture as a commune-scoped reader sees it (docs/security.md, Scope): sensors and
 * their readings, cameras and citizen reports of its communes, incidents of its communes or of
 * no known commune (province-wide, as their alerts), and no moving objects (they belong to no commune). Gateway
 * link health is the host's, shown to everyone. A batch is filtered once per distinct scope, not
 * per session (core.ts).
 */
import type { LiveBatch, LiveEvent, LiveSensor, ReadingColumns, Scope } from '../../../native-bridge/contract.js';

/** A commune-scoped reader's communes; null: the province, which sees everything. */
export type LiveFilter = ReadonlySet<string> | null;

export const liveFilter = (scope: Scope): LiveFilter => (scope.kind === 'province' ? null : new Set(scope.communes));

/** The commune an incident concerns: the one its gateway declared, else its station's; null: neither (province-wide). */
export const eventCommune = (event: Pick<LiveEvent, 'sensor' | 'commune'>, sensorOf: (id: string) => LiveSensor | undefined): string | null =>
  event.commune ?? (event.sensor === undefined ? undefined : sensorOf(event.sensor)?.commune) ?? null;

export const seesItem = (filter: LiveFilter, item: { commune: string }): boolean => filter === null || filter.has(item.commune);

export const seesEvent = (filter: LiveFilter, event: LiveEvent, sensorOf: (id: string) => LiveSensor | undefined): boolean => {
  if (filter === null) return true;
  const commune = eventCommune(event, sensorOf);
  return commune === null || filter.has(commune);
};

/** A reading is seen with its sensor: a sensor the host does not know (yet) is no commune's. */
export const seesReading = (filter: LiveFilter, sensorId: string, sensorOf: (id: string) => LiveSensor | undefined): boolean => {
  if (filter === null) return true;
  const sensor = sensorOf(sensorId);
  return sensor !== undefined && filter.has(sensor.commune);
};

export function scopedReadings(filter: LiveFilter, readings: ReadingColumns, sensorOf: (id: string) => LiveSensor | undefined): ReadingColumns {
  if (filter === null) return readings;
  const kept: ReadingColumns = { id: [], value: [], at: [] };
  for (let i = 0; i < readings.id.length; i++) {
    if (!seesReading(filter, readings.id[i]!, sensorOf)) continue;
    kept.id.push(readings.id[i]!);
    kept.value.push(readings.value[i]!);
    kept.at.push(readings.at[i]!);
  }
  return kept;
}

/** The batch a scope sees: same seq and baseSeq (a window checks continuity), only its items; objects never. */
export function scopedBatch(filter: LiveFilter, batch: LiveBatch, sensorOf: (id: string) => LiveSensor | undefined): LiveBatch {
  if (filter === null) return batch;
  const { objects: _objects, objectsRemoved: _removed, sensors, cameras, events, reports, readings, ...rest } = batch;
  return {
    ...rest,
    readings: scopedReadings(filter, readings, sensorOf),
    ...(sensors ? { sensors: sensors.filter((s) => seesItem(filter, s)) } : {}),
    ...(cameras ? { cameras: cameras.filter((c) => seesItem(filter, c)) } : {}),
    ...(events ? { events: events.filter((e) => seesEvent(filter, e, sensorOf)) } : {}),
    ...(reports ? { reports: reports.filter((r) => seesItem(filter, r)) } : {}),
  };
}
