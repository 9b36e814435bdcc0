/**
 * Source coordinate reference systems and their transformation to WGS 84 lon/lat (proj4). VN-2000
 * is recognised by EPSG code or datum name and always gets its published datum shift, whatever
 * the file says (see vn2000.ts); any other datum without a known shift to WGS 84 is refused
 * rather than silently misplaced.
 */
import proj4 from 'proj4';
import type { Position } from 'geojson';
import { GisImportError } from './gis-import-error.js';
import { isVn2000Name, vn2000ByEpsg, vn2000ByParameters, vn2000Definition, vn2000TransverseMercator, VN2000_GEOGRAPHIC } from './vn2000.js';

export interface SourceCrs {
  /** For people and the dataset summary: "EPSG:4326", "VN-2000 / UTM zone 48N", … */
  label: string;
  /** proj4 definition of the source CRS; null when the data already is WGS 84 lon/lat. */
  definition: string | null;
}

export const WGS84: SourceCrs = { label: 'EPSG:4326', definition: null };

/** proj4's datum_type for a datum with no known shift to WGS 84, and for WGS 84 itself. */
const PJD_NODATUM = 5;
const PJD_WGS84 = 4;

/** What proj4 makes of a definition (its typings omit these parsed fields). */
interface ParsedCrs {
  projName?: string;
  datumCode?: string;
  datum?: { datum_type: number };
  /** radians */
  long0?: number;
  lat0?: number;
  k0?: number;
  x0?: number;
  y0?: number;
  to_meter?: number;
  /** radians east of Greenwich of the prime meridian */
  from_greenwich?: number;
}

function parseDefinition(definition: string, label: string, file: string): ParsedCrs {
  try {
    const parsed = proj4.Proj(definition) as unknown as ParsedCrs;
    if (parsed.projName) return parsed;
  } catch {
    // proj4 throws for text it cannot parse, sometimes without a message: reported below
  }
  throw new GisImportError(file, `cannot understand its CRS "${label}"`);
}

export function crsFromEpsg(epsg: number, file: string): SourceCrs {
  if (epsg === 4326) return WGS84;
  const vn2000 = vn2000ByEpsg(epsg);
  if (vn2000) return { label: vn2000.name, definition: vn2000Definition(vn2000) };
  // proj4 knows a handful of codes out of the box (EPSG:3857, EPSG:4269, …) and every WGS 84 / UTM zone (EPSG:326xx, 327xx).
  if (proj4.defs(`EPSG:${epsg}`)) return { label: `EPSG:${epsg}`, definition: `EPSG:${epsg}` };
  throw new GisImportError(file, `unsupported CRS EPSG:${epsg} (supported: EPSG:4326, EPSG:3857, WGS 84 / UTM, VN-2000 and its UTM/TM-3 zones; or give the CRS as WKT in a .prj)`);
}

/**
 * A CRS named the ways files and users name them: "EPSG:3405", "urn:ogc:def:crs:EPSG::3405",
 * "urn:ogc:def:crs:OGC:1.3:CRS84", "CRS84", "WGS84", a WKT string or a proj string.
 */
export function crsFromName(name: string, file: string): SourceCrs {
  const trimmed = name.trim();
  if (/^(urn:ogc:def:crs:OGC:1\.3:CRS84|CRS:?84|OGC:CRS84|WGS\s*84)$/i.test(trimmed)) return WGS84;
  const epsg = /^(?:urn:ogc:def:crs:EPSG:[\d.]*:|EPSG:{1,2}|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/)(\d+)$/i.exec(trimmed);
  if (epsg) return crsFromEpsg(Number(epsg[1]), file);
  if (/^(PROJ|GEOG|GEOD|COMPD)(CS|CRS)\[/i.test(trimmed)) return crsFromWkt(trimmed, file);
  if (trimmed.startsWith('+proj=')) return crsFromProj4(trimmed, trimmed, file);
  throw new GisImportError(file, `unsupported CRS "${name}"`);
}

export function crsFromWkt(wkt: string, file: string): SourceCrs {
  // The outermost element's authority closes the WKT: …,AUTHORITY["EPSG","3405"]] or …,ID["EPSG",3405]]
  const authority = /(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt);
  if (authority) {
    const code = Number(authority[1]);
    if (code === 4326 || vn2000ByEpsg(code)) return crsFromEpsg(code, file);
  }
  const name = /^\s*\w+\[\s*"([^"]*)"/.exec(wkt)?.[1] ?? 'WKT';
  const parsed = parseDefinition(wkt, name, file);
  const datumName = parsed.datumCode ?? '';
  if (isVn2000Name(datumName) || isVn2000Name(name)) return vn2000FromParsedWkt(parsed, name, file);
  return crsFromProj4(wkt, name, file);
}

function crsFromProj4(definition: string, label: string, file: string): SourceCrs {
  const parsed = parseDefinition(definition, label, file);
  if (parsed.datum?.datum_type === PJD_NODATUM) {
    throw new GisImportError(file, `CRS "${label}": datum ${parsed.datumCode ?? '(unnamed)'} has no known transformation to WGS 84 (no TOWGS84)`);
  }
  if (parsed.projName === 'longlat' && parsed.datum?.datum_type === PJD_WGS84 && !parsed.from_greenwich) return WGS84;
  return { label, definition };
}

/** Rebuilds a VN-2000 WKT as a proj definition carrying the datum shift the WKT lacks. */
function vn2000FromParsedWkt(parsed: ParsedCrs, name: string, file: string): SourceCrs {
  const projection = parsed.projName ?? '';
  if (projection === 'longlat') return { label: 'VN-2000', definition: VN2000_GEOGRAPHIC };
  if (!/^(transverse_mercator|tmerc|utm|etmerc)$/i.test(projection)) {
    throw new GisImportError(file, `CRS "${name}": VN-2000 with projection ${projection} is not supported (only Transverse Mercator: UTM and TM-3)`);
  }
  if ((parsed.to_meter ?? 1) !== 1) throw new GisImportError(file, `CRS "${name}": only metre units are supported`);
  const centralMeridian = roundDegrees(((parsed.long0 ?? 0) * 180) / Math.PI);
  const latitudeOfOrigin = roundDegrees(((parsed.lat0 ?? 0) * 180) / Math.PI);
  const scale = parsed.k0 ?? 1;
  const falseEasting = parsed.x0 ?? 0;
  const falseNorthing = parsed.y0 ?? 0;
  const registered = falseEasting === 500000 && falseNorthing === 0 && latitudeOfOrigin === 0 ? vn2000ByParameters(centralMeridian, scale) : undefined;
  if (registered) return { label: registered.name, definition: vn2000Definition(registered) };
  return {
    label: `VN-2000 / TM lon_0=${centralMeridian} k=${scale}`,
    definition: vn2000TransverseMercator(centralMeridian, scale, falseEasting, falseNorthing, latitudeOfOrigin),
  };
}

/** WKT carries degrees that went through radians: 104.99999999999999 is 105. */
function roundDegrees(degrees: number): number {
  return Math.round(degrees * 1e9) / 1e9;
}

/** Maps a position from `crs` to WGS 84 lon/lat; extra ordinates (height, measure) pass through. */
export function toWgs84(crs: SourceCrs): (position: Position) => Position {
  if (crs.definition === null) return (position) => position;
  const converter = proj4(crs.definition, 'EPSG:4326');
  return ([x, y, ...rest]) => {
    const [lon, lat] = converter.forward([x!, y!]);
    return [lon!, lat!, ...rest];
  };
}
