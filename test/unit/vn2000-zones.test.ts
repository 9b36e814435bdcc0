/**
 * VN-2000 against GDAL/PROJ: reference points in the national TM-3 zones (scale 0.9999) and in
 * geographic VN-2000, computed by cs2cs with PROJ's EPSG definitions and the national datum
 * shift (test/fixtures/vn2000-tm3.json, made by scripts/make-vn2000-fixture.ts). Each zone's CRS
 * is read as a .prj gives it in every form the importer recognises: GDAL's WKT1 ending in its EPSG
 * AUTHORITY, WKT2 ending in ID["EPSG",…], the ESRI WKT ogr2ogr writes beside a shapefile (datum
 * named D_Vietnam_2000, no code), and an ESRI WKT of a zone no EPSG code names.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { distance } from '@turf/turf';
import { crsFromEpsg, crsFromWkt, toWgs84, type SourceCrs } from '../../electron/node/gis/import/crs.js';
import { vn2000ByEpsg } from '../../electron/node/gis/import/vn2000.js';
import { committedFixture } from '../support/fixtures.js';

interface ReferencePoint {
  lon: number;
  lat: number;
  x: number;
  y: number;
}

interface Zone {
  epsg: number;
  centralMeridian: number | null;
  prj: { esri: string; wkt1: string; wkt2: string };
  points: ReferencePoint[];
}

const { zones } = JSON.parse(readFileSync(committedFixture('vn2000-tm3.json'), 'utf8')) as { zones: Zone[] };

/** How far from GDAL's answer a point may land: PROJ and proj4js agree to millimetres; a wrong scale (0.9996) is metres off. */
const TOLERANCE_M = 0.01;

function worstErrorMetres(crs: SourceCrs, points: readonly ReferencePoint[]): number {
  const project = toWgs84(crs);
  let worst = 0;
  for (const point of points) {
    const [lon, lat] = project([point.x, point.y]);
    worst = Math.max(worst, distance([lon!, lat!], [point.lon, point.lat], { units: 'meters' }));
  }
  return worst;
}

describe('VN-2000 zones against GDAL/PROJ', () => {
  it('the fixture covers several TM-3 zones and geographic VN-2000', () => {
    const tm3 = zones.filter((z) => z.centralMeridian !== null);
    assert.ok(tm3.length >= 7, `${tm3.length} TM-3 zones`);
    assert.ok(tm3.every((z) => vn2000ByEpsg(z.epsg)?.scale === 0.9999 && z.points.length >= 3));
    assert.ok(zones.some((z) => z.epsg === 4756));
  });

  for (const zone of zones) {
    const label = zone.centralMeridian === null ? 'geographic VN-2000 (EPSG:4756)' : `TM-3 ${zone.centralMeridian}° (EPSG:${zone.epsg})`;

    it(`${label}: by EPSG code, within ${TOLERANCE_M * 100} cm of GDAL`, () => {
      const crs = crsFromEpsg(zone.epsg, 'x.geojson');
      const worst = worstErrorMetres(crs, zone.points);
      assert.ok(worst <= TOLERANCE_M, `${crs.label}: ${worst.toFixed(4)} m off`);
    });

    for (const form of ['wkt1', 'wkt2', 'esri'] as const) {
      it(`${label}: a .prj in ${form === 'esri' ? 'ESRI WKT (as ogr2ogr writes it)' : form.toUpperCase()} is recognised as VN-2000, within ${TOLERANCE_M * 100} cm of GDAL`, () => {
        const crs = crsFromWkt(zone.prj[form], 'x.prj');
        const expected = vn2000ByEpsg(zone.epsg)!;
        assert.equal(crs.label, expected.name, 'named as the registered CRS');
        const worst = worstErrorMetres(crs, zone.points);
        assert.ok(worst <= TOLERANCE_M, `${form}: ${worst.toFixed(4)} m off`);
      });
    }
  }

  it('a VN-2000 TM-3 .prj whose zone has no EPSG code: its own parameters, the datum shift still applied', () => {
    // the 107°45′ zone's ESRI .prj with its false easting moved by 100 km: no registered CRS matches
    const zone = zones.find((z) => z.epsg === 5899)!;
    const prj = zone.prj.esri.replace('PARAMETER["False_Easting",500000.0]', 'PARAMETER["False_Easting",600000.0]').replace(/PROJCS\["[^"]*"/, 'PROJCS["VN_2000_TM-3_107-45_custom"');
    assert.notEqual(prj, zone.prj.esri);
    const crs = crsFromWkt(prj, 'x.prj');
    assert.match(crs.label, /^VN-2000 \/ TM lon_0=107\.75 k=0\.9999/);
    const shifted = zone.points.map((p) => ({ ...p, x: p.x + 100_000 }));
    const worst = worstErrorMetres(crs, shifted);
    assert.ok(worst <= TOLERANCE_M, `${worst.toFixed(4)} m off`);
  });

  it('the scale is what makes TM-3: the same zone at the UTM scale lands metres away', () => {
    const zone = zones.find((z) => z.epsg === 5899)!;
    const prj = zone.prj.esri.replace('PARAMETER["Scale_Factor",0.9999]', 'PARAMETER["Scale_Factor",0.9996]');
    const worst = worstErrorMetres(crsFromWkt(prj, 'x.prj'), zone.points);
    assert.ok(worst > 100, `a wrong scale is ${worst.toFixed(1)} m off, which the ${TOLERANCE_M} m tolerance cannot miss`);
  });
});
