/**
 * VN-2000 (EPSG:4756), the datum of Vietnam's official maps: the WGS 84 ellipsoid, shifted about
 * 200 m from WGS 84. Files in VN-2000 rarely say how to get to WGS 84 (an ESRI .prj has no
 * TOWGS84), so a naive transform is hundreds of metres off. Here are the datum's published
 * 7-parameter transformation and the projected CRSs in use, by EPSG code.
 */

/**
 * EPSG:6960 "VN-2000 to WGS 84 (2)" (Decision 05/2007/QĐ-BTNMT), coordinate frame rotation:
 * rx -0.00928836", ry 0.01975479", rz -0.00427372". proj's +towgs84 takes position-vector rotations,
 * so their signs flip here; PROJ writes EPSG:4756 the same way. Pasting the decision's signs
 * unchanged is a common mistake that costs up to ~1.3 m (measured on the fixture).
 */
export const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';

export const VN2000_GEOGRAPHIC = `+proj=longlat +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +no_defs`;

/** A Transverse Mercator projection on VN-2000; UTM zones use k 0.9996, the national TM-3 zones 0.9999. */
export function vn2000TransverseMercator(centralMeridian: number, scale: number, falseEasting = 500000, falseNorthing = 0, latitudeOfOrigin = 0): string {
  return `+proj=tmerc +lat_0=${latitudeOfOrigin} +lon_0=${centralMeridian} +k=${scale} +x_0=${falseEasting} +y_0=${falseNorthing} +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs`;
}

export interface Vn2000Crs {
  epsg: number;
  name: string;
  /** null for the geographic CRS. */
  centralMeridian: number | null;
  scale: number;
}

const UTM_SCALE = 0.9996;
const TM3_SCALE = 0.9999;

function tm3(epsg: number, centralMeridian: number, zone?: string): Vn2000Crs {
  const degrees = Math.trunc(centralMeridian);
  const minutes = String(Math.round((centralMeridian - degrees) * 60)).padStart(2, '0');
  return { epsg, name: `VN-2000 / TM-3 ${zone ? `zone ${zone}` : `${degrees}-${minutes}`}`, centralMeridian, scale: TM3_SCALE };
}

export const VN2000_CRS: readonly Vn2000Crs[] = [
  { epsg: 4756, name: 'VN-2000', centralMeridian: null, scale: 1 },
  { epsg: 3405, name: 'VN-2000 / UTM zone 48N', centralMeridian: 105, scale: UTM_SCALE },
  { epsg: 3406, name: 'VN-2000 / UTM zone 49N', centralMeridian: 111, scale: UTM_SCALE },
  tm3(5896, 102, '481'),
  tm3(5897, 105, '482'),
  tm3(5898, 108, '491'),
  tm3(5899, 107.75),
  tm3(9205, 103),
  tm3(9206, 104),
  tm3(9207, 104.5),
  tm3(9208, 104.75),
  tm3(9209, 105.5),
  tm3(9210, 105.75),
  tm3(9211, 106),
  tm3(9212, 106.25),
  tm3(9213, 106.5),
  tm3(9214, 107),
  tm3(9215, 107.25),
  tm3(9216, 107.5),
  tm3(9217, 108.25),
  tm3(9218, 108.5),
];

export function vn2000ByEpsg(epsg: number): Vn2000Crs | undefined {
  return VN2000_CRS.find((crs) => crs.epsg === epsg);
}

/** The registered CRS with these projection parameters (false easting 500 000 m, origin 0), if any. */
export function vn2000ByParameters(centralMeridian: number, scale: number): Vn2000Crs | undefined {
  return VN2000_CRS.find((crs) => crs.centralMeridian !== null && Math.abs(crs.centralMeridian - centralMeridian) < 1e-9 && Math.abs(crs.scale - scale) < 1e-9);
}

export function vn2000Definition(crs: Vn2000Crs): string {
  return crs.centralMeridian === null ? VN2000_GEOGRAPHIC : vn2000TransverseMercator(crs.centralMeridian, crs.scale);
}

/** Datum or CRS names that mean VN-2000: D_Vietnam_2000, Vietnam_2000, VN-2000, VN_2000, GCS_VN_2000 … */
export function isVn2000Name(name: string): boolean {
  return /vietnam[\s_-]*2000|(^|[^a-z])vn[\s_-]*2000/i.test(name);
}
