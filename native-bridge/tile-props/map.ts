import { z } from 'zod';
import { datasetName } from '../gis-datasets.js';

/** The layers a map tile can show, drawn bottom to top in this order. */
export const mapLayerIds = [
  'basemap',
  'choropleth',
  'datasets-heat',
  'datasets',
  'flood',
  'traffic-heat',
  'traffic-roads',
  'reports',
  'sensors',
  'cameras',
  'objects',
  'alerts',
] as const;
export type MapLayerId = (typeof mapLayerIds)[number];

/** Where the map looks: WGS 84 centre, web-mercator zoom. Shared by every window showing the tile. */
export const mapView = z.strictObject({
  longitude: z.number().min(-180).max(180),
  latitude: z.number().min(-85).max(85),
  zoom: z.number().min(0).max(20),
  bearing: z.number().min(-360).max(360).default(0),
  pitch: z.number().min(0).max(60).default(0),
});
export type MapView = z.infer<typeof mapView>;

/** What the choropleth by commune counts (the same grouping a spatial query aggregates). */
export const choroplethMeasure = z.enum(['sensors-alarm', 'cameras', 'reports', 'events']);

/**
 * Props of a map tile. A map spanning displays is one view: every window draws its slice of the
 * same `view`, so panning from the console moves all slices together.
 */
export const mapProps = z.strictObject({
  view: mapView.default({ longitude: 106.93, latitude: 10.88, zoom: 10, bearing: 0, pitch: 0 }),
  layers: z.array(z.enum(mapLayerIds)).max(mapLayerIds.length).default(['basemap', 'choropleth', 'flood', 'traffic-roads', 'sensors', 'cameras', 'objects', 'alerts']),
  choropleth: choroplethMeasure.default('sensors-alarm'),
  legend: z.boolean().default(true),
  /** Point datasets (e.g. a province's asset registry) the 'datasets' and 'datasets-heat' layers draw. */
  datasets: z.array(datasetName).max(16).default([]),
});
