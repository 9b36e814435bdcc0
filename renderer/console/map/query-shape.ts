/** The query being drawn or last run, drawn over the console's map. */
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection } from 'geojson';
import { layerIdFor } from '../../map/window-deck.js';

export type QueryMode = 'pan' | 'point' | 'radius' | 'region' | 'area';

export type QueryShape =
  | { type: 'point'; center: [number, number] }
  | { type: 'radius'; center: [number, number]; radiusM: number }
  | { type: 'region'; ring: [number, number][] }
  | { type: 'area'; areaId: string };

const OUTLINE: [number, number, number, number] = [255, 214, 10, 255];
const FILL: [number, number, number, number] = [255, 214, 10, 40];

export function queryShapeLayers(viewId: string, shape: QueryShape | null, draft: [number, number][], communes: FeatureCollection | null): Layer[] {
  const id = (name: string) => layerIdFor(viewId, name);
  const layers: Layer[] = [];
  if (draft.length > 0) {
    layers.push(
      new PathLayer<[number, number][]>({ id: id('query-draft'), data: [draft], getPath: (p) => p, getColor: OUTLINE, getWidth: 2, widthUnits: 'pixels' }),
      new ScatterplotLayer<[number, number]>({ id: id('query-draft-points'), data: draft, getPosition: (p) => p, getRadius: 4, radiusUnits: 'pixels', getFillColor: OUTLINE }),
    );
  }
  if (!shape) return layers;
  if (shape.type === 'point' || shape.type === 'radius') {
    const radius = shape.type === 'radius' ? shape.radiusM : 300;
    layers.push(
      new ScatterplotLayer<[number, number]>({
        id: id('query-shape'),
        data: [shape.center],
        getPosition: (p) => p,
        getRadius: radius,
        radiusUnits: 'meters',
        filled: true,
        getFillColor: FILL,
        stroked: true,
        getLineColor: OUTLINE,
        lineWidthMinPixels: 2,
      }),
    );
  } else if (shape.type === 'region') {
    const polygon: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [shape.ring] } };
    layers.push(new GeoJsonLayer({ id: id('query-shape'), data: [polygon], getFillColor: FILL, getLineColor: OUTLINE, getLineWidth: 2, lineWidthUnits: 'pixels' }));
  } else if (communes) {
    const area = communes.features.filter((f) => String(f.properties?.id) === shape.areaId);
    layers.push(new GeoJsonLayer({ id: id('query-shape'), data: area, getFillColor: FILL, getLineColor: OUTLINE, getLineWidth: 3, lineWidthUnits: 'pixels' }));
  }
  return layers;
}
