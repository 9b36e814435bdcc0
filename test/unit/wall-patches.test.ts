import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command, Patch, Tile, WallState } from '../../native-bridge/contract.js';
import { applyWallPatches } from '../../native-bridge/wall-patches.js';
import { reduceWall } from '../../native-bridge/wall-reducer.js';
import { loadPresetDir, loadWallFile } from '../../electron/node/layout-files.js';
import { demoPresetsDir, demoWallFile } from '../support/fixtures.js';

const wall = loadWallFile(demoWallFile);
const { presets } = loadPresetDir(demoPresetsDir, wall);
const context = { findPreset: (name: string) => presets.find((p) => p.name === name) };

/** What a window holds and receives: the host's state and patches as JSON crossed the wire. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function step(state: WallState, command: Command): { host: WallState; patches: Patch[] } {
  const { state: host, patches } = reduceWall(state, command, context);
  return { host, patches: wire(patches) };
}

const byId = (state: WallState, id: string): Tile => state.tiles.find((t) => t.id === id)!;

describe('wall patches in a window', () => {
  const start = reduceWall({ wall, tiles: [], activePreset: null }, { type: 'apply-preset', name: 'overview' }, context).state;
  const held = wire(start);

  it('a layout that keeps some tiles keeps those tiles’ objects identical', () => {
    // a scenario's layout: a tile as it was, one retitled, one new
    const [first, second, ...rest] = start.tiles;
    assert.ok(first && second && rest.length > 0, 'the overview preset has at least three tiles');
    const layout: Tile[] = [
      wire(first),
      { ...wire(second), title: { vi: 'Khác', en: 'Other' } },
      { id: 'scenario-note', kind: 'note', rect: { x: 0, y: 22, w: 4, h: 2 }, props: { markdown: 'Sự cố', fontScale: 1, tone: 'warning' } },
    ];
    const { host, patches } = step(start, { type: 'apply-layout', tiles: layout, preset: null });
    const next = applyWallPatches(held, patches);

    assert.deepEqual(next, host, 'the window holds what the host holds');
    assert.equal(byId(next, first.id), byId(held, first.id), 'the unchanged tile is the same object');
    assert.notEqual(byId(next, second.id), byId(held, second.id), 'the retitled tile is a new object');
    assert.equal(byId(next, second.id).rect, byId(held, second.id).rect, '…whose unchanged rect is kept');
    assert.equal(byId(next, second.id).props, byId(held, second.id).props, '…and its unchanged props');
    assert.equal(next.wall, held.wall, 'the wall definition is kept');
  });

  it('a prop change on one tile keeps every other tile identical', () => {
    const target = start.tiles.find((t) => t.kind === 'note') ?? start.tiles[0]!;
    const command: Command =
      target.kind === 'note' ? { type: 'set-tile-props', id: target.id, props: { tone: 'critical' } } : { type: 'move-tile', id: target.id, x: target.rect.x, y: target.rect.y + 1 };
    const { host, patches } = step(start, command);
    const next = applyWallPatches(held, patches);
    assert.deepEqual(next, host);
    for (const tile of held.tiles) {
      if (tile.id === target.id) assert.notEqual(byId(next, tile.id), tile);
      else assert.equal(byId(next, tile.id), tile, `tile ${tile.id} is the same object`);
    }
  });

  it('re-applying the preset already shown changes nothing: the same state object', () => {
    const { host, patches } = step(start, { type: 'apply-preset', name: 'overview' });
    assert.ok(patches.length > 0, 'the host sends the tiles again');
    const next = applyWallPatches(held, patches);
    assert.deepEqual(next, host);
    assert.equal(next, held);
  });

  it('a reordered layout keeps each tile, found by id', () => {
    const { host, patches } = step(start, { type: 'apply-layout', tiles: wire([...start.tiles].reverse()), preset: null });
    const next = applyWallPatches(held, patches);
    assert.deepEqual(next, host);
    assert.notEqual(next.tiles, held.tiles);
    for (const tile of held.tiles) assert.equal(byId(next, tile.id), tile);
  });
});
