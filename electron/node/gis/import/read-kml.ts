/** KML: always WGS 84 lon/lat (KML 2.2 §6.2). Placemark ExtendedData becomes properties. */
import { parse } from '@loaders.gl/core';
import { KMLLoader } from '@loaders.gl/kml';
import { WGS84 } from './crs.js';
import { GisImportError, parseOrFail } from './gis-import-error.js';
import { NO_WORKERS, readBytes, type GisReader } from './raw-layer.js';

export const readKml: GisReader = async (file) => {
  const bytes = await readBytes(file);
  // xmldom only logs broken XML and returns what it could parse: a cut-off file would import its
  // first placemarks silently. A complete KML document ends with its root's closing tag.
  const tail = new TextDecoder().decode(bytes.slice(Math.max(0, bytes.byteLength - 64)));
  if (!/<\/([\w-]+:)?kml>\s*$/.test(tail)) throw new GisImportError(file, 'truncated: the document does not end with </kml>');
  const table = (await parseOrFail(file, () => parse(bytes, KMLLoader, { ...NO_WORKERS, kml: { shape: 'geojson-table' } }))) as {
    features?: { geometry: unknown; properties: Record<string, unknown> | null }[];
  };
  if (!Array.isArray(table.features)) throw new GisImportError(file, 'not a KML document');
  return { crs: WGS84, features: table.features.map((feature) => ({ geometry: feature.geometry, properties: feature.properties ?? {} })) };
};
