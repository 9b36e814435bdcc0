/**
 * CSV of points (lon/lat columns: lon, lng, long, longitude, x, kinh_do / lat, latitude, y, vi_do,
 * in any case, with or without Vietnamese diacritics) or of any geometry (a WKT column). Other
 * columns become properties; numbers are parsed unless a leading zero says the value is a code
 * ("00004" is a commune code, not 4). The CRS is WGS 84 unless the `crs` option names another.
 */
import { parse } from '@loaders.gl/core';
import { CSVLoader } from '@loaders.gl/csv';
import { WKTLoader } from '@loaders.gl/wkt';
import { crsFromName, WGS84 } from './crs.js';
import { GisImportError, parseOrFail, parseSyncOrFail } from './gis-import-error.js';
import { NO_WORKERS, readBytes, type GisReader, type RawFeature } from './raw-layer.js';
import { foldVietnamese } from './slug.js';

const LONGITUDE_COLUMNS = ['lon', 'lng', 'long', 'longitude', 'x', 'kinh_do'];
const LATITUDE_COLUMNS = ['lat', 'latitude', 'y', 'vi_do'];
const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'wkt_geom', 'hinh_hoc'];

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

const columnKey = (name: string) => foldVietnamese(name).trim().toLowerCase().replace(/[\s-]+/g, '_');

/** A coordinate cell: "105.85", or "105,85" as a Vietnamese spreadsheet writes it. */
function coordinate(cell: unknown): number {
  const text = String(cell ?? '').trim();
  return text === '' ? NaN : Number(text.replace(',', '.'));
}

function propertyValue(cell: unknown): unknown {
  if (typeof cell !== 'string') return cell;
  const text = cell.trim();
  return NUMBER.test(text) ? Number(text) : cell;
}

export const readCsv: GisReader = async (file, options) => {
  const bytes = await readBytes(file);
  const table = (await parseOrFail(file, () =>
    parse(bytes, CSVLoader, { ...NO_WORKERS, csv: { shape: 'object-row-table', header: true as unknown as 'auto', dynamicTyping: false } }),
  )) as { data: Record<string, unknown>[] };
  const columns = Object.keys(table.data[0] ?? {});
  const find = (names: string[]) => columns.find((column) => names.includes(columnKey(column)));
  const lonColumn = find(LONGITUDE_COLUMNS);
  const latColumn = find(LATITUDE_COLUMNS);
  const wktColumn = find(WKT_COLUMNS);
  if (!(lonColumn && latColumn) && !wktColumn) {
    throw new GisImportError(file, `needs longitude and latitude columns (lon/lng/longitude/x/kinh_do, lat/latitude/y/vi_do) or a WKT column; it has ${columns.join(', ') || 'none'}`);
  }
  const geometryColumns = new Set(lonColumn && latColumn ? [lonColumn, latColumn] : [wktColumn]);
  const features = table.data.map((row, index): RawFeature => {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) if (!geometryColumns.has(key)) properties[key] = propertyValue(value);
    if (lonColumn && latColumn) return { geometry: { type: 'Point', coordinates: [coordinate(row[lonColumn]), coordinate(row[latColumn])] }, properties };
    const wkt = String(row[wktColumn!] ?? '').trim();
    return { geometry: wkt ? parseSyncOrFail(file, () => WKTLoader.parseTextSync!(wkt), index) : null, properties };
  });
  return { crs: options.crs ? crsFromName(options.crs, file) : WGS84, features };
};
