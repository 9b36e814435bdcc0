/**
 * Putting a camera on the wall from the console's camera list (renderer/console/CamerasPanel.tsx),
 * end to end on the real Chromium host with the simulated province serving its cameras as live HLS:
 *
 *  - typing a Vietnamese commune name ("Trảng Bom") narrows the list to that commune's cameras,
 *    and part of a camera's name with its diacritics ("cầu Hóa An") to that camera alone;
 *  - that camera, dragged with the real mouse (pointer events) onto an empty cell of a camera grid
 *    in the wall miniature (held at the console's top edge first, so that the console scrolls from
 *    the list up to the miniature), highlights the cell while over it and lands in that cell: the host's
 *    wall state has it in that slot (the other cells unchanged), and the wall window showing the
 *    grid plays it in that cell with frames advancing (requestVideoFrameCallback counts).
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import type { ContractClient } from '../../native-bridge/channel.js';
import type { LiveCamera, Tile, WallState } from '../../native-bridge/contract.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { connectConsole } from '../support/accounts.js';
import { waitFor } from '../support/page-wait.js';
import { attachWindows, detach, openDockTab, type Windows } from '../support/windows.js';

const TIMEOUT = { timeout: 240_000 };
/** How often probes poll: two cores, five software-rendered windows. */
const POLL_MS = 250;
const GRID_ID = 'drag-grid';
/** The display showing the grid (bottom left). */
const WINDOW = 'r1c0';
const FIRST_CAMERA = 'cam-01';
/** The empty cell the camera is dropped on (2×2 grid, reading order: bottom right). */
const SLOT = 3;
/** A commune (its cameras carry the commune's name: "Xã Trảng Bom (mô phỏng)"). */
const COMMUNE = 'Trảng Bom';
const NAME_PART = 'cầu Hóa An';

// Pages evaluate strings, never functions: tsx rewrites functions with helpers the page lacks.
const listedIds = (page: Page) => page.evaluate(`[...document.querySelectorAll('[data-camera-item]')].map((el) => el.dataset.cameraItem)`) as Promise<string[]>;

interface WallCell {
  cameraId: string | null;
  state: string | null;
  frames: number;
}
/** The wall window's cell in `slot` of the grid (cells are the grid's children in reading order). */
const wallCell = (page: Page, slot: number) =>
  page.evaluate(`(() => {
    const el = document.querySelector('[data-tile-id="${GRID_ID}"] .camera-grid')?.children[${slot}];
    if (!el) return null;
    return { cameraId: el.dataset.cameraId ?? null, state: el.dataset.state ?? null, frames: Number(el.dataset.frames || 0) };
  })()`) as Promise<WallCell | null>;

async function centre(element: Locator): Promise<{ x: number; y: number }> {
  const box = await element.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the element is laid out');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('dragging a camera from the console list onto the wall', () => {
  const dataDir = tempDir('ioc-wall-camera-drag-');
  let host: HostProcess;
  let windows: Windows | null = null;
  let client: ContractClient;
  let closeClient: () => void = () => {};
  let cameras: LiveCamera[] = [];
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  const wallState = async (): Promise<WallState> => {
    const sync = await client.call('wall.resync', { sinceRevision: 0 });
    assert.equal(sync.kind, 'snapshot');
    return (sync as { state: WallState }).state;
  };

  before(
    async () => {
      assert.ok(existsSync(join(rendererDist, 'index.html')), 'the renderer is built (npm run build)');
      // the simulated province, serving its cameras' demo footage as live HLS on a free port
      const gatewaysFile = join(dataDir, 'gateways.yaml');
      writeFileSync(gatewaysFile, `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\nsimulate: true\nsimulatedCameras: { serve: true, port: 0 }\n`);
      host = await spawnHost({ dataDir, windows: 'headless', gatewaysFile });
      const connection = await connectConsole(host.runtime, host.dataDir);
      client = connection.client;
      closeClient = () => connection.transport.close();
      cameras = await waitFor('the 16 simulated cameras in the host live state', 90_000, async () => {
        const snapshot = await client.call('live.snapshot', {});
        return snapshot.cameras.length >= 16 ? snapshot.cameras : null;
      });

      // an empty wall, then a 2×2 grid over the whole bottom-left display with one camera in it
      for (const t of (await wallState()).tiles) await client.call('wall.execute', { command: { type: 'remove-tile', id: t.id } });
      const grid: Tile = {
        id: GRID_ID,
        kind: 'camera-grid',
        rect: { x: 0, y: 12, w: 12, h: 12 },
        props: { layout: '2x2', columns: 2, rows: 2, cameras: [FIRST_CAMERA], maximized: null },
      };
      await client.call('wall.execute', { command: { type: 'add-tile', tile: grid } });

      windows = await attachWindows(host);
      const console_ = windows.console;
      await openDockTab(console_, 'cameras');
      await waitFor('the grid in the console miniature', 60_000, async () => (await console_.locator(`[data-mini-tile-id="${GRID_ID}"] [data-mini-camera-cell]`).count()) === 4, POLL_MS);
      await waitFor('every camera in the console list', 60_000, async () => (await listedIds(console_)).length === cameras.length, POLL_MS);
      console.log(`  host, windows and cameras ready (${elapsed()})`);
    },
    { timeout: 180_000 },
  );

  after(async () => {
    closeClient();
    if (windows) await detach(windows);
    await host?.stop();
  });

  it('narrows the list by commune and by part of a name, diacritics and all', TIMEOUT, async () => {
    const page = windows!.console;
    await openDockTab(page, 'cameras');
    const search = page.locator('[data-testid="camera-search"]');

    const inCommune = cameras.filter((c) => c.commune.includes(COMMUNE)).map((c) => c.id).sort();
    assert.ok(inCommune.length > 0 && inCommune.length < cameras.length, `${COMMUNE} has some of the cameras (${inCommune.join(', ')}; communes: ${[...new Set(cameras.map((c) => c.commune))].join(', ')})`);
    await search.fill(COMMUNE);
    const byCommune = await waitFor(`the list narrowed to ${COMMUNE}`, 15_000, async () => {
      const ids = (await listedIds(page)).sort();
      return ids.length < cameras.length ? ids : null;
    }, POLL_MS);
    assert.deepEqual(byCommune, inCommune, `"${COMMUNE}" lists exactly the cameras of that commune`);
    assert.match(await page.locator('[data-testid="cameras-panel"] .panel-title').innerText(), new RegExp(`\\(${inCommune.length}/${cameras.length}\\)`));

    const named = cameras.filter((c) => c.name.includes(NAME_PART)).map((c) => c.id);
    assert.equal(named.length, 1, `one camera is named after "${NAME_PART}"`);
    await search.fill(NAME_PART);
    const byName = await waitFor(`the list narrowed to "${NAME_PART}"`, 15_000, async () => {
      const ids = await listedIds(page);
      return ids.length === 1 || ids.length === 0 ? ids : null;
    }, POLL_MS);
    assert.deepEqual(byName, named, `"${NAME_PART}" lists that camera alone`);
    assert.match(await page.locator(`[data-camera-item="${named[0]}"]`).innerText(), /cầu Hóa An/);
  });

  it('drops the dragged camera into a grid cell: host state and wall window playing it', TIMEOUT, async () => {
    const page = windows!.console;
    const search = page.locator('[data-testid="camera-search"]');
    const camera = cameras.find((c) => c.name.includes(NAME_PART))!;
    if ((await search.inputValue()) !== NAME_PART) await search.fill(NAME_PART);
    const item = page.locator(`[data-camera-item="${camera.id}"]`);
    await waitFor(`${camera.id} listed`, 15_000, async () => (await item.count()) === 1, POLL_MS);
    const cellSelector = `[data-mini-camera-cell][data-tile-id="${GRID_ID}"][data-slot="${SLOT}"]`;
    const cell = page.locator(cellSelector);
    assert.equal(await cell.getAttribute('data-camera-id'), '', `cell ${SLOT} starts empty`);

    // The list sits far below the miniature on the console's 1600×900 window: bring the camera
    // into view, press it, and hold it at the console's top edge until the console has scrolled
    // the cell into view (as an operator does), then move onto the cell.
    await page.evaluate(`document.querySelector('[data-camera-item="${camera.id}"]').scrollIntoView({ block: 'nearest' })`);
    const view = (await page.evaluate('({ w: window.innerWidth, h: window.innerHeight })')) as { w: number; h: number };
    const onScreen = (p: { x: number; y: number }) => p.x > 0 && p.y > 0 && p.x < view.w && p.y < view.h;
    const from = await centre(item);
    assert.ok(onScreen(from), `the camera is on screen at ${from.x.toFixed(0)},${from.y.toFixed(0)} (window ${view.w}×${view.h})`);
    const cellInView = () =>
      page.evaluate(`(() => { const r = document.querySelector('${cellSelector}').getBoundingClientRect(); const s = document.querySelector('.console-main').getBoundingClientRect();
        return r.top >= s.top && r.bottom <= s.bottom && r.left >= s.left && r.right <= s.right; })()`) as Promise<boolean>;
    const scrolledAway = !(await cellInView());
    console.log(`  camera at ${from.x.toFixed(0)},${from.y.toFixed(0)}; the cell ${scrolledAway ? 'scrolled out of view' : 'in view'}`);
    const before = (await wallState()).tiles.find((t) => t.id === GRID_ID);
    assert.ok(before?.kind === 'camera-grid');

    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    let at = from;
    const moveTo = async (to: { x: number; y: number }, steps = 8) => {
      for (let i = 1; i <= steps; i++) await page.mouse.move(at.x + ((to.x - at.x) * i) / steps, at.y + ((to.y - at.y) * i) / steps);
      at = to;
    };
    if (scrolledAway) {
      const top = (await page.locator('.console-main').boundingBox())!.y;
      await moveTo({ x: from.x, y: top + 8 });
      await waitFor('the console scrolled up to the cell while the camera is held at its edge', 20_000, cellInView, POLL_MS);
      // out of the edge band: the scrolling stops, and the cell holds still
      await moveTo({ x: from.x, y: top + 120 }, 4);
      await sleep(300); // a sleep, not a wait: the scrolling having stopped is nothing happening
    }
    const to = await centre(cell);
    assert.ok(onScreen(to), `the cell is on screen at ${to.x.toFixed(0)},${to.y.toFixed(0)}`);
    await moveTo(to, 12);
    // while over the cell: the cell is highlighted and the ghost follows the pointer
    await waitFor('the cell highlighted under the dragged camera', 10_000, async () => (await cell.getAttribute('class'))?.includes('drop-hover'), POLL_MS);
    assert.equal(await page.locator('[data-drag-ghost]').count(), 1, 'a drag ghost follows the pointer');
    const droppedAt = Date.now();
    await page.mouse.up();

    const grid = await waitFor(`${camera.id} in cell ${SLOT} of the host's wall`, 15_000, async () => {
      const tile = (await wallState()).tiles.find((t) => t.id === GRID_ID);
      return tile?.kind === 'camera-grid' && tile.props.cameras[SLOT] === camera.id ? tile : null;
    }, POLL_MS);
    const expected = Array.from({ length: 4 }, (_, i) => (i === SLOT ? camera.id : (before.props.cameras[i] ?? '')));
    assert.deepEqual(Array.from({ length: 4 }, (_, i) => grid.props.cameras[i] ?? ''), expected, 'only the dropped-on cell changed');
    assert.equal(grid.props.maximized, null);
    assert.deepEqual(grid.rect, before.rect, 'the grid did not move');
    console.log(`  on the host ${Date.now() - droppedAt} ms after the drop (${elapsed()})`);
    await waitFor('the console miniature showing it', 15_000, async () => (await cell.getAttribute('data-camera-id')) === camera.id, POLL_MS);
    assert.equal(await page.locator('[data-drag-ghost]').count(), 0, 'the ghost is gone');
    assert.equal(await page.locator('.drop-hover').count(), 0, 'no highlight left behind');

    // the wall window showing the grid plays it in that cell, frames advancing
    const wall = windows!.displays.get(WINDOW);
    assert.ok(wall, `window ${WINDOW} attached`);
    const playing = await waitFor(`${WINDOW} playing ${camera.id} in cell ${SLOT}`, 60_000, async () => {
      const c = await wallCell(wall, SLOT);
      return c?.cameraId === camera.id && c.state === 'playing' && c.frames > 0 ? c : null;
    }, POLL_MS);
    console.log(`  playing on ${WINDOW} ${Date.now() - droppedAt} ms after the drop`);
    const later = await waitFor(`frames advancing in cell ${SLOT}`, 10_000, async () => {
      const c = await wallCell(wall, SLOT);
      return c && c.frames > playing.frames ? c : null;
    }, POLL_MS);
    assert.equal(later.cameraId, camera.id);
    const first = await wallCell(wall, 0);
    assert.equal(first?.cameraId, FIRST_CAMERA, `cell 0 still shows ${FIRST_CAMERA}`);
  });
});
