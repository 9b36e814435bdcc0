/** GeoJSON (.geojson, .json): a FeatureCollection, a Feature or a bare geometry; an optional 2008-style `crs` member. */
import { crsFromEpsg, crsFromName, WGS84, type SourceCrs } from './crs.js';
import { GisImportError } from './gis-import-error.js';
import { firstTooDeep } from './json-depth.js';
import { MAX_JSON_DEPTH, readText, type GisReader, type RawFeature } from './raw-layer.js';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

export const readGeoJson: GisReader = async (file, options) => {
  const text = await readText(file);
  const tooDeep = firstTooDeep(text, MAX_JSON_DEPTH);
  if (tooDeep >= 0) throw new GisImportError(file, `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects (at character ${tooDeep}); no GeoJSON needs that many`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new GisImportError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null) throw new GisImportError(file, 'not a GeoJSON object');
  const root = doc as { type?: unknown; features?: unknown; crs?: unknown };
  const crs = crsOf(root.crs, file) ?? (options.crs ? crsFromName(options.crs, file) : WGS84);
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw new GisImportError(file, 'FeatureCollection has no "features" array');
    return { crs, features: root.features.map((feature, index) => featureOf(feature, index, file)) };
  }
  if (root.type === 'Feature') return { crs, features: [featureOf(root, 0, file)] };
  if (typeof root.type === 'string' && GEOMETRY_TYPES.has(root.type)) return { crs, features: [{ geometry: root, properties: {} }] };
  throw new GisImportError(file, `not GeoJSON: type is ${JSON.stringify(root.type)}`);
};

function featureOf(value: unknown, index: number, file: string): RawFeature {
  const feature = value as { type?: unknown; geometry?: unknown; properties?: unknown } | null;
  if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature') throw new GisImportError(file, 'not a GeoJSON Feature', index);
  const properties = feature.properties ?? {};
  if (typeof properties !== 'object' || Array.isArray(properties)) throw new GisImportError(file, 'properties is not an object', index);
  return { geometry: feature.geometry, properties: properties as Record<string, unknown> };
}

/** The `crs` member of GeoJSON 2008 (dropped by RFC 7946 but still written by GDAL and QGIS). */
function crsOf(member: unknown, file: string): SourceCrs | null {
  if (member === undefined || member === null) return null;
  const { type, properties } = member as { type?: unknown; properties?: { name?: unknown; code?: unknown } };
  if (type === 'name' && typeof properties?.name === 'string') return crsFromName(properties.name, file);
  if (type === 'EPSG' && (typeof properties?.code === 'number' || typeof properties?.code === 'string')) return crsFromEpsg(Number(properties.code), file);
  throw new GisImportError(file, `unsupported "crs" member ${JSON.stringify(member)}`);
}
