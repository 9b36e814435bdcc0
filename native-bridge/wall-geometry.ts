/**
 * Wall geometry shared by host and renderer: wall-grid cells ↔ the wall's virtual pixel plane,
 * with bezel compensation (the pixels hidden behind bezels belong to the picture but are never
 * shown, so a tile spanning two displays reads as one picture seen through a window frame).
 */
import type { TileRect, WallDefinition, WindowId } from './contract.js';

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplaySlot {
  windowId: WindowId;
  row: number;
  column: number;
}

/** Two grid rects share at least one cell (touching edges do not). */
export function rectsOverlap(a: TileRect, b: TileRect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function displayWindowIdOf(row: number, column: number): WindowId {
  return `r${row}c${column}`;
}

export function parseDisplayWindowId(id: string): { row: number; column: number } | null {
  const m = /^r(\d{1,2})c(\d{1,2})$/.exec(id);
  return m ? { row: Number(m[1]), column: Number(m[2]) } : null;
}

export function displaySlots(wall: WallDefinition): DisplaySlot[] {
  const slots: DisplaySlot[] = [];
  for (let row = 0; row < wall.rows; row++) {
    for (let column = 0; column < wall.columns; column++) slots.push({ windowId: displayWindowIdOf(row, column), row, column });
  }
  return slots;
}

export function gridSize(wall: WallDefinition): { cols: number; rows: number } {
  return { cols: wall.columns * wall.grid.colsPerDisplay, rows: wall.rows * wall.grid.rowsPerDisplay };
}

/** Size of the whole virtual plane, bezels included. */
export function virtualSize(wall: WallDefinition): { width: number; height: number } {
  const { width, height, bezelPx } = wall.display;
  return { width: wall.columns * width + (wall.columns - 1) * bezelPx, height: wall.rows * height + (wall.rows - 1) * bezelPx };
}

/** Where a display's top-left corner sits on the virtual plane. */
export function displayOrigin(wall: WallDefinition, row: number, column: number): { x: number; y: number } {
  const { width, height, bezelPx } = wall.display;
  return { x: column * (width + bezelPx), y: row * (height + bezelPx) };
}

function lineToPx(line: number, cellsPerDisplay: number, displayPx: number, bezelPx: number, isEnd: boolean): number {
  // An end line on a display boundary is the right/bottom edge of the display before it, not the
  // left edge of the next: the bezel after a tile is not part of the tile.
  const display = isEnd && line > 0 && line % cellsPerDisplay === 0 ? line / cellsPerDisplay - 1 : Math.floor(line / cellsPerDisplay);
  const within = line - display * cellsPerDisplay;
  return display * (displayPx + bezelPx) + (within * displayPx) / cellsPerDisplay;
}

/** A tile's rectangle on the virtual plane. */
export function tileVirtualRect(wall: WallDefinition, rect: TileRect): PixelRect {
  const { width, height, bezelPx } = wall.display;
  const { colsPerDisplay, rowsPerDisplay } = wall.grid;
  const x = lineToPx(rect.x, colsPerDisplay, width, bezelPx, false);
  const y = lineToPx(rect.y, rowsPerDisplay, height, bezelPx, false);
  const right = lineToPx(rect.x + rect.w, colsPerDisplay, width, bezelPx, true);
  const bottom = lineToPx(rect.y + rect.h, rowsPerDisplay, height, bezelPx, true);
  return { x, y, width: right - x, height: bottom - y };
}

/** A stretch of a tile along one axis, in the tile's own pixels (0 is its left or top edge). */
export interface PixelSpan {
  start: number;
  end: number;
}

function axisSpans(tileStart: number, tileLength: number, firstCell: number, lastCell: number, cells: number, displayPx: number, bezelPx: number): PixelSpan[] {
  const spans: PixelSpan[] = [];
  for (let display = Math.floor(firstCell / cells); display <= Math.floor(lastCell / cells); display++) {
    const near = display * (displayPx + bezelPx);
    spans.push({ start: Math.max(near, tileStart) - tileStart, end: Math.min(near + displayPx, tileStart + tileLength) - tileStart });
  }
  return spans;
}

/**
 * The parts of a tile on each display column it spans, left to right, in the tile's own pixels:
 * the bezel bands between them belong to the picture but no one sees them, so text laid out
 * inside one span is whole on one display.
 */
export function tileColumnSpans(wall: WallDefinition, rect: TileRect): PixelSpan[] {
  const tile = tileVirtualRect(wall, rect);
  return axisSpans(tile.x, tile.width, rect.x, rect.x + rect.w - 1, wall.grid.colsPerDisplay, wall.display.width, wall.display.bezelPx);
}

/** The parts of a tile on each display row it spans, top to bottom, in the tile's own pixels. */
export function tileRowSpans(wall: WallDefinition, rect: TileRect): PixelSpan[] {
  const tile = tileVirtualRect(wall, rect);
  return axisSpans(tile.y, tile.height, rect.y, rect.y + rect.h - 1, wall.grid.rowsPerDisplay, wall.display.height, wall.display.bezelPx);
}

function widest(spans: readonly PixelSpan[]): PixelSpan {
  return spans.reduce((best, span) => (span.end - span.start > best.end - best.start ? span : best));
}

/**
 * The largest part of a tile that one display shows whole, in the tile's own pixels: where a
 * tile of lines and tables sets its text when it spans displays, so no line runs under a bezel.
 * Ties go to the left and top part, where the eye starts.
 */
export function tileTextPiece(wall: WallDefinition, rect: TileRect): PixelRect {
  const column = widest(tileColumnSpans(wall, rect));
  const row = widest(tileRowSpans(wall, rect));
  return { x: column.start, y: row.start, width: column.end - column.start, height: row.end - row.start };
}

/**
 * How one display shows a tile: the tile's full rectangle in that window's pixel coordinates
 * (it may extend beyond the window, which clips it), or null when the tile misses the display.
 */
export function tileInDisplay(wall: WallDefinition, rect: TileRect, row: number, column: number): PixelRect | null {
  const tile = tileVirtualRect(wall, rect);
  const origin = displayOrigin(wall, row, column);
  const local = { x: tile.x - origin.x, y: tile.y - origin.y, width: tile.width, height: tile.height };
  const misses = local.x >= wall.display.width || local.y >= wall.display.height || local.x + local.width <= 0 || local.y + local.height <= 0;
  return misses ? null : local;
}

/** Snaps a point on the virtual plane to the nearest wall-grid line (used by the console). */
export function virtualPxToGrid(wall: WallDefinition, px: { x: number; y: number }): { x: number; y: number } {
  const { width, height, bezelPx } = wall.display;
  const { colsPerDisplay, rowsPerDisplay } = wall.grid;
  const axis = (v: number, displayPx: number, cells: number, count: number) => {
    const display = Math.min(count - 1, Math.max(0, Math.floor(v / (displayPx + bezelPx))));
    const within = Math.min(displayPx, Math.max(0, v - display * (displayPx + bezelPx)));
    return display * cells + Math.round((within / displayPx) * cells);
  };
  return { x: axis(px.x, width, colsPerDisplay, wall.columns), y: axis(px.y, height, rowsPerDisplay, wall.rows) };
}
