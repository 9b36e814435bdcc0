/**
 * ESRI Shapefile: the .shp geometries, the .dbf attributes (required), the .prj CRS and the .cpg
 * naming the .dbf's text encoding. loaders.gl's parsers skip what they cannot read and stop quietly
 * at a truncated end, so the lengths and record counts are checked here against the headers.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from '@loaders.gl/core';
import { convertBinaryGeometryToGeometry } from '@loaders.gl/gis';
import { DBFLoader, SHPLoader } from '@loaders.gl/shapefile';
import { crsFromName, crsFromWkt, WGS84 } from './crs.js';
import { GisImportError, parseOrFail, parseSyncOrFail } from './gis-import-error.js';
import { NO_WORKERS, readBytes, readText, type GisReader } from './raw-layer.js';

const SHP_HEADER_BYTES = 100;

/** Finds a sidecar with the .shp's stem in either case (data.shp + data.DBF happens). */
function sidecar(shpFile: string, extension: string): string | null {
  const stem = shpFile.replace(/\.[^./\\]+$/, '');
  for (const candidate of [`${stem}.${extension}`, `${stem}.${extension.toUpperCase()}`]) if (existsSync(candidate)) return candidate;
  return null;
}

/** The .cpg names a code page as ArcGIS or QGIS wrote it ("UTF-8", "65001", "1258", "ANSI 1258", "8859_1" …). */
export function dbfEncoding(cpg: string, cpgFile: string): string {
  const name = cpg.trim().replace(/^ANSI\s*/i, '');
  const label = /^\d+$/.test(name)
    ? name === '65001'
      ? 'utf-8'
      : `windows-${name}`
    : /^8859[_-]?(\d+)$/i.test(name)
      ? `iso-8859-${/(\d+)$/.exec(name)![1]}`
      : name;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new GisImportError(cpgFile, `unsupported text encoding "${cpg.trim()}"`);
  }
}

/** Without a .cpg: UTF-8 if the bytes are valid UTF-8, else Windows-1258, Vietnam's ANSI code page. */
function guessEncoding(dbf: ArrayBuffer): string {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf);
    return 'utf-8';
  } catch {
    return 'windows-1258';
  }
}

export const readShapefile: GisReader = async (file, options) => {
  const dbfFile = sidecar(file, 'dbf');
  if (!dbfFile) throw new GisImportError(file, `its attribute file ${basename(file).replace(/\.[^.]+$/, '.dbf')} is missing`);
  const shpBytes = await readBytes(file);
  const dbfBytes = await readBytes(dbfFile);
  const prjFile = sidecar(file, 'prj');
  const cpgFile = sidecar(file, 'cpg');
  const crs = prjFile ? crsFromWkt(await readText(prjFile), prjFile) : options.crs ? crsFromName(options.crs, file) : WGS84;
  const encoding = cpgFile ? dbfEncoding(await readText(cpgFile), cpgFile) : guessEncoding(dbfBytes);

  if (shpBytes.byteLength < SHP_HEADER_BYTES) throw new GisImportError(file, `too short for a shapefile (${shpBytes.byteLength} bytes)`);
  const shp = await parseOrFail(file, () => parse(shpBytes, SHPLoader, NO_WORKERS) as Promise<{ header?: { length: number }; geometries: unknown[]; error?: string }>);
  if (shp.error) throw new GisImportError(file, shp.error);
  // loaders.gl has already turned the header's 16-bit word count into bytes
  const declaredBytes = shp.header?.length ?? 0;
  if (declaredBytes !== shpBytes.byteLength) throw new GisImportError(file, `truncated or corrupt: its header says ${declaredBytes} bytes, the file has ${shpBytes.byteLength}`);

  const rows = await parseOrFail(dbfFile, () => parse(dbfBytes, DBFLoader, { ...NO_WORKERS, dbf: { encoding, shape: 'rows' } }) as Promise<Record<string, unknown>[]>);
  const declaredRecords = dbfBytes.byteLength >= 8 ? new DataView(dbfBytes).getUint32(4, true) : -1;
  if (rows.length !== declaredRecords) throw new GisImportError(dbfFile, `truncated or corrupt: its header says ${declaredRecords} records, ${rows.length} could be read`);
  if (rows.length !== shp.geometries.length) {
    throw new GisImportError(file, `has ${shp.geometries.length} shapes but ${basename(dbfFile)} has ${rows.length} records (a damaged record was skipped?)`);
  }

  return {
    crs,
    features: shp.geometries.map((geometry, index) => ({
      // A null shape (type 0) stays null and is reported by the geometry check.
      geometry: geometry ? parseSyncOrFail(file, () => convertBinaryGeometryToGeometry(geometry as never), index) : null,
      properties: rows[index]!,
    })),
  };
};
