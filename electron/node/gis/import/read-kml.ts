/** KML: always WGS 84 lon/lat (KML 2.2 §6.2). Placemark ExtendedData becomes properties. */
import { parse } from '@loaders.gl/core';
import { KMLLoader } from '@loaders.gl/kml';
import { WGS84 } from './crs.js';
import { GisImportError, parseOrFail } from './gis-import-error.js';
import { NO_WORKERS, readBytes, type GisReader } from './raw-layer.js';

export const readKml: GisReader = async (file) => {
  const bytes = await readBytes(file);
  // xmldom only warns about broken XML and returns what it could parse; an import must refuse it.
  const table = (await parseOrFail(file, () =>
    parse(bytes, KMLLoader, { ...NO_WORKERS, kml: { shape: 'geojson-table' } }),
  )) as { features?: { geometry: unknown; properties: Record<string, unknown> | null }[] };
  if (!Array.isArray(table.features)) throw new GisImportError(file, 'not a KML document');
  return { crs: WGS84, features: table.features.map((feature) => ({ geometry: feature.geometry, properties: feature.properties ?? {} })) };
};
