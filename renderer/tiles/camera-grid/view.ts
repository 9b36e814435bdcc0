/** Pure view logic of the camera grid: its size, which camera each cell shows (tour included). */
import type { z } from 'zod';
import type { cameraGridProps } from '../../../native-bridge/tile-props/camera-grid.js';

type GridProps = z.output<typeof cameraGridProps>;

export function gridSize(props: Pick<GridProps, 'layout' | 'columns' | 'rows'>): { columns: number; rows: number } {
  switch (props.layout) {
    case '1x1':
      return { columns: 1, rows: 1 };
    case '2x2':
      return { columns: 2, rows: 2 };
    case '3x3':
      return { columns: 3, rows: 3 };
    case '4x4':
      return { columns: 4, rows: 4 };
    default:
      return { columns: props.columns, rows: props.rows };
  }
}

export function cellCount(props: Pick<GridProps, 'layout' | 'columns' | 'rows'>): number {
  const { columns, rows } = gridSize(props);
  return columns * rows;
}

/** The tour's cameras, each once, when the tour is running (enabled, with cameras to show). */
export function tourCameras(props: Pick<GridProps, 'tour' | 'cameras'>): string[] | null {
  const tour = props.tour;
  if (!tour?.enabled) return null;
  // a camera listed twice would show twice on one page, under the same name
  const list = [...new Set((tour.cameras.length > 0 ? tour.cameras : props.cameras).filter((c) => c !== ''))];
  return list.length > 0 ? list : null;
}

/**
 * Page of the tour at `now`: index = floor(now / dwell) mod pages, derived from the clock alone so
 * every window showing the tile agrees. A page fills the cells with consecutive tour cameras; the
 * last page goes on from the start of the list, so no cell is left empty while the tour has as
 * many cameras as cells, and no camera is on a page twice.
 */
export function tourPage(now: number, dwellSeconds: number, pages: number): number {
  if (pages <= 1) return 0;
  return Math.floor(now / (dwellSeconds * 1000)) % pages;
}

/** The camera id of every cell ('' = empty), in reading order. */
export function slotCameras(props: GridProps, now: number): string[] {
  const count = cellCount(props);
  const tour = tourCameras(props);
  if (tour) {
    const pages = Math.ceil(tour.length / count);
    const page = tourPage(now, props.tour!.dwellSeconds, pages);
    return Array.from({ length: count }, (_, i) => (i < tour.length ? tour[(page * count + i) % tour.length]! : ''));
  }
  return Array.from({ length: count }, (_, i) => props.cameras[i] ?? '');
}

/** Epoch ms of the next page change, or null without a running tour. */
export function nextTourChange(props: GridProps, now: number): number | null {
  const tour = tourCameras(props);
  if (!tour || tour.length <= cellCount(props)) return null;
  const dwell = props.tour!.dwellSeconds * 1000;
  return (Math.floor(now / dwell) + 1) * dwell;
}

/** A stretch along one axis, in the grid's own pixels (0 is its left or top edge). */
export interface Stretch {
  start: number;
  end: number;
}

export interface CellBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The tile's parts on each display (spans in the tile's pixels, see native-bridge/wall-geometry.ts)
 * as the grid sees them: moved by the grid's offset inside the tile (its header and frame) and cut
 * to the grid's length. Parts the grid does not reach are dropped.
 */
export function partsInGrid(spans: readonly Stretch[], offset: number, length: number): Stretch[] {
  return spans
    .map((s) => ({ start: Math.max(0, s.start - offset), end: Math.min(length, s.end - offset) }))
    .filter((s) => s.end - s.start >= 1);
}

/**
 * How many of `count` rows (or columns) go into each part, in proportion to the parts' lengths
 * (largest remainder; a tie goes to the earlier part, left or top). A part too small for its
 * share of one gets none and stays black.
 */
export function shareAmongParts(count: number, lengths: readonly number[]): number[] {
  const total = lengths.reduce((sum, l) => sum + Math.max(0, l), 0);
  if (lengths.length === 0) return [];
  if (!(total > 0)) return lengths.map((_, i) => (i === 0 ? count : 0));
  const exact = lengths.map((l) => (count * Math.max(0, l)) / total);
  const shares = exact.map((e) => Math.floor(e));
  let left = count - shares.reduce((sum, s) => sum + s, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]!++;
    left--;
  }
  return shares;
}

/** `count` cells along one axis, each whole inside one part, `gap` pixels between neighbours in a part. */
export function cellsAlong(count: number, parts: readonly Stretch[], gap: number): Stretch[] {
  const shares = shareAmongParts(count, parts.map((p) => p.end - p.start));
  return parts.flatMap((part, p) => {
    const n = shares[p]!;
    const size = (part.end - part.start - gap * (n - 1)) / n;
    return Array.from({ length: n }, (_, i) => ({ start: part.start + i * (size + gap), end: part.start + i * (size + gap) + size }));
  });
}

/**
 * Where each cell of a `columns` × `rows` grid goes (reading order) when the grid spans
 * displays: the columns are shared among the display columns' parts and the rows among the
 * display rows' parts, so every cell lies whole on one display and no camera runs under a bezel
 * (nor plays in two windows at once, each showing a piece of it).
 */
export function cellBoxes(columns: number, rows: number, columnParts: readonly Stretch[], rowParts: readonly Stretch[], gap: number): CellBox[] {
  const xs = cellsAlong(columns, columnParts, gap);
  const ys = cellsAlong(rows, rowParts, gap);
  return ys.flatMap((y) => xs.map((x) => ({ x: x.start, y: y.start, width: x.end - x.start, height: y.end - y.start })));
}

function longest(parts: readonly Stretch[]): Stretch {
  return parts.reduce((best, p) => (p.end - p.start > best.end - best.start ? p : best));
}

/** A maximized camera of a grid spanning displays: the largest part one display shows whole (ties go left and up). */
export function maximizedBox(columnParts: readonly Stretch[], rowParts: readonly Stretch[]): CellBox {
  const x = longest(columnParts);
  const y = longest(rowParts);
  return { x: x.start, y: y.start, width: x.end - x.start, height: y.end - y.start };
}
