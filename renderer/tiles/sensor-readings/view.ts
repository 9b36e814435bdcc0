/**
 * What a sensor-readings tile shows, derived from the live store: the sensors passing its filter,
 * critical first, cut to maxRows and grouped by kind. The selector keeps returning the same
 * object until the shown list (ids and states) changes, so a batch that only moves values does
 * not re-render the tile — its rows update themselves.
 */
import type { LiveSensor, SensorKind } from '../../../native-bridge/contract.js';
import { readingState, stateRank, type LiveData, type LiveState, type ReadingState } from '../../session/live-store.js';

/** Display order of kinds (and of their groups at equal severity). */
export const KIND_ORDER: readonly SensorKind[] = ['rain', 'water-level', 'air-quality', 'water-quality', 'fire-alarm', 'traffic', 'smart-light'];

export interface SensorFilter {
  kinds: readonly SensorKind[];
  commune?: string | undefined;
  maxRows: number;
}

export interface SensorViewRow {
  sensor: LiveSensor;
  state: ReadingState;
}

export interface SensorViewGroup {
  kind: SensorKind;
  worst: ReadingState;
  rows: SensorViewRow[];
}

export interface SensorView {
  groups: SensorViewGroup[];
  /** Rows shown (≤ maxRows). */
  shown: number;
  /** Sensors passing the filter. */
  total: number;
}

const EMPTY: SensorView = { groups: [], shown: 0, total: 0 };
const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });
const normalize = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi');

export function createSensorViewSelector(filter: SensorFilter, data: LiveData): (state: LiveState) => SensorView {
  const kinds = new Set(filter.kinds);
  const commune = filter.commune ? normalize(filter.commune) : null;
  let registry: LiveState['sensors'] | null = null;
  let candidates: LiveSensor[] = [];
  let readingsVersion = -1;
  let key = '';
  let view = EMPTY;

  return (state) => {
    const registryChanged = state.sensors !== registry;
    if (registryChanged) {
      registry = state.sensors;
      candidates = [];
      for (const sensor of state.sensors.values()) {
        if (kinds.size > 0 && !kinds.has(sensor.kind)) continue;
        if (commune !== null && normalize(sensor.commune) !== commune) continue;
        candidates.push(sensor);
      }
      candidates.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
      readingsVersion = -1;
    } else if (state.readingsVersion === readingsVersion) {
      return view;
    }
    readingsVersion = state.readingsVersion;

    // critical, then warning, then normal; within each the registry order (kind, name)
    const buckets: SensorViewRow[][] = [[], [], []];
    for (const sensor of candidates) {
      const series = data.seriesOf(sensor.id);
      const s = series ? readingState(series.value, sensor.thresholds) : 'normal';
      buckets[2 - stateRank[s]]?.push({ sensor, state: s });
    }
    const picked = buckets.flat().slice(0, filter.maxRows);

    const nextKey = `${candidates.length}|${picked.map((r) => `${r.sensor.id}:${r.state}`).join(',')}`;
    // same sensors in the same states (and the same sensor objects): the tile need not re-render
    if (!registryChanged && nextKey === key) return view;
    key = nextKey;

    const groups = new Map<SensorKind, SensorViewGroup>();
    for (const row of picked) {
      let group = groups.get(row.sensor.kind);
      if (!group) groups.set(row.sensor.kind, (group = { kind: row.sensor.kind, worst: row.state, rows: [] }));
      group.rows.push(row);
      if (stateRank[row.state] > stateRank[group.worst]) group.worst = row.state;
    }
    const ordered = [...groups.values()].sort((a, b) => stateRank[b.worst] - stateRank[a.worst] || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    view = picked.length === 0 && candidates.length === 0 ? EMPTY : { groups: ordered, shown: picked.length, total: candidates.length };
    return view;
  };
}
