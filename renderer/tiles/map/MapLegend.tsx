/** The map's legend: one row per shown layer with its colour, a count, and how old its data is. */
import { useTranslation } from 'react-i18next';
import { useNow } from '../../hooks/useNow.js';
import { cameraColor, datasetPointColor, floodColor, floodRadiusM, objectColor, reportColor, stateColors, type MapData, type Rgba } from '../../map/layers.js';
import { liveData, STALE_AFTER_MS } from '../../session/live-store.js';
import type { MapLayerId } from '../../../native-bridge/tile-props/map.js';
import { maxOf } from '../../../native-bridge/extremes.js';

interface LegendRow {
  layer: MapLayerId;
  color: Rgba;
  count: number;
  /** Newest data time of the layer (epoch ms), null when it has no timed data. */
  newest: number | null;
}

const css = ([r, g, b, a]: Rgba) => `rgba(${r}, ${g}, ${b}, ${Math.max(0.5, a / 255)})`;

function newestReading(ids: readonly string[]): number | null {
  let newest: number | null = null;
  for (const id of ids) {
    const at = liveData.seriesOf(id)?.at;
    if (at !== undefined && (newest === null || at > newest)) newest = at;
  }
  return newest;
}

const newestOf = (times: readonly number[]): number | null => (times.length === 0 ? null : maxOf(times));

export function legendRows(shown: readonly MapLayerId[], data: MapData): LegendRow[] {
  const rows: LegendRow[] = [];
  const sensorsOf = (kind?: string) => data.sensors.filter((s) => kind === undefined || s.kind === kind);
  for (const layer of shown) {
    if (layer === 'basemap' || layer === 'choropleth') continue;
    if (layer === 'sensors') {
      const ids = sensorsOf().map((s) => s.id);
      rows.push({ layer, color: stateColors.normal, count: ids.length, newest: newestReading(ids) });
    } else if (layer === 'flood') {
      const stations = sensorsOf('water-level');
      rows.push({ layer, color: floodColor, count: stations.filter((s) => floodRadiusM(s) > 0).length, newest: newestReading(stations.map((s) => s.id)) });
    } else if (layer === 'traffic-heat' || layer === 'traffic-roads') {
      const roads = sensorsOf('traffic');
      rows.push({ layer, color: stateColors.warning, count: roads.length, newest: newestReading(roads.map((s) => s.id)) });
    } else if (layer === 'datasets' || layer === 'datasets-heat') {
      rows.push({ layer, color: datasetPointColor, count: data.datasetPoints?.length ?? 0, newest: null });
    } else if (layer === 'cameras') {
      rows.push({ layer, color: cameraColor, count: data.cameras.length, newest: null });
    } else if (layer === 'objects') {
      rows.push({ layer, color: objectColor, count: data.objects.length, newest: newestOf(data.objects.map((o) => o.at)) });
    } else if (layer === 'reports') {
      rows.push({ layer, color: reportColor, count: data.reports.length, newest: newestOf(data.reports.map((r) => r.at)) });
    } else {
      const active = data.events.filter((e) => !e.cleared);
      rows.push({ layer, color: stateColors.critical, count: active.length, newest: newestOf(data.events.map((e) => e.at)) });
    }
  }
  return rows;
}

export function MapLegend({
  shown,
  data,
  measure,
  choropleth,
}: {
  shown: readonly MapLayerId[];
  data: MapData;
  measure: string;
  choropleth: ReadonlyMap<string, number> | null;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const rows = legendRows(shown, data);
  const age = (newest: number | null) => {
    if (newest === null) return '';
    const seconds = Math.max(0, Math.round((now - newest) / 1000));
    if (now - newest > STALE_AFTER_MS) return t('map.stale', { minutes: Math.round(seconds / 60) });
    return t('map.age', { seconds });
  };
  return (
    <div className="map-legend" data-testid="map-legend">
      {shown.includes('choropleth') ? (
        <div className="map-legend-row" data-layer="choropleth">
          <span className="map-legend-ramp" />
          <span className="map-legend-name">{t(`map.choropleth.${measure}`)}</span>
          <span className="map-legend-count">{choropleth ? Math.max(0, maxOf(choropleth.values())) : '…'}</span>
        </div>
      ) : null}
      {rows.map((row) => (
        <div key={row.layer} className={`map-legend-row${row.newest !== null && now - row.newest > STALE_AFTER_MS ? ' stale' : ''}`} data-layer={row.layer}>
          <span className="map-legend-swatch" style={{ background: css(row.color) }} />
          <span className="map-legend-name">{t(`map.layers.${row.layer}`)}</span>
          <span className="map-legend-count">{row.count}</span>
          <span className="map-legend-age">{age(row.newest)}</span>
        </div>
      ))}
    </div>
  );
}
