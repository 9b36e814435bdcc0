/**
 * The live picture as a commune-scoped reader sees it (docs/security.md, Scope): sensors and
 * their readings, cameras and citizen reports of its communes, incidents of its communes or of
 * no known commune (province-wide, as their alerts), and no moving objects (they belong to no commune). Gateway
 * link health is the host's, shown to everyone. A batch is split by commune once, and each
 * distinct scope's view (core.ts asks once per scope, not per session) is built from its parts.
 */
import type { LiveBatch, LiveCamera, LiveEvent, LiveReport, LiveSensor, ReadingColumns, Scope } from '../../../native-bridge/contract.js';

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

/** One commune's share of a batch. */
interface CommunePart {
  readings: ReadingColumns;
  sensors: LiveSensor[];
  sensorsRemoved: string[];
  cameras: LiveCamera[];
  events: LiveEvent[];
  reports: LiveReport[];
}

const emptyPart = (): CommunePart => ({ readings: { id: [], value: [], at: [] }, sensors: [], sensorsRemoved: [], cameras: [], events: [], reports: [] });

/**
 * The batch as each scope sees it: same seq and baseSeq (a window checks continuity), only its
 * items, objects never. The batch is split by commune once, on the first commune scope asked, so
 * a scope's view costs its own items, not another pass over the batch: O(batch) per batch however
 * many scopes are connected.
 */
export function batchByCommune(
  batch: LiveBatch,
  sensorOf: (id: string) => LiveSensor | undefined,
  removedSensorOf: (id: string) => LiveSensor | undefined,
): (filter: LiveFilter) => LiveBatch {
  let parts: Map<string, CommunePart> | null = null;
  const provinceWide: LiveEvent[] = [];
  const split = (): Map<string, CommunePart> => {
    const byCommune = new Map<string, CommunePart>();
    const part = (commune: string) => byCommune.get(commune) ?? byCommune.set(commune, emptyPart()).get(commune)!;
    const { readings } = batch;
    for (let i = 0; i < readings.id.length; i++) {
      const commune = sensorOf(readings.id[i]!)?.commune;
      if (commune === undefined) continue; // a sensor the host does not know (yet) is no commune's
      const columns = part(commune).readings;
      columns.id.push(readings.id[i]!);
      columns.value.push(readings.value[i]!);
      columns.at.push(readings.at[i]!);
    }
    for (const sensor of batch.sensors ?? []) part(sensor.commune).sensors.push(sensor);
    // a removed sensor leaves the readers of the commune it was in (one the host never knew is no commune's)
    for (const id of batch.sensorsRemoved ?? []) {
      const commune = removedSensorOf(id)?.commune;
      if (commune !== undefined) part(commune).sensorsRemoved.push(id);
    }
    for (const camera of batch.cameras ?? []) part(camera.commune).cameras.push(camera);
    for (const report of batch.reports ?? []) part(report.commune).reports.push(report);
    for (const event of batch.events ?? []) {
      const commune = eventCommune(event, sensorOf);
      if (commune === null) provinceWide.push(event);
      else part(commune).events.push(event);
    }
    return byCommune;
  };
  return (filter) => {
    if (filter === null) return batch;
    parts ??= split();
    const mine = [...filter].flatMap((commune) => parts!.get(commune) ?? []);
    const readings: ReadingColumns = { id: [], value: [], at: [] };
    for (const part of mine) {
      for (let i = 0; i < part.readings.id.length; i++) {
        readings.id.push(part.readings.id[i]!);
        readings.value.push(part.readings.value[i]!);
        readings.at.push(part.readings.at[i]!);
      }
    }
    const { objects: _objects, objectsRemoved: _removed, sensors, sensorsRemoved, cameras, events, reports, readings: _all, ...rest } = batch;
    return {
      ...rest,
      readings,
      ...(sensors ? { sensors: mine.flatMap((p) => p.sensors) } : {}),
      ...(sensorsRemoved ? { sensorsRemoved: mine.flatMap((p) => p.sensorsRemoved) } : {}),
      ...(cameras ? { cameras: mine.flatMap((p) => p.cameras) } : {}),
      ...(events ? { events: provinceWide.concat(mine.flatMap((p) => p.events)) } : {}),
      ...(reports ? { reports: mine.flatMap((p) => p.reports) } : {}),
    };
  };
}
