/** FlatGeobuf (.fgb): the header holds the CRS and the feature count, against which a truncated file is caught. */
import { parse } from '@loaders.gl/core';
import { FlatGeobufLoader } from '@loaders.gl/flatgeobuf';
import { crsFromEpsg, crsFromName, crsFromWkt, WGS84, type SourceCrs } from './crs.js';
import { GisImportError, parseOrFail } from './gis-import-error.js';
import { NO_WORKERS, readBytes, type GisReader } from './raw-layer.js';

interface FgbCrs {
  org?: string | null;
  code?: number;
  wkt?: string | null;
}

interface FgbTable {
  features: { geometry: unknown; properties: Record<string, unknown> | null }[];
  schema?: { metadata?: { crs?: string; featureCount?: string } };
}

const MAGIC = [0x66, 0x67, 0x62]; // "fgb"

export const readFlatGeobuf: GisReader = async (file, options) => {
  const bytes = await readBytes(file);
  const head = new Uint8Array(bytes, 0, Math.min(3, bytes.byteLength));
  if (!MAGIC.every((byte, i) => head[i] === byte)) throw new GisImportError(file, 'not a FlatGeobuf file');
  const table = (await parseOrFail(file, () => parse(bytes, FlatGeobufLoader, { ...NO_WORKERS, flatgeobuf: { shape: 'geojson-table' } }))) as FgbTable;
  const declared = Number(table.schema?.metadata?.featureCount);
  // 0 means "unknown" in a streamed file's header
  if (declared > 0 && declared !== table.features.length) {
    throw new GisImportError(file, `truncated or corrupt: its header says ${declared} features, ${table.features.length} could be read`);
  }
  const crsMeta = table.schema?.metadata?.crs;
  const crs = crsMeta ? crsOf(JSON.parse(crsMeta) as FgbCrs | null, file) : null;
  return {
    crs: crs ?? (options.crs ? crsFromName(options.crs, file) : WGS84),
    features: table.features.map((feature) => ({ geometry: feature.geometry, properties: feature.properties ?? {} })),
  };
};

function crsOf(meta: FgbCrs | null, file: string): SourceCrs | null {
  if (!meta) return null;
  if ((meta.org ?? 'EPSG').toUpperCase() === 'EPSG' && meta.code) return crsFromEpsg(meta.code, file);
  if (meta.wkt) return crsFromWkt(meta.wkt, file);
  return null;
}
