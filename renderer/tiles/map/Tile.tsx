/**
 * A map tile on a wall window: one view of the window's Deck, placed at the tile body's full
 * rectangle (which may extend past this window when the tile spans displays), so the windows
 * together draw one continuous map. The body is transparent: the Deck's canvas lies beneath the
 * tiles. The legend is DOM on top.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Tile } from '../../../native-bridge/contract.js';
import { buildMapLayers, type MapData } from '../../map/layers.js';
import { shownPointDatasets, useMapData } from '../../map/map-data.js';
import { useChoropleth } from '../../map/choropleth.js';
import { wallDeck } from '../../map/wall-deck.js';
import type { ViewCamera, ViewRect } from '../../map/window-deck.js';
import { MapLegend } from './MapLegend.js';
import type { TileProps } from '../types.js';

export default function MapTile({ tile, context }: TileProps<'map'>) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const rect = useBodyRect(bodyRef, tile.rect);
  const { view, layers: shown, choropleth: measure, legend } = tile.props;
  const choropleth = useChoropleth(shown.includes('choropleth') ? measure : null);
  const data = useMapData(choropleth, shownPointDatasets(tile.props));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [data]);
  const layers = useMemo(() => buildMapLayers(tile.id, shown, data, now), [tile.id, shown, data, now]);
  const camera = useMemo<ViewCamera>(() => ({ ...view }), [view]);

  useEffect(() => {
    if (!rect || context.surface !== 'wall') return;
    const deck = wallDeck();
    deck.set({
      id: tile.id,
      rect,
      camera,
      layers,
      onRendered: (drawn) => markRendered(bodyRef.current, drawn),
    });
  }, [tile.id, rect, camera, layers, context.surface]);

  useEffect(() => () => wallDeck().remove(tile.id), [tile.id]);

  return (
    <div className="map-tile" ref={bodyRef} data-map-tile={tile.id}>
      {legend ? <MapLegend shown={shown} data={data as MapData} measure={measure} choropleth={choropleth} /> : null}
    </div>
  );
}

/**
 * The body's rectangle in window pixels, kept current as the tile moves or the window resizes.
 * Measured once layout is due anyway (a ResizeObserver's callback, an animation frame), never in
 * the commit: reading it there forces a layout of the whole new wall in the middle of a patch
 * (the largest script cost of a scenario activation), and again on every live re-render.
 */
function useBodyRect(ref: React.RefObject<HTMLDivElement | null>, placement: Tile['rect']): ViewRect | null {
  const [rect, setRect] = useState<ViewRect | null>(null);
  const measure = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    const r = element.getBoundingClientRect();
    const next = { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) };
    setRect((previous) => (previous && previous.x === next.x && previous.y === next.y && previous.width === next.width && previous.height === next.height ? previous : next));
  }, [ref]);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    // it reports the first size after the first layout, then every resize
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, measure]);
  // a move changes position, not size: a new placement is measured in the next frame
  useEffect(() => {
    const frame = requestAnimationFrame(measure);
    return () => cancelAnimationFrame(frame);
  }, [placement, measure]);
  return rect;
}

/** Tests and the scenario bench read which view a frame actually drew. */
function markRendered(element: HTMLElement | null, camera: ViewCamera): void {
  if (!element) return;
  const value = `${camera.longitude.toFixed(5)},${camera.latitude.toFixed(5)},${camera.zoom.toFixed(3)}`;
  if (element.dataset.renderedView !== value) element.dataset.renderedView = value;
  element.dataset.frames = String(Number(element.dataset.frames ?? 0) + 1);
}
