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

/** At most this many feature indexes in ImportGeometryNotes. */
export const MAX_NOTED_FEATURES = 20;

/** What an import repaired or found in the file's geometries (docs/architecture.md, "Limits per file"). */
export const importGeometryNotes = z.strictObject({
  /** Polygon rings the file left open, closed by repeating their first position. */
  ringsClosed: z.int().min(0),
  /** Features with a self-intersecting polygon, imported unchanged: the map may fill them oddly and area queries may miss. */
  selfIntersecting: z.int().min(0),
  /** 0-based indexes (in file order) of the first of them, to find them in a GIS editor. */
  selfIntersectingFeatures: z.array(z.int().min(0)).max(MAX_NOTED_FEATURES),
  /** Polygons too tangled to check for crossings within the importer's work bound, imported unchecked. */
  crossingsUnchecked: z.int().min(0),
});
export type ImportGeometryNotes = z.infer<typeof importGeometryNotes>;

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
  /** Only on the summary an import answers with, and only when it has something to note. */
  geometryNotes: importGeometryNotes.optional(),
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
