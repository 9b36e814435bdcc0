/**
 * Named GIS datasets imported from official files (Shapefile, GeoPackage, KML, …) and stored by the
 * host in WGS 84. Shared by the importer, its CLI and whoever lists datasets. Plain zod: no Node.
 */
import { z } from 'zod';

export const DATASET_NAME_PATTERN = /^[a-z0-9][a-z0-9-_]{0,63}$/;
export const datasetName = z.string().regex(DATASET_NAME_PATTERN, 'a dataset name is 1–64 of a-z 0-9 - _, starting with a letter or digit');

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
/** [minLon, minLat, maxLon, maxLat] in WGS 84 degrees. */
export const wgs84Bbox = z.tuple([longitude, latitude, longitude, latitude]);
export type Wgs84Bbox = z.infer<typeof wgs84Bbox>;

export const gisFileFormat = z.enum(['geojson', 'shapefile', 'geopackage', 'kml', 'flatgeobuf', 'csv']);
export type GisFileFormat = z.infer<typeof gisFileFormat>;

export const datasetSummary = z.strictObject({
  name: datasetName,
  features: z.int().min(0),
  bbox: wgs84Bbox,
  /** The CRS the file was in, e.g. "EPSG:4326" or "VN-2000 / UTM zone 48N". */
  sourceCrs: z.string().min(1),
  /** The imported file's base name. */
  sourceFile: z.string().min(1),
  format: gisFileFormat,
  importedAt: z.int().min(0),
});
export type DatasetSummary = z.infer<typeof datasetSummary>;

export const importPhase = z.enum(['read', 'reproject', 'write']);
export type ImportPhase = z.infer<typeof importPhase>;

export const importProgress = z.strictObject({
  file: z.string(),
  phase: importPhase,
  done: z.int().min(0),
  total: z.int().min(0),
});
export type ImportProgress = z.infer<typeof importProgress>;

/** The last stdout line of `npm run import`, for scripts. */
export const importCliResult = z.strictObject({
  dataset: datasetName,
  features: z.int().min(0),
  bbox: wgs84Bbox,
  source_crs: z.string().min(1),
});
export type ImportCliResult = z.infer<typeof importCliResult>;
