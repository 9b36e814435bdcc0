/**
 * Imports one GIS file into a named dataset: read it whole, check every feature, reproject to
 * WGS 84, then replace the dataset in one transaction, so a bad file never leaves a half-written
 * dataset and the previous version stays until the new one is complete. Open rings are closed and
 * self-intersecting polygons counted: the returned summary's geometryNotes say so.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Geometry } from 'geojson';
import { DATASET_NAME_PATTERN, MAX_NOTED_FEATURES, type DatasetSummary, type GisFileFormat, type ImportGeometryNotes, type ImportPhase, type ImportProgress } from '../../../../native-bridge/gis-datasets.js';
import type { DatasetStore, StoredFeatureInput } from '../dataset-store.js';
import { toWgs84 } from './crs.js';
import { checkGeometry, closeOpenRings, geometryBbox, mapPositions, polygonCrossings, unionBbox, type Bbox } from './geometry.js';
import { GisImportError } from './gis-import-error.js';
import { fileProblem, type GisReader, type ReaderOptions } from './raw-layer.js';
import { readCsv } from './read-csv.js';
import { readFlatGeobuf } from './read-flatgeobuf.js';
import { readGeoJson } from './read-geojson.js';
import { readGeopackage } from './read-geopackage.js';
import { readKml } from './read-kml.js';
import { readShapefile } from './read-shapefile.js';
import { datasetNameFromFile } from './slug.js';

export { GisImportError } from './gis-import-error.js';

export interface ImportGisFileOptions extends ReaderOptions {
  store: DatasetStore;
  /** Defaults to the file name, slugified ("Ranh giới tỉnh.shp" → "ranh-gioi-tinh"). */
  dataset?: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

const FORMATS: Record<string, { format: GisFileFormat; read: GisReader }> = {
  '.geojson': { format: 'geojson', read: readGeoJson },
  '.json': { format: 'geojson', read: readGeoJson },
  '.shp': { format: 'shapefile', read: readShapefile },
  '.gpkg': { format: 'geopackage', read: readGeopackage },
  '.kml': { format: 'kml', read: readKml },
  '.fgb': { format: 'flatgeobuf', read: readFlatGeobuf },
  '.csv': { format: 'csv', read: readCsv },
};

/** Progress is reported every this many features, and at the end of each phase. */
const PROGRESS_EVERY = 1000;

export async function importGisFile(file: string, options: ImportGisFileOptions): Promise<DatasetSummary> {
  const { store, signal } = options;
  const extension = extname(file).toLowerCase();
  const reader = FORMATS[extension];
  if (!reader) throw new GisImportError(file, `unsupported file type "${extension}" (supported: ${Object.keys(FORMATS).join(', ')})`);
  const name = options.dataset ?? datasetNameFromFile(basename(file));
  if (!DATASET_NAME_PATTERN.test(name)) throw new GisImportError(file, `"${name}" is not a valid dataset name (1–64 of a-z 0-9 - _, starting with a letter or digit)`);
  const report = (phase: ImportPhase, done: number, total: number) => options.onProgress?.({ file, phase, done, total });

  // before any reader opens it: a GeoPackage goes to SQLite, the other formats through readBytes
  const found = await stat(file).catch(() => null);
  const problem = found && fileProblem(found, basename(file));
  if (problem) throw new GisImportError(file, problem);

  signal?.throwIfAborted();
  report('read', 0, 0);
  const layer = await reader.read(file, options);
  const total = layer.features.length;
  report('read', total, total);
  if (total === 0) throw new GisImportError(file, 'has no features');

  const project = toWgs84(layer.crs);
  const features: StoredFeatureInput[] = [];
  let bbox: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const notes: ImportGeometryNotes = { ringsClosed: 0, selfIntersecting: 0, selfIntersectingFeatures: [], crossingsUnchecked: 0 };
  for (const [index, raw] of layer.features.entries()) {
    if (index % PROGRESS_EVERY === 0) {
      // the host imports on the thread that serves the windows: let them (and the progress events) through
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      report('reproject', index, total);
    }
    notes.ringsClosed += closeOpenRings(raw.geometry);
    const problem = checkGeometry(raw.geometry);
    if (problem) throw new GisImportError(file, problem, index);
    const geometry = reproject(raw.geometry as Geometry, project, layer.crs.label, file, index);
    const crossings = polygonCrossings(geometry);
    if (crossings === 'unchecked') notes.crossingsUnchecked++;
    if (crossings === 'crosses') {
      notes.selfIntersecting++;
      if (notes.selfIntersectingFeatures.length < MAX_NOTED_FEATURES) notes.selfIntersectingFeatures.push(index);
    }
    const featureBbox = geometryBbox(geometry);
    bbox = unionBbox(bbox, featureBbox);
    features.push({ geometry, properties: normalizeProperties(raw.properties), bbox: featureBbox });
  }
  report('reproject', total, total);

  signal?.throwIfAborted();
  const summary: DatasetSummary = {
    name,
    features: total,
    bbox,
    sourceCrs: layer.crs.label,
    sourceFile: basename(file),
    format: reader.format,
    importedAt: Date.now(),
  };
  report('write', 0, total);
  store.replace(summary, features);
  report('write', total, total);
  return notes.ringsClosed + notes.selfIntersecting + notes.crossingsUnchecked > 0 ? { ...summary, geometryNotes: notes } : summary;
}

function reproject(geometry: Geometry, project: (position: number[]) => number[], crsLabel: string, file: string, index: number): Geometry {
  return mapPositions(geometry, (position) => {
    const [lon, lat, ...rest] = project(position);
    if (!(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon!) <= 180 && Math.abs(lat!) <= 90)) {
      throw new GisImportError(file, `position [${position.join(', ')}] in ${crsLabel} is not a longitude/latitude after reprojection (is the CRS right?)`, index);
    }
    return [lon!, lat!, ...rest];
  });
}

/** JSON-safe, NFC properties: Vietnamese text compares equal however the file composed its diacritics. */
function normalizeProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const normalized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) normalized[key.normalize('NFC')] = normalizeValue(value);
  return normalized;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}
