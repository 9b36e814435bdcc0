/**
 * Plane and sphere geometry on WGS 84 lon/lat degrees, for the host, the renderer and the
 * simulator alike: no imports, no Node, no DOM.
 *
 * Not @turf/turf: turf is a dependency of the host only (the renderer would pay its bundle), and
 * these run in hot loops (the spatial index scans up to millions of points) where turf's per-call
 * GeoJSON wrapping costs. distanceM rounds exactly as turf.distance does (tests compare the two).
 */

/** turf's earthRadius (mean radius, m), so that distances agree with turf.distance. */
export const EARTH_RADIUS_M = 6_371_008.8;

const toRadians = (degrees: number): number => ((degrees % 360) * Math.PI) / 180;

/** Great-circle distance in metres (haversine), with turf.distance's operations in turf's order, so both round alike. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const sinDLat = Math.sin(toRadians(lat2 - lat1) / 2);
  const sinDLon = Math.sin(toRadians(lon2 - lon1) / 2);
  const a = sinDLat * sinDLat + sinDLon * sinDLon * Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2));
  return EARTH_RADIUS_M * (2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)));
}

/** GeoJSON Polygon coordinates: the outer ring, then its holes; each ring [[lon, lat], …]. */
export type PolygonRings = readonly (readonly (readonly number[])[])[];

/** Polygons flattened for testing many points: ring r spans positions ringStart[r] … ringStart[r+1]-1. */
export interface FlatPolygons {
  xy: Float64Array;
  ringStart: Uint32Array;
  /** Polygon p spans rings polygonStart[p] … polygonStart[p+1]-1; its first ring is the outer one. */
  polygonStart: Uint32Array;
  /** [minLon, minLat, maxLon, maxLat] of the outer rings. */
  bbox: [number, number, number, number];
}

export function flattenPolygons(polygons: readonly PolygonRings[]): FlatPolygons {
  const rings = polygons.flat();
  const positions = rings.reduce((sum, ring) => sum + ring.length, 0);
  const xy = new Float64Array(positions * 2);
  const ringStart = new Uint32Array(rings.length + 1);
  const polygonStart = new Uint32Array(polygons.length + 1);
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  let at = 0;
  rings.forEach((ring, r) => {
    ringStart[r] = at;
    for (const position of ring) {
      xy[at * 2] = position[0]!;
      xy[at * 2 + 1] = position[1]!;
      at++;
    }
  });
  ringStart[rings.length] = at;
  let ringCount = 0;
  polygons.forEach((polygon, p) => {
    polygonStart[p] = ringCount;
    for (const [x, y] of polygon[0]!) {
      bbox[0] = Math.min(bbox[0], x!);
      bbox[1] = Math.min(bbox[1], y!);
      bbox[2] = Math.max(bbox[2], x!);
      bbox[3] = Math.max(bbox[3], y!);
    }
    ringCount += polygon.length;
  });
  polygonStart[polygons.length] = ringCount;
  return { xy, ringStart, polygonStart, bbox };
}

/**
 * Whether (lon, lat) is inside any of the polygons: even-odd ray casting over each polygon's rings,
 * so a point in a hole is outside. A ring need not repeat its first position at the end.
 */
export function insidePolygons(shape: FlatPolygons, lon: number, lat: number): boolean {
  const { xy, ringStart, polygonStart } = shape;
  for (let p = 0; p + 1 < polygonStart.length; p++) {
    let inside = false;
    for (let r = polygonStart[p]!; r < polygonStart[p + 1]!; r++) {
      const start = ringStart[r]! * 2;
      const end = ringStart[r + 1]! * 2;
      // Edge j → i, from the ring's last position to its first, then along the ring.
      for (let i = start, j = end - 2; i < end; j = i, i += 2) {
        const yi = xy[i + 1]!;
        const yj = xy[j + 1]!;
        if (yi > lat !== yj > lat) {
          const xi = xy[i]!;
          const xj = xy[j]!;
          if (lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
    }
    if (inside) return true;
  }
  return false;
}
