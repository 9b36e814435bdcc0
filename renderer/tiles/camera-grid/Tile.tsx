/**
 * A grid of live cameras. A maximized camera fills the tile (the same cell instance grows, so its
 * player switches to the main stream make-before-break); a tour pages through its cameras on a
 * clock shared by every window. Double-click maximizes only in the console: wall windows are
 * display-only and follow props.maximized.
 *
 * A grid that spans displays shares its cells among the tile's parts on each display (view.ts,
 * cellBoxes): every camera lies whole on one display, none runs under a bezel, and a camera plays
 * in the one window that shows it. A maximized camera there fills the largest part one display
 * shows whole.
 */
import { Fragment, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { session } from '../../session/session.js';
import { CameraCell, EmptyCameraCell } from '../../video/CameraCell.js';
import { useTileColumnSpans, useTileRowSpans } from '../bezel-spans.js';
import type { TileProps } from '../types.js';
import { cellBoxes, gridSize, maximizedBox, nextTourChange, partsInGrid, slotCameras, type CellBox, type Stretch } from './view.js';

/** Pixels between two cells (the CSS grid's gap, tiles.css). */
const GAP_PX = 2;

interface GridPlace {
  /** The grid's offset inside its tile (header, frame) and its size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export default function CameraGridTile({ tile, context }: TileProps<'camera-grid'>) {
  const props = tile.props;
  const [now, setNow] = useState(() => Date.now());
  const next = nextTourChange(props, now);
  useEffect(() => {
    if (next === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [next]);

  const columnSpans = useTileColumnSpans();
  const rowSpans = useTileRowSpans();
  const spansBezel = columnSpans !== null || rowSpans !== null;
  const { place, ref: placeRef } = useGridPlace(spansBezel);

  const { columns, rows } = gridSize(props);
  const slots = slotCameras(props, now);
  const maximized = props.maximized;
  const maxIndex = maximized ? slots.indexOf(maximized) : -1;

  const toggle = (cameraId: string) => {
    if (context.surface !== 'console') return;
    void session().execute({ type: 'set-tile-props', id: tile.id, props: { maximized: maximized === cameraId ? null : cameraId } });
  };

  const cell = (cameraId: string, index: number, isMax: boolean): { key: string; node: ReactNode } => ({
    key: cameraId && isMax && index < 0 ? 'max' : `slot-${index}`,
    node: cameraId ? (
      <CameraCell
        tileId={tile.id}
        slot={String(index)}
        cameraId={cameraId}
        preference="auto"
        showName
        surface={context.surface}
        maximized={isMax}
        onActivate={() => toggle(cameraId)}
      />
    ) : (
      <EmptyCameraCell slot={index} />
    ),
  });
  const shown = maximized ? [cell(maximized, maxIndex, true)] : slots.map((id, i) => cell(id, i, false));

  if (spansBezel) {
    const boxes = place ? partBoxes(place, columnSpans, rowSpans, columns, rows, maximized !== null) : [];
    return (
      <div ref={placeRef} className="camera-grid camera-grid-parts" data-columns={columns} data-rows={rows} data-maximized={maximized ?? undefined} data-bezel-parts="">
        {place
          ? shown.map(({ key, node }, i) => {
              const box = boxes[i];
              return box ? (
                <div key={key} className="camera-grid-slot" style={{ left: box.x, top: box.y, width: box.width, height: box.height }}>
                  {node}
                </div>
              ) : null;
            })
          : null}
      </div>
    );
  }

  return (
    <div
      className="camera-grid"
      data-columns={columns}
      data-rows={rows}
      data-maximized={maximized ?? undefined}
      style={maximized ? undefined : { gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}
    >
      {shown.map(({ key, node }) => (
        <Fragment key={key}>{node}</Fragment>
      ))}
    </div>
  );
}

/** The cells' boxes in the grid for a grid spanning displays; the tile's spans are in the tile's pixels. */
function partBoxes(place: GridPlace, columnSpans: readonly Stretch[] | null, rowSpans: readonly Stretch[] | null, columns: number, rows: number, maximized: boolean): CellBox[] {
  const columnParts = partsInGrid(columnSpans ?? [{ start: place.x, end: place.x + place.width }], place.x, place.width);
  const rowParts = partsInGrid(rowSpans ?? [{ start: place.y, end: place.y + place.height }], place.y, place.height);
  if (columnParts.length === 0 || rowParts.length === 0) return [];
  return maximized ? [maximizedBox(columnParts, rowParts)] : cellBoxes(columns, rows, columnParts, rowParts, GAP_PX);
}

/**
 * Where the grid sits in its tile, measured when its size changes (a ResizeObserver reports after
 * layout, before paint, so the cells are placed in the first frame). Only for a grid spanning displays.
 */
function useGridPlace(active: boolean): { place: GridPlace | null; ref: (element: HTMLDivElement | null) => void } {
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const [place, setPlace] = useState<GridPlace | null>(null);
  useLayoutEffect(() => {
    if (!active || !element) return;
    const measure = () => {
      const tileElement = element.closest<HTMLElement>('[data-tile-id]') ?? element;
      const grid = element.getBoundingClientRect();
      const tileBox = tileElement.getBoundingClientRect();
      const next = { x: grid.left - tileBox.left, y: grid.top - tileBox.top, width: grid.width, height: grid.height };
      setPlace((p) => (p && Math.abs(p.x - next.x) < 0.5 && Math.abs(p.y - next.y) < 0.5 && Math.abs(p.width - next.width) < 0.5 && Math.abs(p.height - next.height) < 0.5 ? p : next));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [active, element]);
  return { place: active ? place : null, ref: setElement };
}
