/**
 * Scenarios end to end on the demo 2×2 wall: the real Chromium host (in this process, so the test
 * can play the simulated province's scripted incidents), its gateways over ZeroMQ, the simulated
 * cameras as live HLS, and the console and four wall windows in headless Chromium.
 *
 *  - flood: the rivers rise → the console's banner suggests the flood scenario → a commander
 *    clicks "Kích hoạt" → the siren step is done by one person, confirmed by another, sent, and
 *    acknowledged by the simulated hydrology gateway, all in the console → the commander pauses
 *    the run → every wall window painted the flood layout (tile ids of layouts/scenarios/flood.yaml)
 *    with the map at the incident, every camera of the grid playing in every window showing its
 *    picture (frames advancing, not black, counted in the page) and the procedure, none blank →
 *    the report exports → resumed, the run ends when the water has receded and every window
 *    paints the layout from before;
 *  - fire: fire-rescue activates itself → the console opens it and pauses it → its layout, map and
 *    cameras at the scene on every window → resumed, it ends when the fire is out → revert;
 *  - traffic: the jam is suggested → activated from the banner → its layout on every window →
 *    traffic flows again → revert.
 *
 * Incidents play at 0.8 of real time (incidentTimeScale): the file takes five to six minutes, the
 * siren has time to go out on a loaded machine, and the traffic trigger (30 s of jam, real time)
 * fires. Pausing is what a commander does to keep a scenario on the wall; here it also lets the
 * checks take a slow machine's time. Each wall window records the tiles it showed at every revision
 * it painted, so a layout is asserted even if the incident is over before the test looks.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { parse } from 'yaml';
import type { Tile, TileRect, WallState } from '../../native-bridge/contract.js';
import type { ScenarioRun } from '../../native-bridge/scenario-run.js';
import { openRuns } from '../../renderer/console/scenarios/view.js';
import { pictureInView, type Box } from '../../renderer/video/streams.js';
import { displaySlots, tileInDisplay } from '../../native-bridge/wall-geometry.js';
import { distanceM } from '../../native-bridge/geo.js';
import { startChromiumHost, type ChromiumHost } from '../../electron/node/chromium-host/host.js';
import { defaultScenariosDir, rendererDist } from '../../electron/node/project-paths.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { embeddedProvince } from '../../sim/embedded.js';
import type { ProvinceHandle } from '../../sim/province.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { waitFor } from '../support/page-wait.js';
import { bezelTextFindings } from '../support/bezel-text.js';
import { accountFor, createAccount, type TestAccount } from '../support/accounts.js';
import { attachWindows, detach, signInPage, type Windows } from '../support/windows.js';
import { testScenariosDir } from '../support/test-scenarios.js';
import { BLACK_BELOW, watchCameras, watchedCells } from '../support/camera-watch.js';

const TIME_SCALE = 0.8;
// A 2-core machine drawing four maps and a console in SwiftShader while decoding video: minutes, not seconds.
const TIMEOUT = { timeout: 480_000 };
/** The console signs in as the first commander; a second commander account confirms what needs two people. */
const SECOND = 'Nguyễn Văn An';
/** How often probes poll: the machine has two cores and five software-rendered windows to feed. */
const POLL_MS = 300;
/** A playing cell has presented this many frames more before it counts as advancing. */
const ADVANCING_FRAMES = 5;

interface FileTile {
  id: string;
  rect: TileRect;
}

/** The tiles a scenario file lays out (read from the file itself, not through the host). */
function scenarioTiles(name: string): FileTile[] {
  const doc = parse(readFileSync(join(defaultScenariosDir, `${name}.yaml`), 'utf8')) as { layout: { tiles: FileTile[] } };
  return doc.layout.tiles.map((t) => ({ id: t.id, rect: t.rect }));
}

const viewKey = (v: { longitude: number; latitude: number; zoom: number }) => `${v.longitude.toFixed(5)},${v.latitude.toFixed(5)},${v.zoom.toFixed(3)}`;

/** Lit share and distinct colours of a screenshot (or a clip of it). */
async function ink(page: Page, clip?: { x: number; y: number; width: number; height: number }): Promise<{ lit: number; colours: number }> {
  const png = PNG.sync.read(await page.screenshot({ ...(clip ? { clip } : {}), timeout: 60_000 }));
  let lit = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    // the wall's background is #05080d: "lit" means clearly brighter than that
    if (r + g + b > 60) lit++;
    colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
  }
  return { lit: lit / (png.width * png.height), colours: colours.size };
}

/** IOC_TEST_SHOTS=<folder> keeps screenshots of the console and the wall for a person to look at. */
async function keepShot(page: Page, name: string): Promise<void> {
  const folder = process.env.IOC_TEST_SHOTS;
  if (folder) writeFileSync(join(folder, `${name}.png`), await page.screenshot({ timeout: 60_000 }));
}

/**
 * Clicks a button once it is enabled, with a click event dispatched on it (as React sees a click).
 * Playwright's mouse click first waits for the element to hold still over two animation frames,
 * which a console drawing its map with SwiftShader on a busy two-core machine may not give for
 * many seconds — and the flood does not wait.
 */
async function press(button: Locator): Promise<void> {
  // A busy console may re-render the button between finding and clicking it: find it again then.
  await waitFor(
    'an enabled button, clicked',
    120_000,
    async () => {
      if ((await button.count()) === 0 || (await button.isDisabled())) return false;
      await button.dispatchEvent('click', undefined, { timeout: 30_000 });
      return true;
    },
    POLL_MS,
  );
}

/** Waits until the page has the element, polling (not by animation frames, for the same reason). */
async function appears(element: Locator, timeoutMs: number): Promise<void> {
  await waitFor(`an element to appear`, timeoutMs, async () => (await element.count()) > 0, POLL_MS);
}

// Pages evaluate strings, never functions: tsx rewrites functions with helpers the page lacks.

/** In a wall window: remember the tile ids shown at every painted revision (#wall's data-painted-revision). */
const RECORD_LAYOUTS = `(() => {
  if (window.__paintedLayouts) return;
  const root = document.getElementById('wall');
  const layouts = (window.__paintedLayouts = []);
  const record = () => layouts.push({ revision: Number(root.dataset.paintedRevision ?? -1), tiles: [...root.querySelectorAll('[data-tile-id]')].map((e) => e.dataset.tileId).sort() });
  new MutationObserver(record).observe(root, { attributes: true, attributeFilter: ['data-painted-revision'] });
  record();
})()`;
const paintedLayouts = (page: Page) => page.evaluate('window.__paintedLayouts') as Promise<{ revision: number; tiles: string[] }[]>;
const paintedRevision = (page: Page) => page.evaluate(`Number(document.getElementById('wall')?.dataset.paintedRevision ?? -1)`) as Promise<number>;

interface CellInfo {
  id: string;
  state: string;
  frames: number;
  /** Its <video> elements (live players). */
  players: number;
  /**
   * Any of its picture (letterbox bars aside) is inside this window: a grid spanning two windows
   * has cells that show only a sliver (or just their letterbox bar) in one of them.
   */
  shows: boolean;
}
const cellsIn = async (page: Page, gridId: string): Promise<CellInfo[]> => {
  const cells = (await page.evaluate(`[...document.querySelectorAll('[data-tile-id="${gridId}"] [data-camera-cell]')].map((el) => {
    const r = el.getBoundingClientRect();
    const video = [...el.querySelectorAll('video')].find((v) => v.videoWidth > 0);
    return {
      id: el.dataset.cameraId, state: el.dataset.state, frames: Number(el.dataset.frames || 0), players: el.querySelectorAll('video').length,
      box: { x: r.x, y: r.y, width: r.width, height: r.height }, aspect: video ? video.videoWidth / video.videoHeight : null,
      window: { x: 0, y: 0, width: innerWidth, height: innerHeight },
    };
  })`)) as (Omit<CellInfo, 'shows'> & { box: Box; aspect: number | null; window: Box })[];
  // every demo camera is 16:9
  return cells.map(({ box, aspect, window, ...cell }) => ({ ...cell, shows: pictureInView(box, window, aspect ?? 16 / 9) }));
};
/** What a camera cell holds, for the message of a failed picture check: its players, the element on top, the frame's brightness. */
const DESCRIBE_CELL = (gridId: string, cameraId: string) => `(() => {
  const cell = document.querySelector('[data-tile-id="${gridId}"] [data-camera-cell][data-camera-id="${cameraId}"]');
  if (!cell) return 'no cell';
  const r = cell.getBoundingClientRect();
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height * 0.65);
  const videos = [...cell.querySelectorAll('video')].map((v) => {
    const cs = getComputedStyle(v);
    let mean = null;
    try {
      const c = document.createElement('canvas');
      c.width = 32; c.height = 18;
      const g = c.getContext('2d');
      g.drawImage(v, 0, 0, 32, 18);
      const d = g.getImageData(0, 0, 32, 18).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
      mean = Math.round(sum / (d.length / 4));
    } catch (e) { mean = String(e); }
    const vr = v.getBoundingClientRect();
    return { ready: v.readyState, paused: v.paused, t: v.currentTime, w: v.videoWidth, h: v.videoHeight, z: v.style.zIndex, vis: cs.visibility, op: cs.opacity, disp: cs.display, rect: [vr.x, vr.y, vr.width, vr.height].map(Math.round), frameMean: mean };
  });
  return { cell: [r.x, r.y, r.width, r.height].map(Math.round), state: cell.dataset.state, frames: cell.dataset.frames, frozen: cell.querySelector('canvas.camera-freeze')?.dataset.frozen, top: top ? top.tagName + '.' + top.className : null, videos, viewport: [innerWidth, innerHeight], visibility: document.visibilityState };
})()`;

describe('scenarios on the demo wall, from the console', () => {
  const dataDir = tempDir('ioc-wall-scenarios-');
  /** The host's log, printed when a test fails. */
  const logs: string[] = [];
  let host: ChromiumHost<ProvinceHandle>;
  let engine: ScenarioEngine;
  let windows: Windows;
  let console_: Page;
  let first: TestAccount;
  let second: TestAccount;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  const wall = (): WallState => host.core.controller.current;
  const activeRun = (scenario: string) => engine.picture().runs.find((r) => r.scenario === scenario && r.state === 'active');
  /** The layout the wall has with no scenario on it (after a failed test, once its run is over). */
  const layoutNow = async (): Promise<FileTile[]> => {
    await waitFor('no scenario on the wall', 120_000, async () => openRuns(engine.picture().runs).length === 0, POLL_MS);
    return wall().tiles.map((t) => ({ id: t.id, rect: t.rect }));
  };

  /** Every display window painted `revision` showing exactly the tiles of `tiles` that touch it. */
  async function allWindowsPainted(what: string, revision: number, tiles: readonly FileTile[]): Promise<void> {
    const w = wall().wall;
    for (const slot of displaySlots(w)) {
      const page = windows.displays.get(slot.windowId)!;
      const expected = tiles.filter((t) => tileInDisplay(w, t.rect, slot.row, slot.column)).map((t) => t.id).sort();
      // a window paints the newest state once a frame: two revisions in one frame paint as the later
      const firstFrom = (layouts: Awaited<ReturnType<typeof paintedLayouts>>) => layouts.filter((l) => l.revision >= revision).sort((a, b) => a.revision - b.revision)[0];
      const painted = await waitFor(`${slot.windowId} painting revision ${revision} (${what})`, 120_000, async () => firstFrom(await paintedLayouts(page)), POLL_MS).catch(async (error: Error) => {
        const seen = (await paintedLayouts(page).catch(() => [])).map((l) => l.revision);
        throw new Error(`${error.message}; painted so far: ${seen.join(', ')}; host at revision ${host.core.controller.currentRevision}`);
      });
      assert.deepEqual(painted.tiles, expected, `${slot.windowId} showed ${what} at revision ${revision}`);
    }
  }

  /** The map tile is centred near the incident, and every window showing it drew that view. */
  async function mapAtIncident(mapId: string, incident: { lon: number; lat: number }, withinKm: number): Promise<void> {
    const tile = wall().tiles.find((t): t is Extract<Tile, { kind: 'map' }> => t.id === mapId && t.kind === 'map');
    assert.ok(tile, `the wall has map tile ${mapId}`);
    const view = tile.props.view;
    const off = distanceM(view.longitude, view.latitude, incident.lon, incident.lat) / 1000;
    assert.ok(off <= withinKm, `${mapId} is centred ${off.toFixed(2)} km from the incident (≤ ${withinKm} km)`);
    const key = viewKey(view);
    const w = wall().wall;
    const showing = displaySlots(w).filter((slot) => tileInDisplay(w, tile.rect, slot.row, slot.column));
    await Promise.all(
      showing.map((slot) =>
        waitFor(
          `${slot.windowId} drew ${mapId} at ${key}`,
          120_000,
          async () => windows.displays.get(slot.windowId)!.evaluate(`(() => { const e = document.querySelector('[data-map-tile="${mapId}"]'); return !!e && e.dataset.renderedView === '${key}' && Number(e.dataset.frames || 0) > 0; })()`),
          POLL_MS,
        ),
      ),
    );
  }

  /**
   * The grid holds the nearest cameras, and every one of them plays: each cell whose picture is in
   * a window (not just a letterbox sliver) plays there, with frames advancing and a picture that is
   * not black, as counted and sampled in the page (test/support/camera-watch.ts); every camera of
   * the grid shows in some window.
   */
  async function camerasPlaying(gridId: string): Promise<string[]> {
    const tile = wall().tiles.find((t) => t.id === gridId);
    assert.ok(tile?.kind === 'camera-grid', `the wall has camera grid ${gridId}`);
    const cameras = tile.props.cameras.filter((id) => id !== '');
    assert.ok(cameras.length > 0, `${gridId} holds the nearest cameras`);
    const w = wall().wall;
    const pages = displaySlots(w)
      .filter((slot) => tileInDisplay(w, tile.rect, slot.row, slot.column))
      .map((slot) => [slot.windowId, windows.displays.get(slot.windowId)!] as const);
    for (const [, page] of pages) await watchCameras(page);
    /** Frames a cell had presented when it was first seen playing, per window/camera. */
    const playingFrom = new Map<string, number>();
    let waiting: { windowId: string; id: string; why: string }[] = [];
    await waitFor(
      `every camera of ${gridId} playing, frames advancing and a picture, in every window showing it`,
      180_000,
      async () => {
        waiting = [];
        const shown = new Set<string>();
        for (const [windowId, page] of pages) {
          const watched = await watchedCells(page);
          for (const cell of await cellsIn(page, gridId)) {
            if (!cell.shows) continue;
            shown.add(cell.id);
            const key = `${windowId}/${cell.id}`;
            const seen = watched[`${gridId}/${cell.id}`];
            if (cell.state !== 'playing' || !seen) {
              playingFrom.delete(key);
              waiting.push({ windowId, id: cell.id, why: cell.state });
              continue;
            }
            const from = playingFrom.get(key) ?? playingFrom.set(key, seen.frames).get(key)!;
            if (seen.frames < from + ADVANCING_FRAMES) waiting.push({ windowId, id: cell.id, why: `${seen.frames - from} frames since playing` });
            else if (seen.lit === null || seen.lit < BLACK_BELOW) waiting.push({ windowId, id: cell.id, why: `black (${((seen.lit ?? 0) * 100).toFixed(1)}% lit)` });
          }
        }
        for (const id of cameras) if (!shown.has(id)) waiting.push({ windowId: '-', id, why: 'shown in no window' });
        return waiting.length === 0;
      },
      1000,
    ).catch(async (error: Error) => {
      const first = waiting.find((x) => x.windowId !== '-');
      const page = first ? pages.find(([id]) => id === first.windowId)?.[1] : undefined;
      if (page && first) await keepShot(page, `cameras-${first.id}-${first.windowId}`);
      const why = page && first ? await page.evaluate(DESCRIBE_CELL(gridId, first.id)).catch((e: unknown) => String(e)) : null;
      throw new Error(`${error.message}; waiting for ${waiting.map((x) => `${x.windowId}/${x.id}: ${x.why}`).join(', ')}${why ? `; ${JSON.stringify(why)}` : ''}`);
    });
    // a window plays only cells with some of their picture in it (not a cell whose letterbox bar is all it shows)
    await waitFor(`no window playing a ${gridId} camera none of whose picture it shows`, 10_000, async () => {
      for (const [, p] of pages) if ((await cellsIn(p, gridId)).some((c) => !c.shows && c.players > 0)) return false;
      return true;
    });
    return tile.props.cameras;
  }

  /** While the scenario is on the wall: the map at the incident and the cameras playing (side by side). */
  async function liveOnTheWall(mapId: string, gridId: string, incident: { lon: number; lat: number }): Promise<string[]> {
    const [, cameras] = await Promise.all([mapAtIncident(mapId, incident, 1), camerasPlaying(gridId)]);
    return cameras;
  }

  /** No display window is a blank screen. */
  async function noBlankWindow(): Promise<void> {
    for (const [id, page] of windows.displays) {
      const shot = await ink(page);
      assert.ok(shot.lit > 0.2 && shot.colours > 40, `${id} is not blank (${(shot.lit * 100).toFixed(0)}% lit, ${shot.colours} colours)`);
    }
  }

  /** The incident is over: the run cleared (or a commander closed it), the host and every window went back to the layout from before, the console says so. */
  async function reverted(run: ScenarioRun, beforeTiles: readonly FileTile[], end: 'cleared' | 'closed' = 'cleared'): Promise<void> {
    await waitFor(`${run.scenario} ${end}`, 90_000, async () => engine.picture().runs.find((r) => r.runId === run.runId && r.state === end), POLL_MS);
    const revert = engine.log(run.runId).find((e) => e.kind === 'reverted');
    assert.ok(revert, 'the run log has the revert');
    assert.deepEqual(wall().tiles.map((t) => t.id).sort(), beforeTiles.map((t) => t.id).sort(), 'the host is back to the layout from before');
    await allWindowsPainted('the layout from before', Number(revert.data?.revision), beforeTiles);
    await appears(console_.locator(`[data-incident-run="${run.runId}"][data-run-state="${end}"], [data-testid="run-view"][data-run-id="${run.runId}"][data-run-state="${end}"]`).first(), 30_000);
    console.log(`  ${run.scenario} ${end}, every window reverted (${elapsed()})`);
  }

  /** Waits for the scenario's banner in the console, checks what it says, and activates it with one click. */
  async function activateFromBanner(scenario: string, title: RegExp, timeoutMs: number): Promise<ScenarioRun> {
    const banner = console_.locator(`[data-testid="suggestion-banner"][data-scenario="${scenario}"]`);
    await appears(banner, timeoutMs);
    assert.match(await banner.innerText(), title, 'the banner names the scenario in Vietnamese');
    assert.ok((await banner.locator('[data-testid="suggestion-why"]').innerText()).length > 10, 'the banner says why');
    assert.ok(await banner.locator('[data-testid="suggestion-where"]').isVisible(), 'the banner says where');
    console.log(`  ${scenario} suggested in the banner (${elapsed()})`);
    await keepShot(console_, `${scenario}-banner`);
    await press(banner.locator('[data-testid="suggestion-activate"]'));
    const run = await waitFor(`the ${scenario} run active`, 60_000, async () => activeRun(scenario), POLL_MS);
    console.log(`  ${scenario} activated from the console (${elapsed()})`);
    return run;
  }

  /**
   * The console shows the run and its commander pauses it: a paused run does not end when its
   * trigger clears, so what the wall shows can be checked at a slow machine's pace; resuming
   * afterwards applies the clear.
   */
  async function pauseFromConsole(run: ScenarioRun): Promise<void> {
    const view = console_.locator(`[data-testid="run-view"][data-run-id="${run.runId}"]`);
    await appears(view, 30_000);
    await press(view.locator('[data-run-action="pause"]'));
    await waitFor(`${run.scenario} paused`, 30_000, async () => engine.picture().runs.some((r) => r.runId === run.runId && r.state === 'paused'), POLL_MS);
    await appears(console_.locator(`[data-testid="run-view"][data-run-id="${run.runId}"][data-run-state="paused"]`), 30_000);
    console.log(`  ${run.scenario} paused from the console (${elapsed()})`);
  }

  before(
    async () => {
      assert.ok(existsSync(join(rendererDist, 'index.html')), 'the renderer is built (npm run build)');
      // Four map windows and a console on SwiftShader: compositing on the GPU process keeps each page's
      // main thread free to answer the test (software compositing reads every WebGL frame back on it).
      process.env.IOC_WALL_HEADLESS_COMPOSITING ??= 'gpu';
      const gatewaysFile = join(dataDir, 'gateways.yaml');
      writeFileSync(
        gatewaysFile,
        `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\nsimulate: true\nincidentTimeScale: ${TIME_SCALE}\nsimulatedCameras: { serve: true, port: 0 }\n`,
      );
      host = await startChromiumHost({ wallFile: demoWallFile, presetsDir: demoPresetsDir, scenariosDir: testScenariosDir(), gatewaysFile, dataDir, rendererDir: rendererDist, windows: 'headless', simulator: embeddedProvince, log: (line) => logs.push(line) });
      engine = host.scenarios;
      windows = await attachWindows({ runtime: host.runtime(), dataDir });
      console_ = windows.console;
      await waitFor('the 16 simulated cameras in the live picture', 60_000, async () => host.core.live.cameraList().length >= 16, POLL_MS);
      await waitFor(
        'every window painted the start layout',
        60_000,
        async () => {
          for (const page of windows.displays.values()) if ((await paintedRevision(page)) < host.core.controller.currentRevision) return false;
          return true;
        },
        POLL_MS,
      );
      for (const page of windows.displays.values()) await page.evaluate(RECORD_LAYOUTS);
      first = await accountFor(dataDir, 'commander');
      second = await createAccount(dataDir, 'commander', { fullName: SECOND });
      await appears(console_.getByTestId('sign-out'), 30_000);
      console.log(`  host, windows and cameras ready (${elapsed()})`);
    },
    { timeout: 180_000 },
  );

  afterEach((t) => {
    // `passed` is in Node ≥ 20.12, not yet in @types/node 20
    if ((t as { passed?: boolean }).passed !== false) return;
    console.error(`host log (last 40 lines):\n${logs.slice(-40).join('\n')}`);
    // a failed test may leave its run on the wall: close it, so the next one starts from a free wall
    for (const run of openRuns(engine.picture().runs)) engine.close({ runId: run.runId }, { id: 'console', role: 'operator' });
  });

  after(async () => {
    if (windows) await detach(windows);
    await host?.close();
  });

  it('flood: suggested in the banner, activated from the console, on every window; two people work the siren and the gateway acknowledges it; the wall reverts when the water recedes', TIMEOUT, async () => {
    const beforeTiles = await layoutNow();
    assert.equal(wall().activePreset, 'overview', 'the wall starts on its start preset');
    const flood = host.simulation!.trigger('flood');
    const run = await activateFromBanner('flood', /Cảnh báo, ứng phó ngập lụt/, 90_000);
    assert.equal(run.activatedBy, first.id, 'the run records the signed-in account that activated it');
    assert.equal(run.people[first.id], first.fullName, 'and its name, for people to read');
    assert.ok(run.incident, 'the run knows where the incident is');

    // The wall is watched from now on (polling only: the players and the map start meanwhile)...
    const wallLive = liveOnTheWall('flood-map', 'flood-cameras', run.incident);
    wallLive.catch(() => {}); // awaited below; a rejection must not go unhandled meanwhile
    // ...while the siren goes first: it must go out before the water recedes (a paused run sends nothing).
    const view = console_.locator(`[data-testid="run-view"][data-run-id="${run.runId}"]`);
    await appears(view, 30_000);
    const step = (id: string) => view.locator(`[data-step-id="${id}"]`);
    const reaches = (id: string, state: string, attribute = 'data-step-state') => waitFor(`${id}: ${state}`, 30_000, async () => (await step(id).getAttribute(attribute)) === state, POLL_MS);
    // one person does the siren step; a second one confirms it
    await press(step('sound-siren').locator('[data-step-action="done"]'));
    await reaches('sound-siren', 'awaiting-confirmation');
    assert.ok(await step('sound-siren').locator('[data-step-action="confirm"]').isDisabled(), 'the person who did the step cannot confirm it');
    assert.ok(await step('sound-siren').locator('[data-step-action="send"]').isDisabled(), 'no siren before the confirmation');
    assert.match(await view.innerText(), new RegExp(first.fullName), 'the console names the person who activated it and did the step');
    assert.doesNotMatch(await view.innerText(), new RegExp(first.id), 'never the account id');
    // the first commander signs out; a second one signs in at the console and confirms
    await press(console_.getByTestId('sign-out'));
    await signInPage(console_, second);
    await appears(view, 30_000);
    await press(step('sound-siren').locator('[data-step-action="confirm"]'));
    await reaches('sound-siren', 'done');
    assert.match(await step('sound-siren').innerText(), new RegExp(SECOND), 'the console shows who confirmed');
    // the siren goes to the field and the simulated hydrology gateway acknowledges it
    await press(step('sound-siren').locator('[data-step-action="send"]'));
    await reaches('sound-siren', 'done', 'data-command-state');
    assert.match(await step('sound-siren').locator('[data-testid="command-state"]').innerText(), /gw-thuy-van/);
    const log = engine.log(run.runId);
    assert.ok(log.some((e) => e.kind === 'step-confirmed' && e.stepId === 'sound-siren' && e.actor === second.id), 'the run log has the second person');
    assert.ok(log.some((e) => e.kind === 'command-acknowledged' && e.actor === 'gateway:gw-thuy-van'), 'the run log has the acknowledgement');
    console.log(`  siren done, confirmed by a second person and acknowledged by gw-thuy-van, in the console (${elapsed()})`);
    await keepShot(console_, 'flood-procedure');

    // Then the commander pauses the run (no end on clear until resumed): the rest of the
    // checklist and the wall are looked at in peace.
    await pauseFromConsole(run);
    await allWindowsPainted('the flood layout', run.revision, scenarioTiles('flood'));
    await press(step('verify').locator('[data-step-action="done"]'));
    await reaches('verify', 'done');
    assert.match(await step('verify').innerText(), new RegExp(SECOND), 'the console shows who did the step');
    const cameras = await wallLive;
    await noBlankWindow();
    assert.deepEqual(await bezelTextFindings(wall().wall, windows.displays), [], 'no line of the flood wall\'s text crosses or lies in a bezel band');
    assert.match(await windows.displays.get('r1c0')!.locator('[data-tile-id="flood-procedure"]').innerText(), /Cảnh báo người dân/, 'the wall shows the procedure');
    for (const [id, page] of windows.displays) await keepShot(page, `flood-${id}`);
    console.log(`  flood map at the incident, cameras nearest first (${cameras.join(', ')}) playing (${elapsed()})`);

    // the after-action report, from the console
    await press(view.locator('[data-run-action="report"]'));
    const exported = view.locator('[data-testid="report-exported"]');
    await appears(exported, 30_000);
    assert.match((await exported.getAttribute('data-file')) ?? '', /\.html$/);
    assert.ok(Number(await exported.getAttribute('data-bytes')) > 2000, 'the report has content');
    // and as PDF, printed by the host
    await press(view.locator('[data-run-action="report-pdf"]'));
    await waitFor('the PDF report saved', 90_000, async () => /\.pdf$/.test((await exported.getAttribute('data-file')) ?? ''), POLL_MS);
    assert.ok(Number(await exported.getAttribute('data-bytes')) > 10_000, 'the PDF has content');

    // resumed, with steps still open when the water has receded: the console counts down to the
    // revert and the commander keeps the wall, then closes the run when the work is done
    await press(view.locator('[data-run-action="resume"]'));
    await flood;
    const countdown = console_.locator(`[data-testid="revert-countdown"][data-run-id="${run.runId}"]`);
    await appears(countdown, 60_000);
    assert.match(await countdown.innerText(), /Còn \d+ bước chưa xong\. Tường sẽ trở về bố cục trước sau \d:\d\d/, 'the countdown says what is open and how long is left');
    await keepShot(console_, 'flood-countdown');
    await press(countdown.locator('[data-testid="revert-keep"]'));
    await waitFor('the flood wall kept', 30_000, async () => engine.picture().runs.some((r) => r.runId === run.runId && r.state === 'awaiting-close' && r.revertAt === null), POLL_MS);
    await appears(console_.locator(`[data-testid="run-view"][data-run-id="${run.runId}"][data-run-state="awaiting-close"]`), 30_000);
    assert.equal(await countdown.count(), 0, 'the countdown is gone');
    assert.equal(wall().tiles.some((t) => t.id === 'flood-map'), true, 'kept: the flood wall stays past the countdown');
    await press(view.locator('[data-run-action="close"]'));
    await press(console_.getByTestId('confirm-ok'));
    await reverted(run, beforeTiles, 'closed');
  });

  it('fire: fire-rescue activates itself on every window with the map and cameras at the scene, the console opens it, and the wall reverts when the fire is out', TIMEOUT, async () => {
    const beforeTiles = await layoutNow();
    // the fire's script goes on after the run clears (the trucks drive back): not waited for
    void host.simulation!.trigger('fire').catch(() => {});
    const run = await waitFor('fire-rescue active', 60_000, async () => activeRun('fire-rescue'), POLL_MS);
    assert.equal(run.activatedBy, 'system', 'started by its own trigger');
    assert.equal(run.handedTo, SECOND, 'put in the charge of the commander signed in at the console');
    console.log(`  fire-rescue activated itself (${elapsed()})`);
    const wallLive = liveOnTheWall('fire-map', 'fire-cameras', run.incident!);
    wallLive.catch(() => {}); // awaited below
    await pauseFromConsole(run);
    assert.equal(await console_.locator(`[data-testid="run-view"][data-run-id="${run.runId}"] [data-testid="run-in-charge"]`).innerText(), SECOND, 'the console names who is in charge');
    await allWindowsPainted('the fire-rescue layout', run.revision, scenarioTiles('fire-rescue'));
    await wallLive;
    await noBlankWindow();
    console.log(`  fire-rescue on every window, map and cameras at the scene (${elapsed()})`);
    await press(console_.locator(`[data-testid="run-view"][data-run-id="${run.runId}"] [data-run-action="resume"]`));
    await reverted(run, beforeTiles);
  });

  it('traffic: the jam is suggested in the banner, activated from the console, on every window; the wall reverts when traffic flows', TIMEOUT, async () => {
    const beforeTiles = await layoutNow();
    void host.simulation!.trigger('traffic').catch(() => {});
    const run = await activateFromBanner('traffic', /Chỉ huy giao thông linh hoạt khi ùn tắc/, 120_000);
    assert.equal(run.activatedBy, second.id, 'activated by the person now at the console');
    await allWindowsPainted('the traffic layout', run.revision, scenarioTiles('traffic'));
    await noBlankWindow();
    await keepShot(console_, 'traffic-console');
    await reverted(run, beforeTiles);
  });
});
