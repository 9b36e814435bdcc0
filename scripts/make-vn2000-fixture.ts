/**
 * Writes test/fixtures/vn2000-tm3.json: reference points in VN-2000 zones computed by GDAL/PROJ
 * (Debian's cs2cs, ogr2ogr, gdalsrsinfo; not needed to run the tests), and each zone's CRS as a
 * .prj says it in the three forms the importer meets: the ESRI WKT that ogr2ogr writes beside a
 * shapefile (names only: D_Vietnam_2000), GDAL's WKT1 (AUTHORITY["EPSG",…]) and WKT2 (ID["EPSG",…]).
 *
 *   node --import tsx scripts/make-vn2000-fixture.ts
 *
 * Every point is a town inside the zone's area of use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** EPSG code, central meridian (null: the geographic CRS), and towns inside the zone's area (lon, lat). */
const ZONES: { epsg: number; centralMeridian: number | null; positions: [number, number][] }[] = [
  { epsg: 5896, centralMeridian: 102, positions: [[103.02, 21.39], [102.45, 22.2], [103.45, 22.4], [103.1, 21.6]] },
  { epsg: 9205, centralMeridian: 103, positions: [[103.02, 21.39], [102.45, 22.2], [103.45, 22.4], [103.9, 21.33]] },
  { epsg: 9207, centralMeridian: 104.5, positions: [[105.15, 9.18], [105.08, 10.01], [104.49, 10.38], [103.96, 10.23], [104.99, 8.76]] },
  { epsg: 5897, centralMeridian: 105, positions: [[105.85, 21.03], [105.78, 10.03], [105.97, 20.25], [105.68, 18.67], [104.98, 22.82]] },
  { epsg: 9209, centralMeridian: 105.5, positions: [[106.07, 21.18], [104.98, 22.82], [105.9, 18.34], [105.97, 9.6], [106.1, 11.31]] },
  { epsg: 9211, centralMeridian: 106, positions: [[105.34, 20.81], [106.6, 17.47], [105.21, 21.82]] },
  { epsg: 5899, centralMeridian: 107.75, positions: [[107.08, 20.95], [108.2, 16.05], [108.44, 11.94], [106.82, 10.95], [107.08, 10.35]] },
  { epsg: 4756, centralMeridian: null, positions: [[105.85, 21.03], [108.2, 16.05], [106.82, 10.95]] },
];

/**
 * The datum shift the importer applies everywhere: EPSG:6960, valid over the whole country (area
 * EPSG:3328, "Vietnam - onshore"). Left to choose per point, cs2cs takes the local EPSG:5194 in the
 * Mekong delta (about 0.8 m away), so the area of use is given and the choice checked.
 */
const NATIONAL_SHIFT = 'VN-2000 to WGS 84 (2)';
const VIETNAM_ONSHORE = ['--area', 'EPSG:3328'];

const run = (command: string, args: string[], input?: string): string => execFileSync(command, args, { encoding: 'utf8', input }).trim();

function referencePoints(epsg: number, positions: [number, number][]): { lon: number; lat: number; x: number; y: number }[] {
  // cs2cs takes EPSG:4326 in its axis order: latitude first; a projected target answers easting, northing
  const input = positions.map(([lon, lat]) => `${lat} ${lon}`).join('\n');
  const output = run('cs2cs', ['-f', '%.9f', '--no-ballpark', ...VIETNAM_ONSHORE, 'EPSG:4326', `EPSG:${epsg}`], `${input}\n`).split('\n');
  return positions.map(([lon, lat], i) => {
    const [a, b] = output[i]!.split(/\s+/).map(Number);
    // the geographic VN-2000 answers in its axis order too: latitude, longitude
    return epsg === 4756 ? { lon, lat, x: b!, y: a! } : { lon, lat, x: a!, y: b! };
  });
}

/** The .prj ogr2ogr writes for a shapefile in this CRS. */
function shapefilePrj(epsg: number, dir: string): string {
  const source = join(dir, `p${epsg}.geojson`);
  writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [105, 16] } }] }));
  run('ogr2ogr', ['-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4326', '-t_srs', `EPSG:${epsg}`, join(dir, `p${epsg}.shp`), source]);
  return readFileSync(join(dir, `p${epsg}.prj`), 'utf8').trim();
}

/** Throws unless the national datum shift is the one operation PROJ has for the zone over the country. */
function checkOperation(epsg: number): void {
  const [count, ...operations] = run('projinfo', ['-s', 'EPSG:4326', '-t', `EPSG:${epsg}`, ...VIETNAM_ONSHORE, '--hide-ballpark', '--summary']).split('\n');
  if (count !== 'Candidate operations found: 1' || !operations[0]?.includes(NATIONAL_SHIFT)) throw new Error(`EPSG:${epsg}: PROJ offers ${operations.join('; ')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'vn2000-fixture-'));
try {
  const zones = ZONES.map(({ epsg, centralMeridian, positions }) => {
    checkOperation(epsg);
    return {
      epsg,
      centralMeridian,
      operation: NATIONAL_SHIFT,
      prj: { esri: shapefilePrj(epsg, dir), wkt1: run('gdalsrsinfo', ['-o', 'wkt1', '--single-line', `EPSG:${epsg}`]), wkt2: run('gdalsrsinfo', ['-o', 'wkt2', '--single-line', `EPSG:${epsg}`]) },
      points: referencePoints(epsg, positions),
    };
  });
  const fixture = { generatedBy: 'scripts/make-vn2000-fixture.ts', proj: `PROJ ${spawnSync('cs2cs', [], { encoding: 'utf8' }).stderr.split('\n')[0]}`, zones };
  writeFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'vn2000-tm3.json'), `${JSON.stringify(fixture, null, 1)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
