/**
 * What a scenario puts on the wall: its tiles (from a preset or its own), the map tile looking at
 * the incident, and the camera grid filled with the cameras nearest to it. Built in full before
 * anything changes, so the wall takes it as one revision.
 */
import type { GeoPoint, LiveCamera, Preset, Tile, WallDefinition } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { SpatialQueryPort } from '../../common/ports.js';
import { liveIdOf } from '../gis/field-points.js';
import { nearestCameras } from '../live/cameras.js';
import { maxOf, minOf } from '../../../native-bridge/extremes.js';

type MapTile = Extract<Tile, { kind: 'map' }>;
type CameraGridTile = Extract<Tile, { kind: 'camera-grid' }>;
export type MapViewProps = MapTile['props']['view'];

/** The default zoom when the scenario names none and there is one point to look at. */
const DEFAULT_ZOOM = 14;
const MIN_FIT_ZOOM = 5;
const MAX_FIT_ZOOM = 16;

export function scenarioTiles(scenario: Scenario, presets: readonly Preset[]): { tiles: Tile[]; preset: string | null } {
  if ('tiles' in scenario.layout) return { tiles: structuredClone(scenario.layout.tiles), preset: null };
  const name = scenario.layout.preset;
  const preset = presets.find((p) => p.name === name);
  if (!preset) throw new Error(`scenario ${scenario.name}: there is no preset "${name}"`);
  return { tiles: structuredClone(preset.tiles), preset: name };
}

/** The map tile the scenario drives: the one it names, or the layout's first. */
export function scenarioMapTile(scenario: Scenario, tiles: Tile[]): MapTile | undefined {
  const id = scenario.map?.tileId;
  return tiles.find((t): t is MapTile => t.kind === 'map' && (id === undefined || t.id === id));
}

/** The tile's size on the wall in pixels (grid cells times the display's cell size). */
function tilePixels(wall: WallDefinition, tile: Tile): { width: number; height: number } {
  return { width: (tile.rect.w * wall.display.width) / wall.grid.colsPerDisplay, height: (tile.rect.h * wall.display.height) / wall.grid.rowsPerDisplay };
}

const mercatorY = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));

/** The web-mercator view that shows every point in a box of the given pixels, with a margin. */
export function fitView(points: readonly GeoPoint[], size: { width: number; height: number }, singleZoom = DEFAULT_ZOOM): MapViewProps | null {
  if (points.length === 0) return null;
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  const [west, east, south, north] = [minOf(lons), maxOf(lons), minOf(lats), maxOf(lats)];
  if (east - west < 1e-6 && north - south < 1e-6) return { longitude: points[0]!.lon, latitude: points[0]!.lat, zoom: singleZoom, bearing: 0, pitch: 0 };
  const longitude = (west + east) / 2;
  const latitude = (Math.atan(Math.sinh((mercatorY(south) + mercatorY(north)) / 2)) * 180) / Math.PI;
  // At zoom z the world is 256·2^z pixels wide: 360° of longitude, 2π of mercator y. Keep 15 % margins.
  const usable = 0.7;
  const zoomX = east - west < 1e-6 ? MAX_FIT_ZOOM : Math.log2((size.width * usable * 360) / (256 * (east - west)));
  const zoomY = north - south < 1e-6 ? MAX_FIT_ZOOM : Math.log2((size.height * usable * 2 * Math.PI) / (256 * (mercatorY(north) - mercatorY(south))));
  const zoom = Math.max(MIN_FIT_ZOOM, Math.min(MAX_FIT_ZOOM, Math.min(zoomX, zoomY)));
  return { longitude, latitude, zoom: Math.round(zoom * 100) / 100, bearing: 0, pitch: 0 };
}

export interface FocusInput {
  wall: WallDefinition;
  incident: GeoPoint | null;
  /** Where the firing's sensors, objects and events are (for 'fit-features'). */
  features: readonly GeoPoint[];
  spatial: SpatialQueryPort | null;
}

/** Points the map's focus asks for; an empty list leaves the layout's own view. */
async function focusPoints(scenario: Scenario, input: FocusInput): Promise<GeoPoint[]> {
  const focus = scenario.map?.focus;
  if (focus === undefined) return [];
  if (focus === 'incident') return input.incident ? [input.incident] : [];
  if (focus === 'fit-features') return [...input.features, ...(input.incident ? [input.incident] : [])];
  if (!input.spatial) return [];
  const { items } = await input.spatial.query({ shape: { type: 'area', areaId: focus.area }, groupBy: [], limit: 2000 });
  return items.map((i) => ({ lon: i.lon, lat: i.lat }));
}

/** Points the map tile at the scenario's focus, with its layers; in place. */
export async function focusMap(scenario: Scenario, tiles: Tile[], input: FocusInput): Promise<MapViewProps | null> {
  const map = scenarioMapTile(scenario, tiles);
  if (!map || !scenario.map) return null;
  if (scenario.map.layers) map.props.layers = [...scenario.map.layers];
  if (scenario.map.choropleth) map.props.choropleth = scenario.map.choropleth;
  // One point (the incident) is centred at the scenario's zoom; several are fitted into the tile.
  const view = fitView(await focusPoints(scenario, input), tilePixels(input.wall, map), scenario.map.zoom ?? DEFAULT_ZOOM);
  if (view) map.props.view = view;
  return view;
}

/** The N nearest cameras within R km, through the spatial index when it runs (as cameras.nearest does). */
export async function nearestCameraIds(location: GeoPoint, radiusKm: number, limit: number, spatial: SpatialQueryPort | null, cameras: readonly LiveCamera[]): Promise<string[]> {
  if (!spatial) return nearestCameras(cameras, location, radiusKm, limit).map((c) => c.id);
  const { items } = await spatial.query({ shape: { type: 'radius', lon: location.lon, lat: location.lat, radiusM: radiusKm * 1000 }, filter: { layers: ['camera'] }, groupBy: [], limit });
  return items.map((item) => liveIdOf(item.id));
}

/** Fills the scenario's camera grid with the cameras nearest the incident; in place. Returns their ids (null: untouched). */
export async function fillCameras(scenario: Scenario, tiles: Tile[], incident: GeoPoint | null, spatial: SpatialQueryPort | null, cameras: readonly LiveCamera[]): Promise<string[] | null> {
  const rule = scenario.cameras;
  if (!rule || !incident) return null;
  const grid = tiles.find((t): t is CameraGridTile => t.kind === 'camera-grid' && t.id === rule.tileId);
  if (!grid) return null;
  const ids = await nearestCameraIds(incident, rule.withinKm, rule.nearest, spatial, cameras);
  grid.props.cameras = ids;
  grid.props.maximized = null;
  return ids;
}
