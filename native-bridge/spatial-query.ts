/**
 * Spatial queries on the map (province rules: by point, by radius, by drawn region, by
 * administrative boundary) and per-commune aggregates for the choropleth. Pure module: the host's
 * spatial index (electron/node/gis/spatial) validates requests with these schemas, and the console
 * can use them to check a request before sending it.
 *
 * Coordinates are WGS 84 lon/lat degrees; distances are great-circle metres (haversine on the
 * mean Earth radius, as turf.distance). Polygons follow GeoJSON: rings closed, the first ring the
 * outer boundary, the others holes. Group keys and item fields use '' for "none" (no state, or a
 * point outside every commune).
 */
import { z } from 'zod';

export const MAX_RADIUS_M = 500_000;
export const MAX_QUERY_LIMIT = 10_000;

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
const identifier = z.string().min(1).max(256);
/** Layer, kind and state names: short tokens, interned by the index. */
const token = z.string().min(1).max(64);

/** [lon, lat] (an altitude, if any, is ignored). Typed number[] like GeoJSON's Position, so GeoJSON geometries fit. */
const position = z
  .array(z.number())
  .min(2, 'a position is [lon, lat]')
  .refine(([lon, lat]) => Math.abs(lon!) <= 180 && Math.abs(lat!) <= 90, 'a position needs longitude within ±180 and latitude within ±90');
const linearRing = z
  .array(position)
  .min(4, 'a linear ring needs at least 4 positions')
  .refine((ring) => ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1], 'a linear ring must be closed (last position = first)');
export const polygonCoordinates = z.array(linearRing).min(1, 'a polygon needs an outer ring');
export type PolygonCoordinates = z.infer<typeof polygonCoordinates>;

export const spatialPoint = z.object({
  id: identifier,
  /** 'sensor', 'camera', 'report', 'object', 'alert', … */
  layer: token,
  kind: token,
  /** 'normal', 'warning', 'critical', 'stale', … */
  state: token.optional(),
  lon: longitude,
  lat: latitude,
  label: z.string().max(256).optional(),
});
export type SpatialPoint = z.infer<typeof spatialPoint>;

export const spatialArea = z.object({
  id: identifier,
  name: z.string().max(256),
  level: z.enum(['province', 'commune']),
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: polygonCoordinates }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygonCoordinates).min(1) }),
  ]),
});
export type SpatialArea = z.infer<typeof spatialArea>;

export const spatialAreas = z.array(spatialArea).superRefine((areas, context) => {
  const seen = new Set<string>();
  for (const [i, area] of areas.entries()) {
    if (seen.has(area.id)) context.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate area id ${JSON.stringify(area.id)}` });
    seen.add(area.id);
  }
});

export const spatialFilter = z.strictObject({
  layers: z.array(token).max(64).optional(),
  kinds: z.array(token).max(256).optional(),
  states: z.array(token).max(64).optional(),
});
export type SpatialFilter = z.infer<typeof spatialFilter>;

const distinct = <T extends string>(values: readonly T[]) => new Set(values).size === values.length;

export const spatialQuery = z.strictObject({
  shape: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('point'), lon: longitude, lat: latitude, toleranceM: z.number().positive().max(MAX_RADIUS_M).default(50) }),
    z.strictObject({ type: z.literal('radius'), lon: longitude, lat: latitude, radiusM: z.number().positive().max(MAX_RADIUS_M) }),
    z.strictObject({ type: z.literal('region'), polygon: polygonCoordinates }),
    z.strictObject({ type: z.literal('area'), areaId: identifier }),
  ]),
  filter: spatialFilter.optional(),
  groupBy: z
    .array(z.enum(['area', 'layer', 'kind', 'state']))
    .refine(distinct, 'groupBy lists a dimension twice')
    .default(['area']),
  /** Items returned at most (total and groups always count every match). */
  limit: z.number().int().min(0).max(MAX_QUERY_LIMIT).default(200),
  /**
   * Point and radius results are always nearest first; for a region or an area this sorts by
   * distance from the centre of its bounding box (otherwise items come in index order).
   */
  sortBy: z.literal('distance').optional(),
});
/** A query as sent (defaults optional). */
export type SpatialQueryInput = z.input<typeof spatialQuery>;
/** A query after validation (defaults applied). */
export type SpatialQuery = z.output<typeof spatialQuery>;
export type SpatialShape = SpatialQuery['shape'];
export type GroupDimension = SpatialQuery['groupBy'][number];

export interface SpatialGroup {
  /** One entry per groupBy dimension, e.g. { area: 'xa-001', state: 'critical' }. */
  key: Record<string, string>;
  count: number;
}

export interface SpatialItem {
  id: string;
  layer: string;
  kind: string;
  state?: string;
  lon: number;
  lat: number;
  /** The commune (or, outside every commune, the province) containing the point at ingest. */
  areaId?: string;
  distanceM?: number;
}

export interface SpatialQueryResult {
  /** Matches, all of them (items holds at most `limit`). */
  total: number;
  /** Largest count first. */
  groups: SpatialGroup[];
  items: SpatialItem[];
  /** Point queries: every area containing the point, communes first. */
  areasHit?: string[];
  /** Time spent in the index. */
  tookMs: number;
}

export const areaAggregateRequest = z.strictObject({
  filter: spatialFilter.optional(),
  groupBy: z
    .array(z.enum(['layer', 'kind', 'state']))
    .refine(distinct, 'groupBy lists a dimension twice')
    .default([]),
});
export type AreaAggregateInput = z.input<typeof areaAggregateRequest>;
export type AreaAggregateRequest = z.output<typeof areaAggregateRequest>;

export interface AreaAggregate {
  areaId: string;
  name: string;
  total: number;
  /** Empty unless the request grouped; largest count first. */
  groups: SpatialGroup[];
}

export interface AreaAggregateResult {
  /** Every commune, in the order given to setAreas (zero counts included: the choropleth needs them). */
  areas: AreaAggregate[];
  tookMs: number;
}

/** "shape.radiusM: Too big: …": the first issue, naming the field (under `root`, e.g. "points.3.lat"). */
export function describeSpatialIssue(error: z.ZodError, root?: string): string {
  const issue = error.issues[0]!;
  const path = [...(root ? [root] : []), ...issue.path.map(String)];
  return `${path.join('.') || '(value)'}: ${issue.message}`;
}
