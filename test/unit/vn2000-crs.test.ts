/**
 * VN-2000 and the other source CRSs, without files: every registered VN-2000 zone against reference
 * points computed by PROJ (`cs2cs -f %.4f EPSG:4326 EPSG:<zone>`, PROJ choosing EPSG:6960 "VN-2000
 * to WGS 84 (2)"), and each way a CRS is named (EPSG code, URN, URL, WKT from a .prj, proj string).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crsFromEpsg, crsFromName, crsFromWkt, toWgs84, WGS84, type SourceCrs } from '../../electron/node/gis/import/crs.js';
import { isVn2000Name } from '../../electron/node/gis/import/vn2000.js';

const FILE = 'du-lieu.prj';

/** [EPSG, label, WGS 84 lat, lon, easting, northing in that zone] */
const REFERENCE: readonly [number, string, number, number, number, number][] = [
  [3405, 'VN-2000 / UTM zone 48N', 21.0285, 105.8542, 588565.3638, 2325647.3383],
  [3406, 'VN-2000 / UTM zone 49N', 16.0544, 108.2022, 200445.1651, 1777091.2708],
  [5896, 'VN-2000 / TM-3 zone 481', 21.386, 103.023, 605882.5437, 2366027.5521],
  [5897, 'VN-2000 / TM-3 zone 482', 21.0285, 105.8542, 588591.944, 2326345.3117],
  [5898, 'VN-2000 / TM-3 zone 491', 16.0544, 108.2022, 521439.3803, 1775609.148],
  [5899, 'VN-2000 / TM-3 107-45', 16.0678, 108.2208, 550175.0803, 1777138.321],
  [9205, 'VN-2000 / TM-3 103-00', 22.3964, 103.4582, 546981.2761, 2477623.8872],
  [9206, 'VN-2000 / TM-3 104-00', 21.3256, 103.9188, 491380.8775, 2358999.9778],
  [9207, 'VN-2000 / TM-3 104-30', 22.338, 104.149, 463649.1607, 2471129.8048],
  [9208, 'VN-2000 / TM-3 104-45', 21.7229, 104.9113, 516490.6812, 2402993.4411],
  [9209, 'VN-2000 / TM-3 105-30', 22.6657, 106.258, 577699.7953, 2507572.354],
  [9210, 'VN-2000 / TM-3 105-45', 21.0285, 105.8542, 510634.8256, 2326112.2492],
  [9211, 'VN-2000 / TM-3 106-00', 20.42, 106.1683, 517367.478, 2258755.883],
  [9212, 'VN-2000 / TM-3 106-15', 20.9373, 106.3146, 506523.0158, 2316014.3625],
  [9213, 'VN-2000 / TM-3 106-30', 20.8449, 106.6881, 519379.4559, 2305795.6906],
  [9214, 'VN-2000 / TM-3 107-00', 21.0064, 107.2925, 530211.6441, 2323691.4858],
  [9215, 'VN-2000 / TM-3 107-15', 17.4689, 106.6223, 433137.7764, 1932229.6063],
  [9216, 'VN-2000 / TM-3 107-30', 16.4637, 107.5909, 509510.5476, 1820889.3828],
  [9217, 'VN-2000 / TM-3 108-15', 15.5736, 108.474, 523828.6621, 1722413.0427],
  [9218, 'VN-2000 / TM-3 108-30', 12.2388, 109.1967, 575604.4518, 1353577.4981],
];

/** Ground distance in metres between two lon/lat positions a few metres apart. */
function metresApart([lon1, lat1]: number[], [lon2, lat2]: number[]): number {
  const metresPerDegree = 111_320;
  return Math.hypot((lon1! - lon2!) * metresPerDegree * Math.cos((lat1! * Math.PI) / 180), (lat1! - lat2!) * metresPerDegree);
}

function assertLandsAt(crs: SourceCrs, easting: number, northing: number, lat: number, lon: number, what: string): void {
  const error = metresApart(toWgs84(crs)([easting, northing]), [lon, lat]);
  assert.ok(error < 0.05, `${what}: ${error.toFixed(3)} m from PROJ's answer`);
}

/** An ESRI .prj (no TOWGS84, no authority) for a Transverse Mercator zone on VN-2000. */
function esriTm(
  centralMeridian: number,
  scale: number,
  falseEasting = 500000,
  unit = 'UNIT["Meter",1.0]',
  projection = 'Transverse_Mercator',
  { name = 'VN_2000_TM', geogcs = 'GCS_VN_2000', datum = 'D_Vietnam_2000', falseNorthing = 0, latitudeOfOrigin = 0 } = {},
): string {
  return (
    `PROJCS["${name}",GEOGCS["${geogcs}",DATUM["${datum}",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],` +
    `PROJECTION["${projection}"],PARAMETER["False_Easting",${falseEasting}],PARAMETER["False_Northing",${falseNorthing}],PARAMETER["Central_Meridian",${centralMeridian}],` +
    `PARAMETER["Scale_Factor",${scale}],PARAMETER["Latitude_Of_Origin",${latitudeOfOrigin}],PARAMETER["Standard_Parallel_1",20.0],PARAMETER["Standard_Parallel_2",22.0],${unit}]`
  );
}

const VN2000_GEOGCS = 'GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

describe('VN-2000 transforms', () => {
  for (const [epsg, label, lat, lon, easting, northing] of REFERENCE) {
    it(`EPSG:${epsg} (${label}) lands where PROJ puts it`, () => {
      const crs = crsFromEpsg(epsg, FILE);
      assert.equal(crs.label, label);
      assertLandsAt(crs, easting, northing, lat, lon, label);
    });
  }

  it('shifts VN-2000 lon/lat (EPSG:4756) by the published datum shift, keeping the height', () => {
    const crs = crsFromEpsg(4756, FILE);
    assert.equal(crs.label, 'VN-2000');
    // cs2cs EPSG:4326 EPSG:4756: 21.0285 105.8542 10 -> 21.029485987 105.852317350 10
    const [lon, lat, height] = toWgs84(crs)([105.85231735, 21.029485987, 10]);
    assert.ok(metresApart([lon!, lat!], [105.8542, 21.0285]) < 0.05);
    assert.equal(height, 10);
  });

  it('recognises a TM-3 zone from an ESRI .prj by its parameters, and applies the datum shift the .prj lacks', () => {
    const crs = crsFromWkt(esriTm(105.75, 0.9999), FILE);
    assert.equal(crs.label, 'VN-2000 / TM-3 105-45');
    assertLandsAt(crs, 510634.8256, 2326112.2492, 21.0285, 105.8542, 'TM-3 105-45 from WKT');
    assert.equal(crsFromWkt(esriTm(105, 0.9996), FILE).label, 'VN-2000 / UTM zone 48N', 'k 0.9996 on 105° is UTM 48N');
  });

  it('keeps the parameters of a VN-2000 Transverse Mercator that no EPSG code registers', () => {
    const crs = crsFromWkt(esriTm(105.75, 0.9999, 0), FILE);
    assert.equal(crs.label, 'VN-2000 / TM lon_0=105.75 k=0.9999');
    assertLandsAt(crs, 510634.8256 - 500000, 2326112.2492, 21.0285, 105.8542, 'false easting 0');
    assert.equal(crsFromWkt(esriTm(106.1, 0.9999), FILE).label, 'VN-2000 / TM lon_0=106.1 k=0.9999');
    assert.equal(crsFromWkt(esriTm(105.75, 0.9996), FILE).label, 'VN-2000 / TM lon_0=105.75 k=0.9996', 'a TM-3 meridian with the UTM scale is no zone');
    assert.equal(crsFromWkt(esriTm(0, 1), FILE).label, 'VN-2000 / TM lon_0=0 k=1', 'not the geographic CRS');
    const shifted = crsFromWkt(esriTm(105.75, 0.9999, 500000, undefined, undefined, { falseNorthing: 1_000_000, latitudeOfOrigin: 10 }), FILE);
    assert.equal(shifted.label, 'VN-2000 / TM lon_0=105.75 k=0.9999');
    assert.match(shifted.definition!, /\+lat_0=10 .*\+y_0=1000000 /);
    const northingOnly = crsFromWkt(esriTm(105.75, 0.9999, 500000, undefined, undefined, { falseNorthing: 1_000_000 }), FILE);
    assertLandsAt(northingOnly, 510634.8256, 2326112.2492 + 1_000_000, 21.0285, 105.8542, 'false northing 1 000 000 m');
  });

  it('knows VN-2000 by its datum or by its CRS name alone', () => {
    const byDatum = crsFromWkt(esriTm(105.75, 0.9999, 500000, undefined, undefined, { name: 'Ha_Noi_TM3', geogcs: 'GCS_Local' }), FILE);
    assert.equal(byDatum.label, 'VN-2000 / TM-3 105-45');
    const byName = crsFromWkt(esriTm(105.75, 0.9999, 500000, undefined, undefined, { name: 'VN-2000 TM3 Ha Noi', geogcs: 'GCS_Local', datum: 'D_WGS_1984' }), FILE);
    assert.equal(byName.label, 'VN-2000 / TM-3 105-45');
    assertLandsAt(byName, 510634.8256, 2326112.2492, 21.0285, 105.8542, 'named VN-2000 on a WGS 84 datum: still shifted');
  });

  it('trusts the EPSG code a WKT closes with over datum names it does not know', () => {
    const tm = 'PROJCS["Custom TM",GEOGCS["GCS_Custom",DATUM["D_Custom",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",105.75],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]';
    assert.equal(crsFromWkt(`${tm},AUTHORITY[ "EPSG" , "9210" ] ]\n`, FILE).label, 'VN-2000 / TM-3 105-45');
    assert.equal(crsFromWkt(`${tm},ID["EPSG",9210]]`, FILE).label, 'VN-2000 / TM-3 105-45');
    assert.throws(() => crsFromWkt(`${tm}]`, FILE), /datum custom has no known transformation/, 'without the code, an unknown datum is refused');
    assert.throws(() => crsFromWkt(`${tm},AUTHORITY["EPSG","9210"],AUTHORITY["X","1"]]`, FILE), /no known transformation/, 'only the closing authority counts');
    assert.throws(() => crsFromWkt(`${tm},AUTHORITY["EPSG","32648"]]`, FILE), /no known transformation/, 'a code that is neither WGS 84 nor VN-2000 does not decide');
    const geographic = 'GEOGCS["GCS_Custom",DATUM["D_Custom_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]';
    assert.equal(crsFromWkt(`${geographic},AUTHORITY["EPSG","4326"]]`, FILE), WGS84);
    assert.throws(() => crsFromWkt(`${geographic}]`, FILE), /CRS "GCS_Custom": datum custom_1984 has no known transformation/);
  });

  it('takes the EPSG code a WKT closes with, and reads a VN-2000 geographic .prj', () => {
    const withAuthority = crsFromWkt(`${esriTm(111, 0.9996).slice(0, -1)},AUTHORITY["EPSG","3406"]]`, FILE);
    assert.equal(withAuthority.label, 'VN-2000 / UTM zone 49N');
    const geographic = crsFromWkt(VN2000_GEOGCS, FILE);
    assert.equal(geographic.label, 'VN-2000');
    const [lon, lat] = toWgs84(geographic)([105.85231735, 21.029485987]);
    assert.ok(metresApart([lon!, lat!], [105.8542, 21.0285]) < 0.05);
  });

  it('refuses a VN-2000 projection other than Transverse Mercator, and units other than metres', () => {
    assert.throws(() => crsFromWkt(esriTm(105.75, 0.9999, 500000, 'UNIT["Meter",1.0]', 'Lambert_Conformal_Conic'), FILE), /du-lieu\.prj.*VN-2000 with projection .* is not supported/);
    assert.throws(() => crsFromWkt(esriTm(105.75, 0.9999, 500000, 'UNIT["Foot_US",0.3048006096012192]'), FILE), /du-lieu\.prj.*only metre units/);
  });

  it('names VN-2000 the ways files do, and nothing else', () => {
    for (const name of ['D_Vietnam_2000', 'Vietnam_2000', 'Vietnam 2000', 'Vietnam2000', 'VN-2000', 'VN_2000', 'VN2000', 'GCS_VN_2000', 'vn 2000']) assert.ok(isVn2000Name(name), name);
    for (const name of ['WGS_1984', 'SVN2000', 'Indian_1960']) assert.equal(isVn2000Name(name), false, name);
  });
});

describe('source CRS names', () => {
  it('reads EPSG codes written as a code, a URN and a URL', () => {
    for (const name of ['EPSG:5897', 'epsg::5897', 'urn:ogc:def:crs:EPSG::5897', 'urn:ogc:def:crs:EPSG:9.8.15:5897', 'http://www.opengis.net/def/crs/EPSG/0/5897', ' EPSG:5897 ']) {
      assert.equal(crsFromName(name, FILE).label, 'VN-2000 / TM-3 zone 482', name);
    }
    for (const name of ['xEPSG:5897', 'EPSG:5897x', 'EPSG:5897 EPSG:4326', 'my CRS84', 'CRS84 please', 'WGS84+', 'see http://www.opengis.net/def/crs/EPSG/0/5897', 'note: PROJCS["x"]']) {
      assert.throws(() => crsFromName(name, FILE), /unsupported CRS/, name);
    }
  });

  it('takes WGS 84 lon/lat as it is', () => {
    for (const name of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'CRS84', 'CRS:84', 'OGC:CRS84', 'WGS84', 'wgs 84', 'EPSG:4326']) assert.equal(crsFromName(name, FILE), WGS84, name);
    assert.equal(WGS84.label, 'EPSG:4326');
    const wgs84Wkt = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    assert.equal(crsFromName(wgs84Wkt, FILE), WGS84);
    assert.equal(crsFromWkt(`${wgs84Wkt.slice(0, -1)},AUTHORITY["EPSG","4326"]]`, FILE), WGS84);
    assert.deepEqual(toWgs84(WGS84)([105.85, 21.03, 7]), [105.85, 21.03, 7]);
  });

  it('builds WGS 84 / UTM north and south, and refuses a zone past 60', () => {
    const north = crsFromName('EPSG:32648', FILE);
    assert.equal(north.label, 'EPSG:32648');
    // the point's VN-2000 / UTM 48N coordinates: read as WGS 84 / UTM 48N they land the datum shift away
    const [lon, lat] = toWgs84(north)([588565.3638, 2325647.3383]);
    assert.ok(metresApart([lon!, lat!], [105.8542, 21.0285]) > 100, 'WGS 84 UTM has no VN-2000 shift');
    const south = toWgs84(crsFromName('EPSG:32748', FILE))([588565.3638, 10_000_000 - 2325647.3383]);
    assert.ok(Math.abs(south[1]! + lat!) < 1e-6, 'the southern zone mirrors the northern one');
    assert.ok(Math.abs(south[0]! - lon!) < 1e-6);
    assert.throws(() => crsFromName('EPSG:32661', FILE), /unsupported CRS EPSG:32661/);
    assert.throws(() => crsFromName('EPSG:32600', FILE), /unsupported CRS EPSG:32600/);
  });

  it('uses the codes proj4 knows, and a proj string', () => {
    assert.equal(crsFromName('EPSG:3857', FILE).definition, 'EPSG:3857');
    const merc = crsFromName('+proj=merc +datum=WGS84 +units=m +no_defs', FILE);
    assert.equal(merc.label, '+proj=merc +datum=WGS84 +units=m +no_defs');
    assert.equal(crsFromName('+proj=longlat +datum=WGS84 +no_defs', FILE), WGS84);
    assert.notEqual(crsFromName('+proj=longlat +datum=WGS84 +pm=paris +no_defs', FILE), WGS84, 'another prime meridian is not WGS 84');
    assert.notEqual(crsFromName('+proj=longlat +ellps=bessel +towgs84=570.8,85.7,462.8,4.998,1.587,5.261,3.56 +no_defs', FILE), WGS84, 'another datum is not WGS 84');
  });

  it('labels any other WKT by the name it opens with', () => {
    const wkt = `\n PROJCS["Indian 1960 / UTM zone 48N",GEOGCS["Indian 1960",DATUM["Indian_1960",SPHEROID["Everest 1830 (1937 Adjustment)",6377276.345,300.8017],TOWGS84[198,881,317,0,0,0,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",105],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]`;
    assert.equal(crsFromWkt(wkt, FILE).label, 'Indian 1960 / UTM zone 48N');
  });

  it('refuses what it cannot place, naming the file', () => {
    assert.throws(() => crsFromName('EPSG:2000', FILE), /du-lieu\.prj.*unsupported CRS EPSG:2000/);
    assert.throws(() => crsFromName('Hệ tọa độ riêng', FILE), /du-lieu\.prj.*unsupported CRS "Hệ tọa độ riêng"/);
    assert.throws(() => crsFromName('+proj=nonsense', FILE), /du-lieu\.prj.*cannot understand its CRS/);
    const local = 'GEOGCS["Local",DATUM["Local_Datum",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    assert.throws(() => crsFromName(local, FILE), /du-lieu\.prj.*CRS "Local": datum local_datum has no known transformation to WGS 84/);
  });
});
