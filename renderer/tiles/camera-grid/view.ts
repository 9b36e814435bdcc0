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

/** The tour is running (enabled, with cameras to show). */
export function tourCameras(props: Pick<GridProps, 'tour' | 'cameras'>): string[] | null {
  const tour = props.tour;
  if (!tour?.enabled) return null;
  const list = (tour.cameras.length > 0 ? tour.cameras : props.cameras).filter((c) => c !== '');
  return list.length > 0 ? list : null;
}

/**
 * Page of the tour at `now`: index = floor(now / dwell) mod pages, derived from the clock alone so
 * every window showing the tile agrees. A page fills the cells with consecutive tour cameras.
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
    return Array.from({ length: count }, (_, i) => tour[page * count + i] ?? '');
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
