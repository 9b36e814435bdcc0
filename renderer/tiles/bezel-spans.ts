/**
 * How a tile that spans displays keeps its text off the bezels (native-bridge/wall-geometry.ts):
 * maps run across them by design (one picture), the clock-status bar lays out one part per display
 * column itself (useTileColumnSpans), a camera grid shares its cells among the display parts so
 * each camera lies whole on one display (useTileColumnSpans, useTileRowSpans), and every other
 * kind sets its lines and tables inside the largest part one display shows whole (tileTextPiece).
 * Wall windows provide the spans per tile; the console's previews have no bezels and get null.
 */
import { createContext, useContext } from 'react';
import type { PixelSpan } from '../../native-bridge/wall-geometry.js';

export const TileColumnSpans = createContext<readonly PixelSpan[] | null>(null);
export const TileRowSpans = createContext<readonly PixelSpan[] | null>(null);

/** The tile's parts on each display column, or null when it lies on one display (or in the console). */
export function useTileColumnSpans(): readonly PixelSpan[] | null {
  const spans = useContext(TileColumnSpans);
  return spans && spans.length > 1 ? spans : null;
}

/** The tile's parts on each display row, or null when it lies on one display row (or in the console). */
export function useTileRowSpans(): readonly PixelSpan[] | null {
  const spans = useContext(TileRowSpans);
  return spans && spans.length > 1 ? spans : null;
}

const SPANS_BEZELS = new Set(['map', 'camera', 'camera-grid', 'clock-status']);

/** Kinds whose text goes into one display's part of the tile when the tile spans several. */
export function setsTextInOnePiece(kind: string): boolean {
  return !SPANS_BEZELS.has(kind);
}
