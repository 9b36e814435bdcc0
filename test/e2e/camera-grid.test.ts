/**
 * Cameras end to end on the real Chromium host: a 4×4 camera grid in one wall window playing the
 * simulated province's 16 cameras from the HLS camera server (sim/cameras/camera-server.ts).
 *
 *  - all 16 cells play (data-state=playing, rVFC frame counts advancing), with distinct pictures;
 *  - a stopped stream shows the stale badge within 4 s while the other 15 keep advancing;
 *  - restarted (new media sequence), it plays again within 5 s without anyone doing anything;
 *  - maximizing a cell switches it to the main stream without a black frame in between (watched in
 *    the page at every presented and animation frame, test/support/camera-watch.ts);
 *  - a hidden tile releases its players (window.__iocPlayers), and gets them back when shown;
 *  - a 3×3 grid over all four displays lays its cells out per display: in every display window,
 *    every camera cell it shows any of lies whole in that window (none across a bezel) and plays
 *    with frames advancing, each camera in exactly one window; a touring 2×2 across the vertical
 *    bezel fills every cell of every page with a different camera.
 *
 * The camera server runs in the test process (so the test can stop and restart a stream) on a
 * port it chose itself; the host's simulated province advertises that address
 * (test/support/test-cameras.ts), and the test checks the host's registry points there.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { ContractClient } from '../../native-bridge/channel.js';
import type { Tile } from '../../native-bridge/contract.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import type { CameraServer } from '../../sim/cameras/camera-server.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { startTestCameras } from '../support/test-cameras.js';
import { connectConsole } from '../support/accounts.js';
import { bridgeDevTools, type DevToolsBridge } from '../support/devtools-bridge.js';
import { waitFor } from '../support/page-wait.js';
import { endFocus, focusCell, watchCameras, watchedCells } from '../support/camera-watch.js';
import { displayWindowIdOf } from '../../native-bridge/wall-geometry.js';

const TIMEOUT = { timeout: 240_000 };
const GRID_ID = 'cams';
const WINDOW = 'r0c0';

interface CellInfo {
  id: string;
  state: string;
  stream: string;
  frames: number;
  badge: string | null;
  box: { x: number; y: number; width: number; height: number };
}

/** Every camera cell of the grid tile, as the page sees it (a string: tsx rewrites arrow functions). */
const CELLS_JS = `(() => [...document.querySelectorAll('[data-tile-id="${GRID_ID}"] [data-camera-cell]')].map((el) => {
  const r = el.getBoundingClientRect();
  const badge = el.querySelector('[data-badge]');
  return { id: el.dataset.cameraId, state: el.dataset.state, stream: el.dataset.stream, frames: Number(el.dataset.frames || 0),
    badge: badge ? badge.dataset.badge : null, box: { x: r.x, y: r.y, width: r.width, height: r.height } };
}))()`;

async function cells(page: Page): Promise<CellInfo[]> {
  return (await page.evaluate(CELLS_JS)) as CellInfo[];
}

interface PartCell {
  id: string | null;
  name: string | null;
  state: string | null;
  frames: number;
  badge: string | null;
  box: { x: number; y: number; width: number; height: number };
}

/** Every cell of a grid in a window (empty ones too), with the window's size. */
const partCellsJs = (tileId: string) => `(() => ({ width: innerWidth, height: innerHeight, cells: [...document.querySelectorAll('[data-tile-id="${tileId}"] [data-camera-cell], [data-tile-id="${tileId}"] [data-empty]')].map((el) => {
  const r = el.getBoundingClientRect();
  const badge = el.querySelector('[data-badge]');
  const name = el.querySelector('.camera-name');
  return { id: el.dataset.cameraId ?? null, name: name ? name.textContent : null, state: el.dataset.state ?? null, frames: Number(el.dataset.frames || 0),
    badge: badge ? badge.dataset.badge : null, box: { x: r.x, y: r.y, width: r.width, height: r.height } };
}) }))()`;

/** The cells of a grid that a window shows any of, and those of them that do not lie whole in it. */
async function shownCells(page: Page, tileId: string): Promise<{ shown: PartCell[]; cut: PartCell[] }> {
  const { width, height, cells: all } = (await page.evaluate(partCellsJs(tileId))) as { width: number; height: number; cells: PartCell[] };
  const shown = all.filter((c) => Math.min(c.box.x + c.box.width, width) - Math.max(c.box.x, 0) >= 1 && Math.min(c.box.y + c.box.height, height) - Math.max(c.box.y, 0) >= 1);
  const cut = shown.filter((c) => c.box.x < -0.5 || c.box.y < -0.5 || c.box.x + c.box.width > width + 0.5 || c.box.y + c.box.height > height + 0.5);
  return { shown, cut };
}


function pixels(png: PNG): { hash: string; lit: number } {
  let lit = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! > 24) lit++;
  return { hash: createHash('sha1').update(png.data).digest('hex'), lit: lit / (png.width * png.height) };
}

/** The picture part of a cell (below the name/badge overlay). */
function pictureClip(box: CellInfo['box']) {
  const top = box.y + box.height * 0.3;
  return { x: Math.round(box.x + 2), y: Math.round(top), width: Math.round(box.width - 4), height: Math.round(box.y + box.height - top - 2) };
}

describe('camera grid on the Chromium host', () => {
  const dataDir = tempDir('ioc-wall-cameras-');
  let cameraServer: CameraServer | null = null;
  let host: HostProcess;
  let browser: Browser | null = null;
  let bridge: DevToolsBridge | null = null;
  /** The other display windows, attached by the bezel tests. */
  const browsers: Browser[] = [];
  const bridges: DevToolsBridge[] = [];
  let page: Page;
  let client: ContractClient;
  let closeClient: () => void = () => {};
  let cameraIds: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(rendererDist, 'index.html')), 'the renderer is built (npm test runs the build first)');
    const testCameras = await startTestCameras(dataDir);
    cameraServer = testCameras.server;
    host = await spawnHost({ dataDir, windows: 'headless', gatewaysFile: testCameras.gatewaysFile });
    const connection = await connectConsole(host.runtime, host.dataDir);
    client = connection.client;
    closeClient = () => connection.transport.close();
    const cameras = await waitFor('16 cameras in the host live state', 90_000, async () => {
      const snapshot = await client.call('live.snapshot', {});
      return snapshot.cameras.length >= 16 ? snapshot.cameras : null;
    });
    cameraIds = cameras.map((c) => c.id).sort().slice(0, 16);
    assert.ok(
      cameras.every((c) => c.streams.main.url.startsWith(cameraServer!.baseUrl) && c.streams.sub.url.startsWith(cameraServer!.baseUrl)),
      `the host's cameras point at the camera server ${cameraServer.baseUrl} (first: ${cameras[0]!.streams.main.url})`,
    );

    // an empty wall, then one 4×4 grid over the whole r0c0 display
    const sync = await client.call('wall.resync', { sinceRevision: 0 });
    assert.equal(sync.kind, 'snapshot');
    if (sync.kind === 'snapshot') for (const t of sync.state.tiles) await client.call('wall.execute', { command: { type: 'remove-tile', id: t.id } });
    const grid: Tile = {
      id: GRID_ID,
      kind: 'camera-grid',
      rect: { x: 0, y: 0, w: 12, h: 12 },
      props: { layout: '4x4', columns: 4, rows: 4, cameras: cameraIds, maximized: null },
    };
    await client.call('wall.execute', { command: { type: 'add-tile', tile: grid } });

    const w = host.runtime.windows.find((x) => x.windowId === WINDOW);
    assert.ok(w?.devtools, `window ${WINDOW} has its DevTools socket`);
    bridge = await bridgeDevTools(w.devtools);
    browser = await chromium.connectOverCDP(bridge.url);
    page = await waitFor(`the ${WINDOW} page`, 20_000, async () =>
      browser!.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes(`window=${WINDOW}`)),
    );
    await waitFor('the wall window painting', 60_000, () => page.evaluate(`document.readyState === 'complete' && document.getElementById('wall') !== null`));
    await watchCameras(page);
  });

  after(async () => {
    closeClient();
    await browser?.close().catch(() => {});
    await bridge?.close();
    await Promise.all(browsers.map((b) => b.close().catch(() => {})));
    await Promise.all(bridges.map((b) => b.close()));
    await host?.stop();
    await cameraServer?.close();
  });

  it('plays all 16 cameras, frames advancing, pictures distinct', TIMEOUT, async () => {
    const first = await waitFor('16 playing cells', 60_000, async () => {
      const list = await cells(page);
      return list.length === 16 && list.every((c) => c.state === 'playing' && c.badge === 'live') ? list : null;
    });
    assert.deepEqual(first.map((c) => c.id).sort(), cameraIds);
    assert.ok(first.every((c) => c.stream === 'sub'), 'small cells play the sub stream');
    await sleep(2000);
    const later = await cells(page);
    for (const c of later) {
      const before = first.find((f) => f.id === c.id)!;
      assert.ok(c.frames > before.frames, `${c.id}: frames advance (${before.frames} → ${c.frames})`);
    }
    assert.equal(await page.evaluate('window.__iocPlayers'), 16);
    const hashes = new Set<string>();
    for (const c of later) {
      const shot = pixels(PNG.sync.read(await page.screenshot({ clip: pictureClip(c.box) })));
      assert.ok(shot.lit > 0.05, `${c.id} shows a picture`);
      hashes.add(shot.hash);
    }
    assert.equal(hashes.size, 16, 'the 16 cells show 16 different pictures');
  });

  it('shows a stopped stream as stale within 4 s while the others keep playing, and recovers by itself', TIMEOUT, async () => {
    const victim = cameraIds[5]!;
    const before = await cells(page);
    const stoppedAt = Date.now();
    await cameraServer!.stop(victim);
    await waitFor(`${victim} stale`, 4000, async () => (await cells(page)).find((c) => c.id === victim && c.badge === 'stale' && c.state !== 'playing'));
    console.log(`  stale after ${Date.now() - stoppedAt} ms`);
    await sleep(1500);
    const during = await cells(page);
    for (const c of during) {
      if (c.id === victim) continue;
      const b = before.find((x) => x.id === c.id)!;
      assert.equal(c.state, 'playing', `${c.id} keeps playing`);
      assert.ok(c.frames > b.frames, `${c.id} keeps advancing`);
    }
    const shownStale = during.find((c) => c.id === victim)!;
    assert.ok(pixels(PNG.sync.read(await page.screenshot({ clip: pictureClip(shownStale.box) }))).lit > 0.05, 'the last frame stays visible');

    // let the backoff grow a little, then bring the stream back with a new media sequence
    await sleep(4000);
    const restartedAt = Date.now();
    await cameraServer!.restart(victim);
    await waitFor(`${victim} playing again`, 5000, async () => (await cells(page)).find((c) => c.id === victim && c.state === 'playing' && c.badge === 'live'));
    console.log(`  playing again ${Date.now() - restartedAt} ms after the restart`);
  });

  it('switches a maximized cell to the main stream without a black frame', TIMEOUT, async () => {
    const id = cameraIds[0]!;
    const key = `${GRID_ID}/${id}`;
    await waitFor(`${id} playing`, 15_000, async () => (await cells(page)).find((c) => c.id === id && c.state === 'playing'));
    // watched in the page at every presented and every animation frame: a black flash of one frame counts
    await focusCell(page, GRID_ID, id);
    await client.call('wall.execute', { command: { type: 'set-tile-props', id: GRID_ID, props: { maximized: id } } });
    await waitFor(`${id} maximized, playing the main stream`, 15_000, async () => {
      const list = await cells(page);
      const cell = list.find((c) => c.id === id);
      return list.length === 1 && cell !== undefined && cell.box.width > 1000 && cell.stream === 'main' && cell.state === 'playing';
    });
    const framesAtSwitch = (await watchedCells(page))[key]!.frames;
    await waitFor(`10 frames of ${id}'s main stream shown`, 15_000, async () => (await watchedCells(page))[key]!.frames >= framesAtSwitch + 10);
    const seen = await endFocus(page);
    console.log(`  the switch watched over ${seen.samples} frames, darkest ${(seen.darkest * 100).toFixed(1)}% lit`);
    assert.ok(seen.samples >= 20, `sampled the switch frame by frame (${seen.samples} samples)`);
    assert.equal(seen.black, 0, `never a black frame during the switch (${seen.black} of ${seen.samples} frames black, darkest ${(seen.darkest * 100).toFixed(1)}% lit: ${JSON.stringify(seen.blackSeen)})`);
    // back to the grid
    await client.call('wall.execute', { command: { type: 'set-tile-props', id: GRID_ID, props: { maximized: null } } });
    await waitFor('16 cells again', 30_000, async () => {
      const list = await cells(page);
      return list.length === 16 && list.every((c) => c.state === 'playing');
    });
  });

  it('releases the players of a hidden tile and takes them back when shown', TIMEOUT, async () => {
    await waitFor('16 live players', 20_000, async () => (await page.evaluate('window.__iocPlayers')) === 16);
    await page.evaluate(`document.querySelector('[data-tile-id="${GRID_ID}"]').style.display = 'none'`);
    await waitFor('no live players', 5000, async () => (await page.evaluate('window.__iocPlayers')) === 0);
    await page.evaluate(`document.querySelector('[data-tile-id="${GRID_ID}"]').style.display = ''`);
    await waitFor('16 playing cells again', 30_000, async () => {
      const list = await cells(page);
      return list.length === 16 && list.every((c) => c.state === 'playing') && (await page.evaluate('window.__iocPlayers')) === 16;
    });
  });

  describe('a grid across the bezels', () => {
    const SPAN_ID = 'bezel-cams';
    const TOUR_ID = 'bezel-tour';
    const displays = new Map<string, Page>();

    before(async () => {
      await client.call('wall.execute', { command: { type: 'remove-tile', id: GRID_ID } });
      // 3×3 over the middle of the wall: wall cells 6…17 both ways, half of it on each display
      const spanning: Tile = { id: SPAN_ID, kind: 'camera-grid', rect: { x: 6, y: 6, w: 12, h: 12 }, props: { layout: '3x3', columns: 3, rows: 3, cameras: cameraIds.slice(0, 9), maximized: null } };
      // a 2×2 tour of 7 cameras across the vertical bezel of the bottom displays, a page every 5 s
      const tour: Tile = {
        id: TOUR_ID,
        kind: 'camera-grid',
        rect: { x: 8, y: 19, w: 8, h: 5 },
        props: { layout: '2x2', columns: 2, rows: 2, cameras: [], maximized: null, tour: { enabled: true, dwellSeconds: 5, cameras: cameraIds.slice(9, 16) } },
      };
      await client.call('wall.execute', { command: { type: 'add-tile', tile: spanning } });
      await client.call('wall.execute', { command: { type: 'add-tile', tile: tour } });
      for (const [row, column] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const id = displayWindowIdOf(row, column);
        if (id === WINDOW) {
          displays.set(id, page);
          continue;
        }
        const w = host.runtime.windows.find((x) => x.windowId === id);
        assert.ok(w?.devtools, `window ${id} has its DevTools socket`);
        const b = await bridgeDevTools(w.devtools);
        bridges.push(b);
        const br = await chromium.connectOverCDP(b.url);
        browsers.push(br);
        displays.set(id, await waitFor(`the ${id} page`, 20_000, async () => br.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes(`window=${id}`))));
      }
      for (const [id, p] of displays) await waitFor(`${id} showing ${SPAN_ID}`, 30_000, () => p.evaluate(`document.querySelector('[data-tile-id="${SPAN_ID}"]') !== null`));
    });

    it('puts no camera cell across a bezel, and every cell a display shows plays there with frames advancing', TIMEOUT, async () => {
      const playingFrom = new Map<string, number>();
      let waiting: string[] = [];
      await waitFor(
        `every ${SPAN_ID} cell playing in the one window showing it`,
        120_000,
        async () => {
          waiting = [];
          const shownIn = new Map<string, string[]>();
          for (const [windowId, p] of displays) {
            const { shown, cut } = await shownCells(p, SPAN_ID);
            assert.deepEqual(
              cut.map((c) => `${c.id} ${JSON.stringify(c.box)}`),
              [],
              `${windowId}: camera cells cut by the window's edge, i.e. running under a bezel onto the next display`,
            );
            for (const c of shown) {
              shownIn.set(c.id!, [...(shownIn.get(c.id!) ?? []), windowId]);
              const key = `${windowId}/${c.id}`;
              if (c.state !== 'playing' || c.badge !== 'live') {
                playingFrom.delete(key);
                waiting.push(`${key}: ${c.state}/${c.badge}`);
                continue;
              }
              const from = playingFrom.get(key) ?? playingFrom.set(key, c.frames).get(key)!;
              if (c.frames < from + 10) waiting.push(`${key}: ${c.frames - from} frames since playing`);
            }
          }
          for (const id of cameraIds.slice(0, 9)) {
            const where = shownIn.get(id) ?? [];
            if (where.length !== 1) waiting.push(`${id}: shown in ${where.length} windows (${where.join(', ')})`);
          }
          return waiting.length === 0;
        },
        500,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; waiting for ${waiting.join('; ')}`);
      });
      for (const [windowId, p] of displays) {
        const { shown } = await shownCells(p, SPAN_ID);
        assert.ok(shown.every((c) => c.badge !== 'stale'), `${windowId}: no cell claims a lost signal`);
      }
    });

    it('fills every cell of a touring grid across the bezel with a different camera, page after page', TIMEOUT, async () => {
      const bottom = [displays.get('r1c0')!, displays.get('r1c1')!];
      const page = async () => {
        const parts = await Promise.all(bottom.map((p) => shownCells(p, TOUR_ID)));
        return { cells: parts.flatMap((x) => x.shown), cut: parts.flatMap((x) => x.cut) };
      };
      const seen: string[][] = [];
      let last = '';
      await waitFor('three pages of the tour, each full', 40_000, async () => {
        const { cells: shown, cut } = await page();
        assert.deepEqual(cut.map((c) => c.id), [], 'no tour cell across the bezel');
        // a page counts once two looks agree: the two windows turn the page a few ms apart
        const look = JSON.stringify(shown.map((c) => [c.id, c.name]).sort());
        const settled = look === last;
        last = look;
        const ids = shown.map((c) => c.id ?? '').sort();
        if (!settled || (seen.length > 0 && seen.at(-1)!.join() === ids.join())) return false;
        assert.equal(ids.length, 4, `the 2×2 tour shows four cells (${ids.join(', ')})`);
        assert.ok(ids.every((id) => id !== ''), `no empty cell on a page (${ids.join(', ')})`);
        const names = shown.map((c) => c.name);
        assert.equal(new Set(names).size, 4, `four different camera names on a page (${names.join(', ')})`);
        seen.push(ids);
        return seen.length >= 3;
      }, 250);
      assert.deepEqual(new Set(seen.flat()), new Set(cameraIds.slice(9, 16)), 'every tour camera shown');
    });
  });
});
