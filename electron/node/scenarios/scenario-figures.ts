/**
 * The figures a run's after-action report shows of its activation: the scenario's panel queries
 * through the spatial index, its indicators as they stood, and the sensors and cameras around
 * the incident. A figure that cannot be taken carries its error instead (the report says why).
 */
import type { ScenarioIncident, ScenarioRun } from '../../../native-bridge/contract.js';
import { readingState } from '../../../native-bridge/reading-state.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { IndicatorValuesPort, SpatialQueryPort } from '../../common/ports.js';
import type { LiveState } from '../live/live-state.js';
import type { ActivationFigures } from './after-action-report.js';
import { distanceKm } from './scenario-incident.js';

/** Where the figures come from (null = that service is not running). */
export interface FigureSources {
  spatial: () => SpatialQueryPort | null;
  indicators: () => IndicatorValuesPort | null;
  live: Pick<LiveState, 'snapshot'>;
}

const DEFAULT_NEARBY_KM = 5;
const MAX_NEARBY = 200;

/**
 * Takes the figures and hands them to `record`. With nothing to wait for (no panel queries) that
 * happens before it returns, so the log reads "activated, figures" as the report expects.
 */
export async function takeActivationFigures(run: ScenarioRun, definition: Scenario, sources: FigureSources, record: (figures: ActivationFigures) => void): Promise<void> {
  const { incident } = run;
  const spatial = sources.spatial();
  let areaId: string | null | undefined;
  // Looked up once, by the first query that needs it.
  const areaOfIncident = async (): Promise<string | null> => {
    if (areaId !== undefined) return areaId;
    if (!incident || !spatial) return (areaId = null);
    const { areasHit } = await spatial.query({ shape: { type: 'point', lon: incident.lon, lat: incident.lat }, groupBy: [], limit: 0 });
    return (areaId = areasHit?.[0] ?? null);
  };
  // Inline, not a helper awaited: awaiting one would defer `record` even when nothing is queried.
  const queries: ActivationFigures['queries'] = [];
  for (const { id, title, query } of definition.panels.queries) {
    try {
      if (!spatial) throw new Error('chỉ mục không gian chưa chạy / the spatial index is not running');
      const { shape } = query;
      let resolved;
      if (shape.type === 'radius-around-incident') {
        if (!incident) throw new Error('sự cố không gắn vị trí / the run has no incident location');
        resolved = { type: 'radius' as const, lon: incident.lon, lat: incident.lat, radiusM: shape.radiusM };
      } else if (shape.type === 'area-of-incident') {
        const area = await areaOfIncident();
        if (!area) {
          // the field may name a commune the imported boundaries do not place the point in: say both, not a contradiction
          const named = incident?.commune ? ` (${incident.commune})` : '';
          throw new Error(`vị trí sự cố${named} nằm ngoài ranh giới các xã, phường trong dữ liệu bản đồ đã nhập / the incident${named} lies outside the commune boundaries of the imported map data`);
        }
        resolved = { type: 'area' as const, areaId: area };
      } else resolved = shape;
      const result = await spatial.query({ ...query, shape: resolved, limit: 0 });
      queries.push({ id, title, total: result.total, groups: result.groups });
    } catch (error) {
      queries.push({ id, title, total: null, groups: [], error: (error as Error).message });
    }
  }
  const radiusKm = definition.cameras?.withinKm ?? DEFAULT_NEARBY_KM;
  const nearby = incident ? nearbyObjects(incident, radiusKm, sources.live) : [];
  record({ queries, indicators: indicatorValues(definition.panels.indicators, sources.indicators), nearby: nearby.slice(0, MAX_NEARBY), radiusKm });
}

/** The sensors (with their reading's state) and cameras within radiusKm of the incident, nearest first. */
function nearbyObjects(incident: ScenarioIncident, radiusKm: number, live: FigureSources['live']): ActivationFigures['nearby'] {
  const snapshot = live.snapshot();
  const latest = new Map(snapshot.readings.id.map((id, i) => [id, snapshot.readings.value[i]!]));
  const nearby: ActivationFigures['nearby'] = [];
  for (const s of snapshot.sensors) {
    const distanceM = distanceKm(incident, s.location) * 1000;
    const value = latest.get(s.id);
    if (distanceM <= radiusKm * 1000) nearby.push({ id: s.id, name: s.name, layer: 'sensor', kind: s.kind, state: value === undefined ? 'stale' : readingState(value, s.thresholds), lon: s.location.lon, lat: s.location.lat, distanceM: Math.round(distanceM) });
  }
  for (const c of snapshot.cameras) {
    const distanceM = distanceKm(incident, c.location) * 1000;
    if (distanceM <= radiusKm * 1000) nearby.push({ id: c.id, name: c.name, layer: 'camera', kind: 'camera', state: 'normal', lon: c.location.lon, lat: c.location.lat, distanceM: Math.round(distanceM) });
  }
  return nearby.sort((a, b) => a.distanceM - b.distanceM);
}

/** The scenario's indicators as they stand (an error instead when the service is not running or fails). */
function indicatorValues(ids: readonly string[], service: FigureSources['indicators']): ActivationFigures['indicators'] {
  if (ids.length === 0) return { values: [] };
  const port = service();
  if (!port) return { values: [], error: 'dịch vụ chỉ số chưa chạy / the indicator service is not running' };
  try {
    const { indicators } = port.list({ ids: [...ids], historyPoints: 0 });
    return { values: indicators.map(({ id, title, value, unit, target, status, period }) => ({ id, title, value, unit, target, status, period })) };
  } catch (error) {
    return { values: [], error: (error as Error).message };
  }
}
