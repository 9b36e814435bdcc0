/**
 * The layers of a map tile, built from the live picture and the host's datasets. Layers are cheap
 * descriptors: deck.gl diffs them by id and only recomputes an attribute when its data or its
 * update trigger changed, so a batch of readings recolours points without re-uploading positions.
 */
import type { Layer } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { MVTLayer } from '@deck.gl/geo-layers';
import { MVTLoader } from '@loaders.gl/mvt';
import { GeoJsonLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { LiveCamera, LiveEvent, LiveObject, LiveReport, LiveSensor } from '../../native-bridge/contract.js';
import { liveData, readingState, type ReadingState } from '../session/live-store.js';
import type { MapLayerId } from '../../native-bridge/tile-props/map.js';
import { layerIdFor } from './window-deck.js';
import { dataRequestHeaders } from './data-requests.js';
import { maxOf } from '../../native-bridge/extremes.js';

export type Rgba = [number, number, number, number];

export const stateColors: Record<ReadingState | 'stale', Rgba> = {
  normal: [46, 160, 67, 230],
  warning: [245, 166, 35, 240],
  critical: [230, 57, 70, 250],
  stale: [140, 140, 150, 200],
};
export const cameraColor: Rgba = [56, 139, 253, 240];
export const reportColor: Rgba = [163, 113, 247, 220];
export const objectColor: Rgba = [0, 200, 200, 240];
export const floodColor: Rgba = [30, 110, 230, 90];
export const datasetPointColor: Rgba = [255, 214, 102, 200];

/** Points as deck.gl binary attributes: `length` rows, positions as lon, lat Float32 pairs. */
export interface BinaryPoints {
  length: number;
  attributes: { getPosition: { value: Float32Array; size: 2 } };
}

export const MAP_FONT = '"Be Vietnam Pro", sans-serif';

export interface MapData {
  basemapUrl: string;
  sensors: readonly LiveSensor[];
  readingsVersion: number;
  cameras: readonly LiveCamera[];
  events: readonly LiveEvent[];
  objects: readonly LiveObject[];
  reports: readonly LiveReport[];
  communes: FeatureCollection | null;
  roadSegments: FeatureCollection | null;
  /** The points of the tile's point datasets; null when it shows none or they are not fetched yet. */
  datasetPoints: BinaryPoints | null;
  /** Per commune id, the value the choropleth shows; null until the host answered. */
  choropleth: ReadonlyMap<string, number> | null;
  /** 0..1, advanced a few times a second while incidents are active: alert rings pulse. */
  pulse: number;
}

export function sensorState(sensor: LiveSensor, now: number): ReadingState | 'stale' {
  const series = liveData.seriesOf(sensor.id);
  if (!series) return 'stale';
  if (now - series.at > 5 * 60_000) return 'stale';
  return readingState(series.value, sensor.thresholds);
}

function sensorLabel(sensor: LiveSensor): string {
  const series = liveData.seriesOf(sensor.id);
  if (!series || !Number.isFinite(series.value)) return '';
  const value = Math.abs(series.value) >= 100 ? series.value.toFixed(0) : series.value.toFixed(1);
  return `${value.replace('.', ',')} ${sensor.unit}`.trim();
}

/** How congested a traffic sensor's road is, 0 (free flow) … 1 (standstill), from its speed thresholds. */
export function congestion(sensor: LiveSensor): number {
  const series = liveData.seriesOf(sensor.id);
  const warning = sensor.thresholds.warning ?? 15;
  if (!series || !Number.isFinite(series.value)) return 0;
  const freeish = warning * 3;
  return Math.max(0, Math.min(1, (freeish - series.value) / freeish));
}

/** Flood extent radius (m) around a water-level station over its warning level, 0 when below. */
export function floodRadiusM(sensor: LiveSensor): number {
  const series = liveData.seriesOf(sensor.id);
  const { warning, critical } = sensor.thresholds;
  if (!series || warning === undefined || series.value < warning) return 0;
  const span = critical !== undefined && critical > warning ? critical - warning : 1;
  return 400 + 1600 * Math.min(2, (series.value - warning) / span);
}

const choroplethRamp: Rgba[] = [
  [255, 255, 204, 70],
  [254, 217, 118, 110],
  [253, 141, 60, 140],
  [227, 26, 28, 160],
];

export function choroplethColor(value: number, max: number): Rgba {
  if (!(value > 0) || !(max > 0)) return [0, 0, 0, 0];
  const index = Math.min(choroplethRamp.length - 1, Math.floor((value / max) * choroplethRamp.length));
  return choroplethRamp[index] as Rgba;
}

const basemapFill: Record<string, Rgba> = {
  country: [28, 34, 44, 255],
  province: [34, 44, 58, 255],
  commune: [0, 0, 0, 0],
  water: [36, 84, 140, 255],
};
const basemapLine: Record<string, Rgba> = {
  country: [120, 130, 150, 255],
  province: [200, 200, 210, 255],
  commune: [110, 120, 140, 200],
  water: [60, 120, 190, 255],
  road: [150, 140, 110, 255],
};
const roadWidth: Record<string, number> = { motorway: 4, trunk: 3, primary: 2, secondary: 1 };

type BasemapFeature = Feature<Geometry, { layerName?: string; name?: string; class?: string; kind?: string }>;

// Module-level accessors: the same functions on every rebuild, so deck.gl sees unchanged props and
// does not redraw the base map when only live data changed.
const basemapFillOf = (f: BasemapFeature) => basemapFill[f.properties.layerName ?? ''] ?? [0, 0, 0, 0];
const basemapLineOf = (f: BasemapFeature) => basemapLine[f.properties.layerName ?? ''] ?? [90, 90, 90, 255];
const basemapLineWidthOf = (f: BasemapFeature) => (f.properties.layerName === 'road' ? (roadWidth[f.properties.class ?? ''] ?? 1) : f.properties.layerName === 'province' ? 2 : 1);
const basemapTextOf = (f: BasemapFeature) => f.properties.name ?? '';
const basemapTextSizeOf = (f: BasemapFeature) => (f.properties.kind === 'city' ? 16 : 13);
// core.fetch: deck.gl adds its abort signal there and keeps the rest (the token's header)
const MVT_LOAD_OPTIONS = { worker: false, mvt: { layerProperty: 'layerName' }, core: { fetch: { headers: dataRequestHeaders } } };
const MVT_LOADERS = [MVTLoader];
const TEXT_FONT_SETTINGS = { sdf: true };
const WORLD: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]] } };

/** The vector base map, over a plain background where the tile set has no tiles (sea, beyond the province). */
function basemapLayer(id: string, url: string): Layer {
  return new MVTLayer<BasemapFeature['properties']>({
    id,
    data: url,
    minZoom: 4,
    maxZoom: 13,
    // The main-thread MVT parser, no worker: loaders.gl would fetch its worker script from a CDN
    // (and the wall has no internet). Tiles are small; parsing them here costs little.
    loaders: MVT_LOADERS,
    loadOptions: MVT_LOAD_OPTIONS,
    filled: true,
    stroked: true,
    pointType: 'text',
    getFillColor: basemapFillOf,
    getLineColor: basemapLineOf,
    getLineWidth: basemapLineWidthOf,
    lineWidthUnits: 'pixels',
    getText: basemapTextOf,
    getTextSize: basemapTextSizeOf,
    getTextColor: [225, 230, 240, 255],
    textFontFamily: MAP_FONT,
    textCharacterSet: 'auto',
    textOutlineWidth: 3,
    textOutlineColor: [10, 14, 20, 255],
    textFontSettings: TEXT_FONT_SETTINGS,
    pickable: false,
  });
}

/** Fills the view where no base-map tile exists (the tile set covers the province in detail only). */
function backgroundLayer(id: string): Layer {
  return new GeoJsonLayer({ id, data: [WORLD], filled: true, stroked: false, getFillColor: [18, 24, 33, 255] });
}

export function buildMapLayers(viewId: string, shown: readonly MapLayerId[], data: MapData, now: number): Layer[] {
  const id = (name: string) => layerIdFor(viewId, name);
  const on = new Set(shown);
  const layers: Layer[] = [];

  if (on.has('basemap')) layers.push(backgroundLayer(id('background')), basemapLayer(id('basemap'), data.basemapUrl));

  if (on.has('choropleth') && data.communes) {
    const values = data.choropleth ?? new Map<string, number>();
    const max = Math.max(0, maxOf(values.values()));
    layers.push(
      new GeoJsonLayer({
        id: id('choropleth'),
        data: data.communes,
        filled: true,
        stroked: true,
        getFillColor: (f: Feature) => choroplethColor(values.get(String(f.properties?.id)) ?? 0, max),
        getLineColor: [140, 150, 170, 160],
        getLineWidth: 1,
        lineWidthUnits: 'pixels',
        updateTriggers: { getFillColor: [data.choropleth] },
        pickable: true,
      }),
    );
  }

  if (on.has('datasets-heat') && data.datasetPoints) {
    layers.push(new HeatmapLayer({ id: id('datasets-heat'), data: data.datasetPoints, radiusPixels: 30, intensity: 1 }));
  }

  if (on.has('datasets') && data.datasetPoints) {
    layers.push(
      new ScatterplotLayer({
        id: id('datasets'),
        data: data.datasetPoints,
        getRadius: 1.5,
        radiusUnits: 'pixels',
        getFillColor: datasetPointColor,
      }),
    );
  }

  const waterLevels = data.sensors.filter((s) => s.kind === 'water-level');
  if (on.has('flood')) {
    layers.push(
      new ScatterplotLayer<LiveSensor>({
        id: id('flood'),
        data: waterLevels,
        getPosition: (s) => [s.location.lon, s.location.lat],
        getRadius: floodRadiusM,
        radiusUnits: 'meters',
        getFillColor: floodColor,
        stroked: true,
        getLineColor: [80, 160, 255, 200],
        lineWidthMinPixels: 2,
        updateTriggers: { getRadius: data.readingsVersion },
      }),
    );
  }

  const traffic = data.sensors.filter((s) => s.kind === 'traffic');
  if (on.has('traffic-heat')) {
    layers.push(
      new HeatmapLayer<LiveSensor>({
        id: id('traffic-heat'),
        data: traffic,
        getPosition: (s) => [s.location.lon, s.location.lat],
        getWeight: congestion,
        radiusPixels: 60,
        intensity: 1.5,
        updateTriggers: { getWeight: data.readingsVersion },
      }),
    );
  }

  if (on.has('traffic-roads') && data.roadSegments) {
    const bySensor = new Map(traffic.map((s) => [s.id, s]));
    layers.push(
      new GeoJsonLayer({
        id: id('traffic-roads'),
        data: data.roadSegments,
        stroked: true,
        filled: false,
        getLineColor: (f: Feature) => {
          const sensor = bySensor.get(String(f.properties?.sensorId));
          return sensor ? stateColors[sensorState(sensor, now)] : stateColors.stale;
        },
        getLineWidth: 6,
        lineWidthUnits: 'pixels',
        lineCapRounded: true,
        updateTriggers: { getLineColor: [data.readingsVersion, traffic] },
      }),
    );
  }

  if (on.has('reports')) {
    layers.push(
      new ScatterplotLayer<LiveReport>({
        id: id('reports'),
        data: data.reports,
        getPosition: (r) => [r.location.lon, r.location.lat],
        getRadius: 6,
        radiusUnits: 'pixels',
        getFillColor: reportColor,
        stroked: true,
        getLineColor: [255, 255, 255, 200],
        lineWidthMinPixels: 1,
        pickable: true,
      }),
    );
  }

  if (on.has('sensors')) {
    const sensors = data.sensors.filter((s) => s.kind !== 'smart-light' || sensorState(s, now) !== 'normal');
    layers.push(
      new ScatterplotLayer<LiveSensor>({
        id: id('sensors'),
        data: sensors,
        getPosition: (s) => [s.location.lon, s.location.lat],
        getRadius: (s) => (sensorState(s, now) === 'critical' ? 10 : 7),
        radiusUnits: 'pixels',
        getFillColor: (s) => stateColors[sensorState(s, now)],
        stroked: true,
        getLineColor: [10, 14, 20, 255],
        lineWidthMinPixels: 1.5,
        pickable: true,
        updateTriggers: { getFillColor: data.readingsVersion, getRadius: data.readingsVersion },
      }),
      new TextLayer<LiveSensor>({
        id: id('sensor-values'),
        data: sensors.filter((s) => s.kind !== 'fire-alarm' && s.kind !== 'smart-light'),
        getPosition: (s) => [s.location.lon, s.location.lat],
        getText: sensorLabel,
        getSize: 12,
        getPixelOffset: [0, -16],
        getColor: (s) => (sensorState(s, now) === 'normal' ? [220, 225, 235, 255] : stateColors[sensorState(s, now)]),
        fontFamily: MAP_FONT,
        characterSet: 'auto',
        outlineWidth: 3,
        outlineColor: [10, 14, 20, 255],
        fontSettings: { sdf: true },
        updateTriggers: { getText: data.readingsVersion, getColor: data.readingsVersion },
      }),
    );
  }

  if (on.has('cameras')) {
    layers.push(
      new ScatterplotLayer<LiveCamera>({
        id: id('cameras'),
        data: data.cameras,
        getPosition: (c) => [c.location.lon, c.location.lat],
        getRadius: 8,
        radiusUnits: 'pixels',
        getFillColor: cameraColor,
        stroked: true,
        getLineColor: [255, 255, 255, 255],
        lineWidthMinPixels: 2,
        pickable: true,
      }),
    );
  }

  if (on.has('objects')) {
    layers.push(
      new PathLayer<LiveObject>({
        id: id('object-trails'),
        data: data.objects,
        getPath: (o) => o.trail.map(([lon, lat]) => [lon, lat] as [number, number]),
        getColor: [0, 200, 200, 140],
        getWidth: 2,
        widthUnits: 'pixels',
      }),
      new ScatterplotLayer<LiveObject>({
        id: id('objects'),
        data: data.objects,
        getPosition: (o) => [o.location.lon, o.location.lat],
        getRadius: 6,
        radiusUnits: 'pixels',
        getFillColor: objectColor,
        stroked: true,
        getLineColor: [10, 14, 20, 255],
        lineWidthMinPixels: 1,
        pickable: true,
      }),
    );
  }

  if (on.has('alerts')) {
    const active = data.events.filter((e) => !e.cleared && e.location);
    layers.push(
      new ScatterplotLayer<LiveEvent>({
        id: id('alerts'),
        data: active,
        getPosition: (e) => [e.location?.lon ?? 0, e.location?.lat ?? 0],
        getRadius: (e) => (e.severity === 'critical' ? 22 : 16) + 10 * data.pulse,
        radiusUnits: 'pixels',
        filled: false,
        stroked: true,
        getLineColor: (e) => (e.severity === 'critical' ? stateColors.critical : stateColors.warning),
        getLineWidth: 4,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getRadius: data.pulse },
      }),
    );
  }

  return layers;
}
