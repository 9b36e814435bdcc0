/**
 * An incident wall is read under stress: each scenario's text tiles (procedures, readings,
 * alerts) sit on one display, so no line runs under a bezel. Maps span displays as one picture,
 * camera grids and the status tile lay themselves out per display (renderer/tiles/bezel-spans.ts;
 * the grids: camera-grid-bezels.test.ts);
 * the pixel check on the running wall is test/support/bezel-text.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadWallFile } from '../../electron/node/layout-files.js';
import { defaultScenariosDir } from '../../electron/node/project-paths.js';
import { loadScenarioDir } from '../../electron/node/scenarios/scenario-files.js';
import { tileColumnSpans } from '../../native-bridge/wall-geometry.js';
import { demoWallFile } from '../support/fixtures.js';

const wall = loadWallFile(demoWallFile);
const SPANNING_KINDS = new Set(['map', 'camera', 'camera-grid', 'clock-status']);

describe('the incident walls of layouts/scenarios on the demo wall', () => {
  it('keep every text tile on one display', () => {
    const { scenarios, errors } = loadScenarioDir(defaultScenariosDir);
    assert.deepEqual(errors, []);
    const rows = wall.grid.rowsPerDisplay;
    const crossing = scenarios.flatMap((scenario) => {
      const tiles = 'tiles' in scenario.layout ? scenario.layout.tiles : [];
      return tiles
        .filter((t) => !SPANNING_KINDS.has(t.kind))
        .filter((t) => tileColumnSpans(wall, t.rect).length > 1 || Math.floor(t.rect.y / rows) !== Math.floor((t.rect.y + t.rect.h - 1) / rows))
        .map((t) => `${scenario.name}/${t.id} (${t.kind})`);
    });
    assert.deepEqual(crossing, []);
  });
});
