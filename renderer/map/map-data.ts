/**
 * What a map draws, gathered from the live store (sensors, readings, cameras, incidents, moving
 * objects, reports) and the host's GIS datasets (communes, road segments), which are fetched once
 * per window over HTTP from the same origin (they can be megabytes: not for the message channel).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { useLive } from '../session/live-hooks.js';
import type { MapLayerId } from '../../native-bridge/tile-props/map.js';
import { dataRequestHeaders, dataUrl, useDataUrl } from './data-requests.js';
import type { BinaryPoints, MapData } from './layers.js';
import { useGlRenderer } from './gl-renderer.js';

/** Vector tiles of the configured base map, served by the host from a local MBTiles/PMTiles file (on the node the window is on: dataUrl). */
export const BASEMAP_URL = '/basemap/{z}/{x}/{y}.pbf';

/** Datasets the default map style uses. */
export const COMMUNES_DATASET = 'communes';
export const ROAD_SEGMENTS_DATASET = 'road-segments';

const datasetRequests = new Map<string, Promise<FeatureCollection | null>>();

/** A dataset as GeoJSON, fetched once per window; null when the host has none by that name. */
export function fetchDataset(name: string): Promise<FeatureCollection | null> {
  let request = datasetRequests.get(name);
  if (!request) {
    request = fetch(dataUrl(`/gis/datasets/${encodeURIComponent(name)}.geojson`), { headers: dataRequestHeaders })
      .then(async (response) => (response.ok ? ((await response.json()) as FeatureCollection) : null))
      .catch((error: unknown) => {
        console.warn(`ioc-wall: dataset ${name}`, error);
        datasetRequests.delete(name); // try again next time
        return null;
      });
    datasetRequests.set(name, request);
  }
  return request;
}

export function useDataset(name: string): FeatureCollection | null {
  const [data, setData] = useState<FeatureCollection | null>(null);
  useEffect(() => {
    let alive = true;
    void fetchDataset(name).then((d) => alive && setData(d));
    return () => {
      alive = false;
    };
  }, [name]);
  return data;
}

const pointRequests = new Map<string, Promise<Float32Array | null>>();

/** A dataset's point positions (lon, lat Float32 pairs), fetched once per window; null when the host has none. */
export function fetchPointDataset(name: string): Promise<Float32Array | null> {
  let request = pointRequests.get(name);
  if (!request) {
    request = fetch(dataUrl(`/gis/datasets/${encodeURIComponent(name)}.points.bin`), { headers: dataRequestHeaders })
      .then(async (response) => (response.ok ? new Float32Array(await response.arrayBuffer()) : null))
      .catch((error: unknown) => {
        console.warn(`ioc-wall: point dataset ${name}`, error);
        pointRequests.delete(name); // try again next time
        return null;
      });
    pointRequests.set(name, request);
  }
  return request;
}

const NO_DATASETS: readonly string[] = [];

/** The point datasets a map's props ask for, none unless a layer draws them (no fetch for nothing). */
export function shownPointDatasets(props: { layers: readonly MapLayerId[]; datasets: readonly string[] }): readonly string[] {
  return props.layers.includes('datasets') || props.layers.includes('datasets-heat') ? props.datasets : NO_DATASETS;
}

/**
 * The points of the named datasets as one binary table for deck.gl, null until fetched. The object
 * stays the same while the names do: deck.gl compares `data` by reference, and a new one would
 * re-upload a million positions.
 */
export function usePointDatasets(names: readonly string[]): BinaryPoints | null {
  const [points, setPoints] = useState<BinaryPoints | null>(null);
  const key = names.join('\n');
  useEffect(() => {
    let alive = true;
    const wanted = key ? key.split('\n') : [];
    if (wanted.length === 0) {
      setPoints(null);
      return;
    }
    void Promise.all(wanted.map(fetchPointDataset)).then((parts) => {
      if (!alive) return;
      const found = parts.filter((p): p is Float32Array => p !== null);
      const value = found.length === 1 ? found[0]! : new Float32Array(found.reduce((n, p) => n + p.length, 0));
      if (found.length > 1) found.reduce((offset, p) => (value.set(p, offset), offset + p.length), 0);
      setPoints({ length: value.length / 2, attributes: { getPosition: { value, size: 2 } } });
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return points;
}

/** 0..1 phase advancing while `active`, for alert rings that draw the eye; coarse steps, each one is a redraw. */
export function usePulse(active: boolean, periodMs = 1600, stepMs = 800): number {
  const [phase, setPhase] = useState(0);
  useEffect(() => {
    if (!active) {
      setPhase(0);
      return;
    }
    const timer = setInterval(() => setPhase((Date.now() % periodMs) / periodMs), stepMs);
    return () => clearInterval(timer);
  }, [active, periodMs, stepMs]);
  return phase;
}

/**
 * How often a map takes new readings and positions. Batches come up to 10 times a second; a wall
 * map read from across the room gains nothing from redrawing that often, and on software WebGL
 * (SwiftShader) each redraw of a 1920×1080 window costs a core for tens of milliseconds.
 */
export const MAP_REFRESH_MS = 1000;

/** `value`, but changing at most once per `everyMs` (the latest value wins). */
export function useThrottled<T>(value: T, everyMs: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + everyMs - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, everyMs]);
  return shown;
}

export function useMapData(choropleth: ReadonlyMap<string, number> | null, datasets: readonly string[] = []): MapData {
  const sensorMap = useLive((s) => s.sensors);
  const readingsVersion = useThrottled(useLive((s) => s.readingsVersion), MAP_REFRESH_MS);
  const cameras = useLive((s) => s.cameraList);
  const events = useLive((s) => s.events);
  const reports = useLive((s) => s.reports);
  const objectMap = useLive((s) => s.objects);
  const objectsVersion = useThrottled(useLive((s) => s.objectsVersion), MAP_REFRESH_MS);
  const communes = useDataset(COMMUNES_DATASET);
  const roadSegments = useDataset(ROAD_SEGMENTS_DATASET);
  const datasetPoints = usePointDatasets(datasets);
  const sensors = useMemo(() => [...sensorMap.values()], [sensorMap]);
  // objects are mutated in place by the store; a new array per version lets deck.gl diff it
  const objects = useMemo(() => [...objectMap.values()], [objectMap, objectsVersion]);
  // on a CPU-rendered WebGL the rings hold still: a pulse would make every slot a redraw with no new data
  const software = useGlRenderer()?.software != null;
  const basemapUrl = useDataUrl(BASEMAP_URL);
  const pulse = usePulse(!software && events.some((e) => !e.cleared && e.location !== undefined));
  return useMemo(
    () => ({ basemapUrl, sensors, readingsVersion, cameras, events, objects, reports, communes, roadSegments, datasetPoints, choropleth, pulse }),
    [basemapUrl, sensors, readingsVersion, cameras, events, objects, reports, communes, roadSegments, datasetPoints, choropleth, pulse],
  );
}
