/**
 * Where a camera dragged from the camera list lands on the wall miniature, and the command it
 * makes: a grid cell or a camera tile → set-tile-props; empty wall space → add-tile (a new camera
 * tile centred on the drop point). Found with elementsFromPoint, so it works with real pointer
 * events and pointer capture alike.
 */
import type { Command, Tile, WallState } from '../../native-bridge/contract.js';
import { gridSize, rectsOverlap, virtualPxToGrid } from '../../native-bridge/wall-geometry.js';
import { cellCount } from '../tiles/camera-grid/view.js';
import { clamp } from './layout.js';

/** Size of a camera tile added by dropping on empty space, in wall grid cells. */
export const NEW_CAMERA_TILE = { w: 4, h: 3 };

export type DropTarget =
  | { kind: 'grid-cell'; tileId: string; slot: number; element: HTMLElement }
  | { kind: 'camera-tile'; tileId: string; element: HTMLElement }
  | { kind: 'grid-tile'; tileId: string; element: HTMLElement }
  | { kind: 'wall'; element: HTMLElement; clientX: number; clientY: number };

export function dropTargetAt(clientX: number, clientY: number): DropTarget | null {
  for (const el of document.elementsFromPoint(clientX, clientY)) {
    if (!(el instanceof HTMLElement)) continue;
    const cell = el.closest<HTMLElement>('[data-mini-camera-cell]');
    if (cell?.dataset.tileId) return { kind: 'grid-cell', tileId: cell.dataset.tileId, slot: Number(cell.dataset.slot), element: cell };
    const tile = el.closest<HTMLElement>('[data-mini-tile-id]');
    if (tile?.dataset.miniTileId) {
      const kind = tile.dataset.kind;
      if (kind === 'camera') return { kind: 'camera-tile', tileId: tile.dataset.miniTileId, element: tile };
      if (kind === 'camera-grid') return { kind: 'grid-tile', tileId: tile.dataset.miniTileId, element: tile };
      return null; // another kind of tile: not a drop target
    }
    if (el.classList.contains('miniature-plane') || el.classList.contains('mini-display')) return { kind: 'wall', element: el, clientX, clientY };
  }
  return null;
}

/** The command a drop makes, or a reason it makes none. */
export function dropCommand(target: DropTarget, cameraId: string, state: WallState, newId: string): { command: Command } | { refused: 'no-room' | 'unknown-tile' } {
  if (target.kind === 'wall') {
    const plane = target.element.closest<HTMLElement>('.miniature-plane');
    const scale = Number(plane?.closest<HTMLElement>('[data-scale]')?.dataset.scale ?? NaN);
    if (!plane || !Number.isFinite(scale) || scale <= 0) return { refused: 'no-room' };
    const box = plane.getBoundingClientRect();
    const wall = state.wall;
    const grid = gridSize(wall);
    const w = Math.min(NEW_CAMERA_TILE.w, grid.cols);
    const h = Math.min(NEW_CAMERA_TILE.h, grid.rows);
    const cellW = wall.display.width / wall.grid.colsPerDisplay;
    const cellH = wall.display.height / wall.grid.rowsPerDisplay;
    const p = { x: (target.clientX - box.left) / scale - (w * cellW) / 2, y: (target.clientY - box.top) / scale - (h * cellH) / 2 };
    const g = virtualPxToGrid(wall, { x: Math.max(0, p.x), y: Math.max(0, p.y) });
    const rect = { x: clamp(g.x, 0, grid.cols - w), y: clamp(g.y, 0, grid.rows - h), w, h };
    if (state.tiles.some((t) => rectsOverlap(t.rect, rect))) return { refused: 'no-room' };
    const tile = { id: newId, kind: 'camera', rect, props: { cameraId, stream: 'auto', showName: true } } as Tile;
    return { command: { type: 'add-tile', tile } };
  }
  const tile = state.tiles.find((t) => t.id === target.tileId);
  if (!tile) return { refused: 'unknown-tile' };
  if (target.kind === 'camera-tile') return { command: { type: 'set-tile-props', id: tile.id, props: { cameraId } } };
  if (tile.kind !== 'camera-grid') return { refused: 'unknown-tile' };
  const cameras = [...tile.props.cameras];
  const count = cellCount(tile.props);
  // on the grid but not on a cell: its first empty cell
  const slot = target.kind === 'grid-cell' ? target.slot : Array.from({ length: count }, (_, i) => cameras[i] ?? '').indexOf('');
  if (slot < 0 || slot >= count) return { refused: 'no-room' };
  while (cameras.length <= slot) cameras.push('');
  cameras[slot] = cameraId;
  return { command: { type: 'set-tile-props', id: tile.id, props: { cameras } } };
}
