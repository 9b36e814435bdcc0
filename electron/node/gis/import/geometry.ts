/**
 * GeoJSON geometry checks and coordinate mapping for every geometry type (multi*, holes,
 * collections). Readers hand over `unknown` geometries; checkGeometry says what is wrong in words
 * an operator can act on.
 */
import type { Geometry, Position } from 'geojson';
import { ringCrossings, type CrossingCheck } from './ring-crossings.js';

export type Bbox = [number, number, number, number];

function positionProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length < 2) return 'a position needs at least 2 numbers';
  if (!value.every((n) => typeof n === 'number' && Number.isFinite(n))) return `coordinates are not finite numbers: ${JSON.stringify(value)}`;
  return null;
}

function positionsProblem(value: unknown, min: number, what: string): string | null {
  if (!Array.isArray(value)) return `${what} is not an array of positions`;
  if (value.length < min) return `${what} has ${value.length} point${value.length === 1 ? '' : 's'}, needs at least ${min}`;
  for (const position of value) {
    const problem = positionProblem(position);
    if (problem) return problem;
  }
  return null;
}

function polygonProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return 'polygon has no rings';
  for (const ring of value) {
    // RFC 7946: a linear ring is closed and has at least 4 positions.
    const problem = positionsProblem(ring, 4, 'polygon ring');
    if (problem) return problem;
  }
  return null;
}

function everyProblem(value: unknown, what: string, check: (part: unknown) => string | null): string | null {
  if (!Array.isArray(value) || value.length === 0) return `${what} has no parts`;
  for (const part of value) {
    const problem = check(part);
    if (problem) return problem;
  }
  return null;
}

/** Null if `geometry` is a well-formed GeoJSON geometry with finite coordinates, else the reason. */
export function checkGeometry(geometry: unknown): string | null {
  if (geometry === null || geometry === undefined) return 'has no geometry';
  if (typeof geometry !== 'object') return 'geometry is not an object';
  const { type, coordinates, geometries } = geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  switch (type) {
    case 'Point':
      return positionProblem(coordinates);
    case 'MultiPoint':
      return positionsProblem(coordinates, 1, 'multipoint');
    case 'LineString':
      return positionsProblem(coordinates, 2, 'line');
    case 'MultiLineString':
      return everyProblem(coordinates, 'multilinestring', (line) => positionsProblem(line, 2, 'line'));
    case 'Polygon':
      return polygonProblem(coordinates);
    case 'MultiPolygon':
      return everyProblem(coordinates, 'multipolygon', polygonProblem);
    case 'GeometryCollection':
      return everyProblem(geometries, 'geometry collection', checkGeometry);
    default:
      return `unknown geometry type ${JSON.stringify(type)}`;
  }
}

const samePosition = (a: unknown[], b: unknown[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

/** Closes one ring of at least 3 positions whose last position is not its first; true if it did. */
function closeRing(ring: unknown): boolean {
  if (!Array.isArray(ring) || ring.length < 3) return false;
  const first: unknown = ring[0];
  const last: unknown = ring[ring.length - 1];
  if (!Array.isArray(first) || !Array.isArray(last) || samePosition(first, last)) return false;
  ring.push(first.slice());
  return true;
}

/**
 * Closes the open polygon rings of a geometry as read from a file (before checkGeometry), by
 * repeating each one's first position: the outline is the one the file meant, since a renderer
 * closes a ring the same way. Returns how many rings it closed.
 */
export function closeOpenRings(geometry: unknown): number {
  if (typeof geometry !== 'object' || geometry === null) return 0;
  const { type, coordinates, geometries } = geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  const rings = (polygon: unknown): unknown[] => (Array.isArray(polygon) ? polygon : []);
  let closed = 0;
  if (type === 'Polygon') for (const ring of rings(coordinates)) closed += Number(closeRing(ring));
  if (type === 'MultiPolygon') for (const polygon of rings(coordinates)) for (const ring of rings(polygon)) closed += Number(closeRing(ring));
  if (type === 'GeometryCollection') for (const part of rings(geometries)) closed += closeOpenRings(part);
  return closed;
}

/** Whether the polygons of a checked geometry cross themselves (or their other rings and parts), which no repair keeps the meaning of. */
export function polygonCrossings(geometry: Geometry): CrossingCheck {
  if (geometry.type === 'Polygon') return ringCrossings(geometry.coordinates);
  if (geometry.type === 'MultiPolygon') return ringCrossings(geometry.coordinates.flat(1));
  if (geometry.type !== 'GeometryCollection') return 'clean';
  const parts = geometry.geometries.map(polygonCrossings);
  return parts.includes('crosses') ? 'crosses' : parts.includes('unchecked') ? 'unchecked' : 'clean';
}

/** A copy of a checked geometry with every position mapped. */
export function mapPositions(geometry: Geometry, map: (position: Position) => Position): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: map(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: geometry.type, coordinates: geometry.coordinates.map(map) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: geometry.type, coordinates: geometry.coordinates.map((line) => line.map(map)) } as Geometry;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(map))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((part) => mapPositions(part, map)) };
  }
}

export function forEachPosition(geometry: Geometry, visit: (position: Position) => void): void {
  mapPositions(geometry, (position) => {
    visit(position);
    return position;
  });
}

export function geometryBbox(geometry: Geometry): Bbox {
  const bbox: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  forEachPosition(geometry, ([x, y]) => {
    bbox[0] = Math.min(bbox[0], x!);
    bbox[1] = Math.min(bbox[1], y!);
    bbox[2] = Math.max(bbox[2], x!);
    bbox[3] = Math.max(bbox[3], y!);
  });
  return bbox;
}

export function unionBbox(a: Bbox, b: Bbox): Bbox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}
