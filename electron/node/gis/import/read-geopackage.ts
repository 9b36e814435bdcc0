/**
 * GeoPackage (.gpkg), read straight from SQLite (a plain file, opened without a key): the feature table named in
 * gpkg_contents, its CRS from gpkg_spatial_ref_sys, and geometries as GeoPackage binary
 * (a "GP" header with an optional envelope, then standard WKB).
 */
import { openForeignReadOnly, type Db } from '../../sqlite-cipher.js';
import { WKBLoader } from '@loaders.gl/wkt';
import { crsFromEpsg, crsFromName, crsFromWkt, WGS84, type SourceCrs } from './crs.js';
import { GisImportError, parseSyncOrFail } from './gis-import-error.js';
import type { GisReader, RawFeature } from './raw-layer.js';

interface FeatureTable {
  table_name: string;
  column_name: string;
  srs_id: number;
}

interface SpatialRefSys {
  organization: string;
  organization_coordsys_id: number;
  definition: string;
}

/** Envelope sizes in bytes by the header's envelope indicator (GeoPackage 1.3 §2.1.3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The WKB inside a GeoPackage geometry blob; null for an empty geometry. */
export function gpkgBlobToWkb(blob: Uint8Array): Uint8Array | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no "GP" magic)');
  const flags = blob[3]!;
  if (flags & 0b100000) throw new Error('extended GeoPackage geometries are not supported');
  if (flags & 0b10000) return null;
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0b111];
  if (envelope === undefined) throw new Error('invalid envelope indicator in the geometry header');
  return blob.subarray(8 + envelope);
}

export const readGeopackage: GisReader = async (file, options) => {
  let db: Db;
  try {
    db = openForeignReadOnly(file);
  } catch (error) {
    throw new GisImportError(file, `cannot be opened (${(error as Error).message})`);
  }
  try {
    return readFeatureTable(db, file, options.layer, options.crs);
  } catch (error) {
    if (error instanceof GisImportError) throw error;
    // better-sqlite3 reports a damaged or foreign file only when it is first queried
    throw new GisImportError(file, `not a readable GeoPackage (${(error as Error).message})`);
  } finally {
    db.close();
  }
};

function readFeatureTable(db: Db, file: string, layer: string | undefined, fallbackCrs: string | undefined): { crs: SourceCrs; features: RawFeature[] } {
  const tables = db
    .prepare<[], FeatureTable>(
      `SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
       WHERE c.data_type = 'features' ORDER BY c.table_name`,
    )
    .all();
  if (tables.length === 0) throw new GisImportError(file, 'has no feature table');
  const table = layer ? tables.find((t) => t.table_name === layer) : tables[0];
  if (!table) throw new GisImportError(file, `has no feature table "${layer}" (it has ${tables.map((t) => t.table_name).join(', ')})`);
  if (!layer && tables.length > 1) throw new GisImportError(file, `has ${tables.length} feature tables (${tables.map((t) => t.table_name).join(', ')}): choose one`);

  const crs = crsOfSrs(db, table.srs_id, file, fallbackCrs);
  const primaryKeys = new Set(
    db
      .prepare<[], { name: string; pk: number }>(`PRAGMA table_info(${quoteIdentifier(table.table_name)})`)
      .all()
      .filter((column) => column.pk > 0)
      .map((column) => column.name),
  );
  const rows = db.prepare<[], Record<string, unknown>>(`SELECT * FROM ${quoteIdentifier(table.table_name)} ORDER BY rowid`).all();
  const features = rows.map((row, index): RawFeature => {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) if (key !== table.column_name && !primaryKeys.has(key)) properties[key] = value;
    const blob = row[table.column_name];
    if (blob === null || blob === undefined) return { geometry: null, properties };
    if (!(blob instanceof Uint8Array)) throw new GisImportError(file, 'geometry is not a GeoPackage binary blob', index);
    const geometry = parseSyncOrFail(
      file,
      () => {
        const wkb = gpkgBlobToWkb(blob);
        // a copy: better-sqlite3 hands out Buffers, whose .slice() shares (and .buffer exposes) the whole blob
        return wkb && WKBLoader.parseSync(new Uint8Array(wkb).buffer);
      },
      index,
    );
    return { geometry, properties };
  });
  return { crs, features };
}

function crsOfSrs(db: Db, srsId: number, file: string, fallbackCrs: string | undefined): SourceCrs {
  // 0 and -1 are the spec's "undefined geographic" and "undefined Cartesian" systems
  if (srsId === 0 || srsId === -1) {
    if (fallbackCrs) return crsFromName(fallbackCrs, file);
    if (srsId === 0) return WGS84;
    throw new GisImportError(file, 'its geometries are in an undefined Cartesian CRS (srs_id -1)');
  }
  const srs = db.prepare<[number], SpatialRefSys>('SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srsId);
  if (!srs) throw new GisImportError(file, `srs_id ${srsId} is not in gpkg_spatial_ref_sys`);
  if (srs.organization.toUpperCase() === 'EPSG') {
    try {
      return crsFromEpsg(srs.organization_coordsys_id, file);
    } catch (error) {
      // a code we do not know may still come with a usable WKT definition
      if (!srs.definition || srs.definition === 'undefined') throw error;
    }
  }
  return crsFromWkt(srs.definition, file);
}
