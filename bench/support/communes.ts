/**
 * Synthetic communes for benchmarks: Voronoi cells over a box, edges subdivided and jittered to
 * ~100 vertices a polygon, shared edges kept identical so the cells still tile the box.
 */
import * as turf from '@turf/turf';
import type { Position } from 'geojson';
import type { SpatialArea } from '../../native-bridge/spatial-query.js';
import { mulberry32 as prng } from '../../sim/random.js';

export type Bbox = [number, number, number, number];

/** A number in [0, 1) from two positions, the same whichever way round they are given. */
function edgeHash(a: Position, b: Position): number {
  const [p, q] = a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!) ? [a, b] : [b, a];
  const x = Math.sin(p[0]! * 12.9898 + p[1]! * 78.233 + q[0]! * 37.719 + q[1]! * 4.581) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * The points between a and b: 8–31 of them, jittered sideways by up to 4% of the edge's length.
 * Computed from the canonical direction of the edge, so both neighbours get the same points.
 */
function subdivide(a: Position, b: Position, bbox: Bbox): Position[] {
  const forward = a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!);
  const [p, q] = forward ? [a, b] : [b, a];
  const random = prng(Math.floor(edgeHash(a, b) * 2 ** 32));
  const n = 8 + Math.floor(random() * 24);
  const [dx, dy] = [q[0]! - p[0]!, q[1]! - p[1]!];
  // Edges along the box stay straight: no neighbour there would fill a dent.
  const onBox = (dx === 0 && (p[0] === bbox[0] || p[0] === bbox[2])) || (dy === 0 && (p[1] === bbox[1] || p[1] === bbox[3]));
  const amplitude = onBox ? 0 : 0.08;
  const inner: Position[] = [];
  for (let i = 1; i < n; i++) {
    const t = i / n;
    const side = (random() - 0.5) * amplitude * Math.sin(Math.PI * t);
    inner.push([p[0]! + dx * t - dy * side, p[1]! + dy * t + dx * side]);
  }
  return forward ? inner : inner.reverse();
}

export function makeCommunes(count: number, random: () => number, bbox: Bbox): SpatialArea[] {
  const seeds = turf.featureCollection(Array.from({ length: count }, () => turf.point([bbox[0] + random() * (bbox[2] - bbox[0]), bbox[1] + random() * (bbox[3] - bbox[1])])));
  const cells = turf.voronoi(seeds, { bbox }).features.filter((cell) => cell);
  return cells.map((cell, i) => {
    const ring = cell.geometry.coordinates[0]!;
    const dense: Position[] = [];
    for (let k = 0; k + 1 < ring.length; k++) {
      dense.push(ring[k]!);
      for (const point of subdivide(ring[k]!, ring[k + 1]!, bbox)) dense.push(point);
    }
    dense.push(dense[0]!);
    return { id: `xa-${i}`, name: `Xã ${i}`, level: 'commune', geometry: { type: 'Polygon', coordinates: [dense] } };
  });
}
