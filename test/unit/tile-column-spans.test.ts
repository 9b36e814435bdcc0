/**
 * The parts of a tile each display column shows, in the tile's own pixels: text laid out inside
 * one part never lands in a bezel band (renderer/tiles/bezel-spans.ts, the clock-status tile).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadWallFile } from '../../electron/node/layout-files.js';
import { tileColumnSpans, tileRowSpans, tileTextPiece, tileVirtualRect } from '../../native-bridge/wall-geometry.js';
import { demoWallFile } from '../support/fixtures.js';

const wall = loadWallFile(demoWallFile); // 2×2 of 1920×1080, 24 px bezels, 12 cells a display

describe('tileColumnSpans', () => {
  it('gives a tile within one display column one span, its whole width', () => {
    const rect = { x: 2, y: 0, w: 6, h: 4 };
    assert.deepEqual(tileColumnSpans(wall, rect), [{ start: 0, end: tileVirtualRect(wall, rect).width }]);
  });

  it('splits a tile across both columns at the bezel, leaving the band out', () => {
    const spans = tileColumnSpans(wall, { x: 0, y: 21, w: 24, h: 3 });
    assert.deepEqual(spans, [
      { start: 0, end: 1920 },
      { start: 1944, end: 3864 },
    ]);
  });

  it('measures from the tile left edge when it starts inside a display', () => {
    // x 6 is the middle of the first display (960 px); the tile ends at cell 18, the middle of the second
    const spans = tileColumnSpans(wall, { x: 6, y: 0, w: 12, h: 2 });
    assert.deepEqual(spans, [
      { start: 0, end: 960 },
      { start: 984, end: 1944 },
    ]);
  });

  it('ends a tile on a display boundary in that display, not the next', () => {
    assert.equal(tileColumnSpans(wall, { x: 0, y: 0, w: 12, h: 2 }).length, 1);
    assert.equal(tileColumnSpans(wall, { x: 12, y: 0, w: 12, h: 2 }).length, 1);
  });
});

describe('tileRowSpans and tileTextPiece', () => {
  it('splits a tile across both rows at the horizontal bezel', () => {
    // overview alerts: rows 3…23 — 9 rows on the top displays, 12 on the bottom ones (90 px a row)
    assert.deepEqual(tileRowSpans(wall, { x: 14, y: 3, w: 10, h: 21 }), [
      { start: 0, end: 810 },
      { start: 834, end: 1914 },
    ]);
  });

  it('sets the text of a spanning tile in the largest part one display shows whole', () => {
    // overview shift-note: 12 columns on the left display, 2 on the right one
    assert.deepEqual(tileTextPiece(wall, { x: 0, y: 3, w: 14, h: 9 }), { x: 0, y: 0, width: 1920, height: 810 });
    // overview alerts: 2 + 8 columns on the right display; the bottom part is the larger
    assert.deepEqual(tileTextPiece(wall, { x: 14, y: 3, w: 10, h: 21 }), { x: 0, y: 834, width: 1600, height: 1080 });
    // a tile leaning right: 4 columns left of the bezel, 8 right of it
    assert.deepEqual(tileTextPiece(wall, { x: 8, y: 0, w: 12, h: 6 }), { x: 664, y: 0, width: 1280, height: 540 });
  });

  it('gives a tile on one display its whole rectangle, and breaks a tie toward the left and top', () => {
    const rect = { x: 2, y: 2, w: 6, h: 4 };
    const whole = tileVirtualRect(wall, rect);
    assert.deepEqual(tileTextPiece(wall, rect), { x: 0, y: 0, width: whole.width, height: whole.height });
    assert.deepEqual(tileTextPiece(wall, { x: 6, y: 6, w: 12, h: 12 }), { x: 0, y: 0, width: 960, height: 540 });
  });
});
