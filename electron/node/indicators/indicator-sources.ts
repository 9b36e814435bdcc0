/**
 * Reads an indicator's source into a province figure and per-commune figures. One function per
 * source kind: live sensors (latest readings against their thresholds), counts of the live
 * picture, a numeric property of an imported GIS dataset, or the definition's own table.
 */
import type { Feature } from 'geojson';
import type { IndicatorSourceKind } from '../../../native-bridge/indicators.js';
import type { LiveEvent, LiveObject, LiveSensor } from '../../../native-bridge/contract.js';
import { readingState } from '../../../native-bridge/reading-state.js';
import type { Indicator } from '../../../native-bridge/scenario-files.js';
import { periodStart } from './periods.js';
import { maxOf, minOf } from '../../../native-bridge/extremes.js';

/** What the sources read of the live picture (LiveState has these). */
export interface LivePicture {
  sensorList(): LiveSensor[];
  latestReading(sensorId: string): { value: number; at: number } | undefined;
  eventList(): LiveEvent[];
  objectList(): LiveObject[];
}

/** What the sources read of the GIS dataset store (DatasetStore has these). */
export interface IndicatorDatasets {
  get(name: string): { importedAt: number } | undefined;
  features(name: string): Feature[];
}

export interface SourceReading {
  /** null: the source has nothing to give (no sensors reporting, no such dataset, no province row). */
  value: number | null;
  dataAt: number | null;
  period: string | null;
  communes: { area: string; value: number }[];
  /** A rate, share or level (mean, min, max, percent): the target also means something per commune. */
  intensive: boolean;
}

type Aggregate = 'sum' | 'mean' | 'min' | 'max';

function aggregate(values: readonly number[], how: Aggregate): number | null {
  if (values.length === 0) return null;
  if (how === 'sum') return values.reduce((a, b) => a + b, 0);
  if (how === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  return how === 'min' ? minOf(values) : maxOf(values);
}

const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

function byCommune<T>(items: readonly T[], communeOf: (item: T) => string | null, figure: (group: T[]) => number | null): { area: string; value: number }[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const area = communeOf(item);
    if (area === null || area === '') continue;
    let group = groups.get(area);
    if (!group) groups.set(area, (group = []));
    group.push(item);
  }
  return [...groups]
    .map(([area, group]) => ({ area, value: figure(group) }))
    .filter((c): c is { area: string; value: number } => c.value !== null)
    .sort((a, b) => collator.compare(a.area, b.area));
}

export function sourceKind(source: Indicator['source']): IndicatorSourceKind {
  if ('sensorKind' in source) return 'sensors';
  if ('count' in source) return 'live-count';
  if ('dataset' in source) return 'dataset';
  return 'table';
}

type SensorSource = Extract<Indicator['source'], { sensorKind: unknown }>;
type CountSource = Extract<Indicator['source'], { count: unknown }>;
type DatasetSource = Extract<Indicator['source'], { dataset: unknown }>;
type TableSource = Extract<Indicator['source'], { table: unknown }>;

/** Sensors without a reading yet count for nothing: a station that never reported is neither safe nor in alarm. */
function readSensors(source: SensorSource, live: LivePicture): SourceReading {
  const rows = live
    .sensorList()
    .filter((s) => s.kind === source.sensorKind)
    .flatMap((sensor) => {
      const reading = live.latestReading(sensor.id);
      return reading ? [{ sensor, reading, alarm: readingState(reading.value, sensor.thresholds) !== 'normal' }] : [];
    });
  const figure = (group: typeof rows): number | null => {
    if (group.length === 0) return null;
    switch (source.aggregate) {
      case 'count-in-alarm':
        return group.filter((r) => r.alarm).length;
      case 'percent-normal':
        return (100 * group.filter((r) => !r.alarm).length) / group.length;
      default:
        return aggregate(group.map((r) => r.reading.value), source.aggregate);
    }
  };
  return {
    value: figure(rows),
    dataAt: rows.length > 0 ? maxOf(rows.map((r) => r.reading.at)) : null,
    period: null,
    communes: byCommune(rows, (r) => r.sensor.commune, figure),
    intensive: source.aggregate !== 'count-in-alarm',
  };
}

/** A count is known as soon as the host runs: zero open fires is a figure, not missing data. */
function readCount(source: CountSource, live: LivePicture, now: number): SourceReading {
  const value =
    source.count === 'open-events'
      ? live.eventList().filter((e) => !e.cleared && (source.category === undefined || e.category === source.category)).length
      : live.objectList().filter((o) => source.kind === undefined || o.kind === source.kind).length;
  return { value, dataAt: now, period: null, communes: [], intensive: false };
}

function readDataset(source: DatasetSource, datasets: IndicatorDatasets | null): SourceReading {
  const summary = datasets?.get(source.dataset);
  if (!datasets || !summary) return { value: null, dataAt: null, period: null, communes: [], intensive: source.aggregate !== 'sum' };
  const rows = datasets.features(source.dataset).flatMap((feature) => {
    const properties = feature.properties ?? {};
    const raw: unknown = properties[source.field];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.replace(',', '.')) : NaN;
    const commune: unknown = properties[source.communeField];
    return Number.isFinite(value) ? [{ value, commune: typeof commune === 'string' || typeof commune === 'number' ? String(commune) : null }] : [];
  });
  const figure = (group: typeof rows) => aggregate(group.map((r) => r.value), source.aggregate);
  return { value: figure(rows), dataAt: summary.importedAt, period: null, communes: byCommune(rows, (r) => r.commune, figure), intensive: source.aggregate !== 'sum' };
}

/** The latest period's figures: the row without an area for the province, rows with one per commune (the same measure). */
function readTable(source: TableSource): SourceReading {
  const latest = (rows: TableSource['table']) => rows.reduce<TableSource['table'][number] | null>((best, row) => (!best || periodStart(row.period) > periodStart(best.period) ? row : best), null);
  const province = latest(source.table.filter((r) => r.area === undefined));
  const areaRows = source.table.filter((r) => r.area !== undefined);
  const areaPeriod = latest(areaRows)?.period;
  const communes = areaRows
    .filter((r) => r.period === areaPeriod)
    .map((r) => ({ area: r.area!, value: r.value }))
    .sort((a, b) => collator.compare(a.area, b.area));
  return { value: province?.value ?? null, dataAt: province ? periodStart(province.period) : null, period: province?.period ?? null, communes, intensive: true };
}

export function readSource(def: Indicator, live: LivePicture, datasets: IndicatorDatasets | null, now: number): SourceReading {
  const { source } = def;
  if ('sensorKind' in source) return readSensors(source, live);
  if ('count' in source) return readCount(source, live, now);
  if ('dataset' in source) return readDataset(source, datasets);
  return readTable(source);
}

/** A table source's history: its province rows at their periods' starts, oldest first. */
export function tableHistory(def: Indicator): [number, number][] | null {
  if (!('table' in def.source)) return null;
  return def.source.table
    .filter((r) => r.area === undefined)
    .map((r): [number, number] => [periodStart(r.period), r.value])
    .sort((a, b) => a[0] - b[0]);
}
