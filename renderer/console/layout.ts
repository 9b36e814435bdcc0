/** Pure helpers for console editing: grid clamping, free-space search, default tiles. */
import { tilePropSchemas, type Tile, type TileKind, type TileRect, type WallDefinition } from '../../native-bridge/contract.js';
import { gridSize, rectsOverlap } from '../../native-bridge/wall-geometry.js';

export function sameRect(a: TileRect, b: TileRect): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
}

/** First free w×h area scanning rows top to bottom, left to right; null when the wall is full. */
export function findFreeArea(wall: WallDefinition, tiles: readonly Tile[], w: number, h: number, ignoreId?: string): TileRect | null {
  const grid = gridSize(wall);
  const width = Math.min(w, grid.cols);
  const height = Math.min(h, grid.rows);
  const others = tiles.filter((t) => t.id !== ignoreId);
  for (let y = 0; y + height <= grid.rows; y++) {
    for (let x = 0; x + width <= grid.cols; x++) {
      const candidate = { x, y, w: width, h: height };
      if (!others.some((t) => rectsOverlap(t.rect, candidate))) return candidate;
    }
  }
  return null;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** A fresh tile of a kind with its schema's default props (note gets starter text). */
export function newTile(kind: TileKind, rect: TileRect, defaultNoteText: string): Tile {
  const seed: Record<string, unknown> = kind === 'note' ? { markdown: defaultNoteText } : {};
  const props: unknown = tilePropSchemas[kind].parse(seed);
  return { id: `${kind}-${Date.now().toString(36)}`, kind, rect, props } as Tile;
}
