/**
 * A camera grid that spans displays lays its cells out per display (renderer/tiles/camera-grid/
 * view.ts): every cell lies whole on one display, none runs under a bezel or is played in two
 * windows at once, each showing a piece of it. Checked on the demo wall's real geometry for every
 * camera grid of the shipped presets and scenarios, and for grids over both bezels at once.
 * Also the tour's pages (full, each camera once a page).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tile, TileRect } from '../../native-bridge/contract.js';
import { loadPresetDir, loadWallFile } from '../../electron/node/layout-files.js';
import { defaultPresetsDir, defaultScenariosDir } from '../../electron/node/project-paths.js';
import { loadScenarioDir } from '../../electron/node/scenarios/scenario-files.js';
import { tileColumnSpans, tileRowSpans, tileVirtualRect, type PixelSpan } from '../../native-bridge/wall-geometry.js';
import { cameraGridProps } from '../../native-bridge/tile-props/camera-grid.js';
import { cellBoxes, gridSize, maximizedBox, partsInGrid, shareAmongParts, slotCameras, type CellBox } from '../../renderer/tiles/camera-grid/view.js';
import { demoWallFile } from '../support/fixtures.js';

const wall = loadWallFile(demoWallFile); // 2×2 of 1920×1080, 24 px bezels, 12 cells a display
const GAP = 2;
// where the grid sits in its tile on a wall window: the tile's padding and frame, the title header above
const OFFSET = { x: 6, y: 50, right: 6, bottom: 6 };

interface Laid {
  boxes: CellBox[];
  /** The boxes in the tile's own pixels, and the tile's parts on each display, to compare them. */
  inTile: CellBox[];
  columns: readonly PixelSpan[];
  rows: readonly PixelSpan[];
}

function layOut(rect: TileRect, columns: number, rows: number): Laid {
  const tile = tileVirtualRect(wall, rect);
  const width = tile.width - OFFSET.x - OFFSET.right;
  const height = tile.height - OFFSET.y - OFFSET.bottom;
  const columnSpans = tileColumnSpans(wall, rect);
  const rowSpans = tileRowSpans(wall, rect);
  const boxes = cellBoxes(columns, rows, partsInGrid(columnSpans, OFFSET.x, width), partsInGrid(rowSpans, OFFSET.y, height), GAP);
  return { boxes, inTile: boxes.map((b) => ({ ...b, x: b.x + OFFSET.x, y: b.y + OFFSET.y })), columns: columnSpans, rows: rowSpans };
}

const within = (start: number, end: number, spans: readonly PixelSpan[]) => spans.some((s) => start >= s.start - 1e-6 && end <= s.end + 1e-6);

/** Cells that do not lie whole on one display, by index. */
function straddling(laid: Laid): number[] {
  return laid.inTile.flatMap((b, i) => (within(b.x, b.x + b.width, laid.columns) && within(b.y, b.y + b.height, laid.rows) ? [] : [i]));
}

function overlapping(boxes: readonly CellBox[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x < b.x + b.width - 1e-6 && b.x < a.x + a.width - 1e-6 && a.y < b.y + b.height - 1e-6 && b.y < a.y + a.height - 1e-6) pairs.push([i, j]);
    }
  return pairs;
}

function shippedGrids(): { where: string; tile: Tile }[] {
  const presets = loadPresetDir(defaultPresetsDir, wall);
  assert.deepEqual(presets.errors, []);
  const scenarios = loadScenarioDir(defaultScenariosDir);
  assert.deepEqual(scenarios.errors, []);
  const fromPresets = presets.presets.flatMap((p) => p.tiles.map((tile) => ({ where: `preset ${p.name}`, tile })));
  const fromScenarios = scenarios.scenarios.flatMap((s) => ('tiles' in s.layout ? s.layout.tiles : []).map((tile) => ({ where: `scenario ${s.name}`, tile })));
  return [...fromPresets, ...fromScenarios].filter((g) => g.tile.kind === 'camera-grid');
}

describe('a camera grid spanning displays', () => {
  it('puts every cell of every shipped grid whole on one display', () => {
    const grids = shippedGrids();
    const spanning = grids.filter((g) => tileColumnSpans(wall, g.tile.rect).length > 1 || tileRowSpans(wall, g.tile.rect).length > 1);
    assert.ok(spanning.length >= 3, `the shipped layouts have grids across a bezel (${spanning.map((g) => g.where).join(', ')})`);
    for (const { where, tile } of grids) {
      const { columns, rows } = gridSize(cameraGridProps.parse(tile.props));
      const laid = layOut(tile.rect, columns, rows);
      assert.equal(laid.boxes.length, columns * rows, `${where}/${tile.id}: every cell placed`);
      assert.deepEqual(straddling(laid), [], `${where}/${tile.id}: no cell across a bezel`);
      assert.deepEqual(overlapping(laid.boxes), [], `${where}/${tile.id}: no two cells overlap`);
      assert.ok(laid.boxes.every((b) => b.width > 100 && b.height > 100), `${where}/${tile.id}: every cell big enough to watch`);
    }
  });

  it('shares rows among the displays by their part of the tile (the camera watch preset, 3×3 over 9 + 12 wall rows)', () => {
    const laid = layOut({ x: 12, y: 3, w: 12, h: 21 }, 3, 3);
    const tops = [...new Set(laid.inTile.map((b) => Math.round(b.y)))];
    // 760 px of grid on the top display, 1074 on the bottom one: one row above the bezel, two below
    assert.equal(tops.length, 3);
    assert.ok(tops[0]! < 810 && tops[1]! >= 834 && tops[2]! >= 834, `row tops ${tops.join(', ')}`);
    assert.deepEqual(straddling(laid), []);
  });

  it('keeps cells off both bezels for a grid over all four displays, and off the vertical one for a 4×4', () => {
    for (const [columns, rows] of [
      [3, 3],
      [4, 4],
      [2, 2],
      [5, 2],
    ] as const) {
      const laid = layOut({ x: 6, y: 6, w: 12, h: 12 }, columns, rows);
      assert.equal(laid.boxes.length, columns * rows);
      assert.deepEqual(straddling(laid), [], `${columns}×${rows}: no cell across a bezel`);
      assert.deepEqual(overlapping(laid.boxes), [], `${columns}×${rows}: no overlap`);
    }
  });

  it('puts a single cell (1×1) on the larger part, and a tie on the left and top one', () => {
    assert.deepEqual(shareAmongParts(1, [300, 900]), [0, 1]);
    assert.deepEqual(shareAmongParts(1, [900, 900]), [1, 0]);
    assert.deepEqual(shareAmongParts(3, [960, 960]), [2, 1]);
    assert.deepEqual(shareAmongParts(4, [100, 1800]), [0, 4], 'a sliver of a part gets no cell');
    const laid = layOut({ x: 8, y: 2, w: 10, h: 8 }, 1, 1); // 4 wall columns on the left display, 6 on the right
    assert.deepEqual(straddling(laid), []);
    assert.ok(laid.inTile[0]!.x >= laid.columns[1]!.start, 'the cell is on the right display, the larger part');
  });

  it('shows a maximized camera in the largest part one display shows whole', () => {
    const rect = { x: 12, y: 3, w: 12, h: 21 };
    const columns = partsInGrid(tileColumnSpans(wall, rect), OFFSET.x, 1908);
    const rows = partsInGrid(tileRowSpans(wall, rect), OFFSET.y, 1858);
    assert.deepEqual(maximizedBox(columns, rows), { x: 0, y: 784, width: 1908, height: 1074 });
  });
});

describe('a camera tour', () => {
  const grid = (tourCameras: string[], layout: '2x2' | '3x3' = '2x2') => cameraGridProps.parse({ layout, tour: { enabled: true, dwellSeconds: 20, cameras: tourCameras } });
  const page = (n: number) => n * 20_000 + 1;

  it('fills every cell of every page, each camera once on a page and every camera shown in a round', () => {
    const seven = ['cam-10', 'cam-11', 'cam-12', 'cam-13', 'cam-14', 'cam-15', 'cam-16'];
    const props = grid(seven);
    const pages = [slotCameras(props, page(0)), slotCameras(props, page(1))];
    assert.deepEqual(pages[0], ['cam-10', 'cam-11', 'cam-12', 'cam-13']);
    for (const cells of pages) {
      assert.ok(cells.every((c) => c !== ''), `no empty cell (${cells.join(', ')})`);
      assert.equal(new Set(cells).size, cells.length, `no camera twice on a page (${cells.join(', ')})`);
    }
    assert.deepEqual(new Set(pages.flat()), new Set(seven), 'every tour camera shown');
    assert.deepEqual(slotCameras(props, page(2)), pages[0], 'then it starts over');
  });

  it('shows a camera listed twice once, and leaves the rest empty when the tour has fewer cameras than cells', () => {
    const cells = slotCameras(grid(['cam-01', 'cam-02', 'cam-01', 'cam-03'], '2x2'), page(0));
    assert.deepEqual(cells, ['cam-01', 'cam-02', 'cam-03', '']);
    const page2 = slotCameras(grid(['cam-01', 'cam-02', 'cam-03', 'cam-04', 'cam-05', 'cam-02'], '2x2'), page(1));
    assert.equal(new Set(page2).size, 4, `no duplicate on the second page (${page2.join(', ')})`);
  });
});
