/**
 * The map bench's baseline: a bare deck.gl page with the layers a bench map tile shows (990,000
 * dataset points as binary attributes, their heat map, 3,000 commune polygons, 10,000 moving
 * objects with trails), written the way a plain deck.gl user would: the objects' data arrays are
 * replaced on every move. Bundled by bench/map.ts with esbuild; data files lie next to it.
 */
import { Deck, MapView } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { FeatureCollection } from 'geojson';
import { BENCH_VIEW, MOVING_OBJECTS, MovingObjects, SLICES_PER_SECOND, TRAIL_LENGTH } from './scene.js';

type Rgba = [number, number, number, number];
interface MovingObject {
  position: [number, number];
  trail: [number, number][];
}

const FILLS: Rgba[] = [
  [255, 255, 204, 70],
  [254, 217, 118, 110],
  [253, 141, 60, 140],
  [227, 26, 28, 160],
];

const [positions, communes] = await Promise.all([
  fetch('points.bin').then(async (r) => new Float32Array(await r.arrayBuffer())),
  fetch('communes.geojson').then(async (r) => (await r.json()) as FeatureCollection),
]);
const points = { length: positions.length / 2, attributes: { getPosition: { value: positions, size: 2 as const } } };
// the bench's scale sets how many objects move (?objects=N; the full scene's by default)
const objectCount = Number(new URLSearchParams(location.search).get('objects') ?? MOVING_OBJECTS);
const walk = new MovingObjects(objectCount);
let objects: MovingObject[] = Array.from({ length: objectCount }, (_, i) => ({ position: [walk.lon[i]!, walk.lat[i]!], trail: [[walk.lon[i]!, walk.lat[i]!]] }));

const staticLayers = [
  new GeoJsonLayer({
    id: 'communes',
    data: communes,
    filled: true,
    stroked: true,
    getFillColor: (_f: unknown, { index }: { index: number }) => FILLS[index % FILLS.length]!,
    getLineColor: [140, 150, 170, 160],
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
  }),
  new HeatmapLayer({ id: 'points-heat', data: points, radiusPixels: 30, intensity: 1 }),
  new ScatterplotLayer({ id: 'points', data: points, getRadius: 1.5, radiusUnits: 'pixels', getFillColor: [255, 214, 102, 200] }),
];

const layers = () => [
  ...staticLayers,
  new PathLayer<MovingObject>({ id: 'object-trails', data: objects, getPath: (o) => o.trail, getColor: [0, 200, 200, 140], getWidth: 2, widthUnits: 'pixels' }),
  new ScatterplotLayer<MovingObject>({
    id: 'objects',
    data: objects,
    getPosition: (o) => o.position,
    getRadius: 6,
    radiusUnits: 'pixels',
    getFillColor: [0, 200, 200, 240],
    stroked: true,
    getLineColor: [10, 14, 20, 255],
    lineWidthMinPixels: 1,
  }),
];

const deck = new Deck({
  parent: document.getElementById('map') as HTMLDivElement,
  width: '100%',
  height: '100%',
  useDevicePixels: 1,
  views: new MapView({ id: 'map', repeat: true }),
  viewState: BENCH_VIEW,
  controller: false,
  layers: layers(),
});

let slice = 0;
let mover: ReturnType<typeof setInterval> | null = null;
const moveSlice = () => {
  const moved = new Set(walk.moveSlice(slice++));
  objects = objects.map((o, i) => {
    if (!moved.has(i)) return o;
    const position: [number, number] = [walk.lon[i]!, walk.lat[i]!];
    return { position, trail: [...o.trail.slice(-(TRAIL_LENGTH - 1)), position] };
  });
  deck.setProps({ layers: layers() });
};

Object.assign(window, {
  __baselineDeck: deck,
  __baselineMover: {
    start: () => (mover ??= setInterval(moveSlice, 1000 / SLICES_PER_SECOND)),
    stop: () => {
      if (mover) clearInterval(mover);
      mover = null;
    },
  },
});
