/**
 * The map end to end on the real Chromium host with the simulated province: the 'map' preset puts
 * one map tile across all four displays of the demo 2×2 wall.
 *
 *  - every window draws its slice of one picture: the same place projects to the same point of
 *    the wall's virtual plane in all four windows, and the screenshots on both sides of every seam
 *    are drawn (not blank) and alike;
 *  - panning from the console's map moves all four slices;
 *  - a camera picked on the console's map opens in the wall's camera tile;
 *  - a radius query drawn on the console's map shows the spatial index's figures;
 *  - a lost WebGL context rebuilds the map;
 *  - not one request leaves the machine (every non-local request is blocked and counted).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { ContractClient } from '../../native-bridge/channel.js';
import type { Tile, WallDefinition } from '../../native-bridge/contract.js';
import { displayOrigin, parseDisplayWindowId } from '../../native-bridge/wall-geometry.js';
import { tempDir } from '../support/fixtures.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { waitFor } from '../support/page-wait.js';
import { attachWindows, detach, hostState, type Windows } from '../support/windows.js';
import { connectConsole } from '../support/accounts.js';
import { maxOf } from '../../native-bridge/extremes.js';

const MAP = 'province-map';
const TIMEOUT = { timeout: 300_000 };

type MapTile = Extract<Tile, { kind: 'map' }>;

const viewKey = (v: MapTile['props']['view']) => `${v.longitude.toFixed(5)},${v.latitude.toFixed(5)},${v.zoom.toFixed(3)}`;

/** What a page's map tile drew last: its view and frame count. */
async function rendered(page: Page): Promise<{ view: string | null; frames: number }> {
  return (await page.evaluate(`(() => { const el = document.querySelector('[data-map-tile="${MAP}"]');
    return { view: el ? el.dataset.renderedView || null : null, frames: el ? Number(el.dataset.frames || 0) : 0 }; })()`)) as { view: string | null; frames: number };
}

/** Projects lon/lat through the window's deck view to window pixels (view offset included). */
async function project(page: Page, points: [number, number][]): Promise<[number, number][]> {
  return (await page.evaluate(`(() => {
    const deck = window.__iocWallDeck.deckInstance;
    const viewport = deck.getViewports().find((v) => v.id === '${MAP}');
    return ${JSON.stringify(points)}.map((p) => { const [x, y] = viewport.project(p); return [x + viewport.x, y + viewport.y]; });
  })()`)) as [number, number][];
}

function stats(png: PNG, x0: number, y0: number, w: number, h: number): { lit: number; mean: [number, number, number] } {
  let lit = 0;
  const sum: [number, number, number] = [0, 0, 0];
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (r + g + b > 30) lit++;
      sum[0] += r;
      sum[1] += g;
      sum[2] += b;
    }
  }
  const n = w * h;
  return { lit: lit / n, mean: [sum[0] / n, sum[1] / n, sum[2] / n] };
}

describe('map spanning the 2×2 wall', () => {
  const dataDir = tempDir('ioc-wall-map-');
  let host: HostProcess;
  let windows: Windows;
  let client: ContractClient;
  let closeClient = () => {};
  let wall: WallDefinition;
  const blocked: string[] = [];

  const mapTile = async () => (await hostState(host)).state.tiles.find((t): t is MapTile => t.id === MAP && t.kind === 'map')!;

  const allDrew = async (view: string) =>
    waitFor(`all four windows drew the map at ${view}`, 60_000, async () => {
      const drawn = await Promise.all([...windows.displays.values()].map(rendered));
      return drawn.every((d) => d.view === view && d.frames > 0) ? drawn : null;
    });

  before(async () => {
    // Maps in every window on SwiftShader: compositing on the GPU process keeps each page's main
    // thread free to answer the test (software compositing reads every WebGL frame back on it).
    process.env.IOC_WALL_HEADLESS_COMPOSITING ??= 'gpu';
    host = await spawnHost({ dataDir, windows: 'headless', simulate: true, timeoutMs: 120_000 });
    const connection = await connectConsole(host.runtime, host.dataDir);
    client = connection.client;
    closeClient = () => connection.transport.close();
    windows = await attachWindows(host);
    const local = (url: string) => /^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url) || /^(data|blob):/.test(url);
    for (const page of [windows.console, ...windows.displays.values()]) {
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (local(url)) return route.continue();
        blocked.push(url);
        return route.abort('blockedbyclient');
      });
    }
    await client.call('wall.execute', { command: { type: 'apply-preset', name: 'map' } });
    // reload so that every request of the pages, from the first, goes through the block list
    await Promise.all([windows.console, ...windows.displays.values()].map((p) => p.reload({ timeout: 120_000 })));
    wall = (await hostState(host)).state.wall;
  }, TIMEOUT);

  after(async () => {
    closeClient();
    if (windows) await detach(windows);
    await host?.stop();
  });

  it('draws one continuous picture across the four displays', TIMEOUT, async () => {
    const tile = await mapTile();
    await allDrew(viewKey(tile.props.view));
    // the same places land on the same point of the wall's virtual plane in every window
    const places: [number, number][] = [
      [106.93, 10.9],
      [106.85, 10.95],
      [107.0, 10.8],
    ];
    const virtual: [number, number][][] = [];
    for (const [id, page] of windows.displays) {
      const slot = parseDisplayWindowId(id)!;
      const origin = displayOrigin(wall, slot.row, slot.column);
      virtual.push((await project(page, places)).map(([x, y]) => [x + origin.x, y + origin.y]));
    }
    for (let p = 0; p < places.length; p++) {
      for (const other of virtual.slice(1)) {
        assert.ok(Math.abs(other[p]![0] - virtual[0]![p]![0]) < 1 && Math.abs(other[p]![1] - virtual[0]![p]![1]) < 1, `place ${p} projects to one wall point: ${JSON.stringify(virtual.map((v) => v[p]))}`);
      }
    }

    // base map tiles arrive asynchronously: wait until every slice has real map content
    await waitFor('base map drawn in every window', 60_000, async () => {
      for (const page of windows.displays.values()) {
        const png = PNG.sync.read(await page.screenshot());
        if (stats(png, 200, 400, 600, 400).lit < 0.5) return false;
      }
      return true;
    });
    const shots = new Map<string, PNG>();
    for (const [id, page] of windows.displays) shots.set(id, PNG.sync.read(await page.screenshot()));
    const { width, height } = wall.display;
    const strip = 12;
    // vertical seam between columns (rows 0 and 1), horizontal seam between rows (column 0)
    const seams: [string, [number, number, number, number], string, [number, number, number, number]][] = [
      ['r0c0', [width - strip, 400, strip, 500], 'r0c1', [0, 400, strip, 500]],
      ['r1c0', [width - strip, 200, strip, 500], 'r1c1', [0, 200, strip, 500]],
      ['r0c0', [300, height - strip, 800, strip], 'r1c0', [300, 0, 800, strip]],
    ];
    for (const [a, ra, b, rb] of seams) {
      const sa = stats(shots.get(a)!, ...ra);
      const sb = stats(shots.get(b)!, ...rb);
      assert.ok(sa.lit > 0.9 && sb.lit > 0.9, `both sides of the ${a}|${b} seam are drawn (${sa.lit.toFixed(2)}, ${sb.lit.toFixed(2)})`);
      const difference = maxOf(sa.mean.map((m, i) => Math.abs(m - sb.mean[i]!)));
      assert.ok(difference < 40, `the ${a}|${b} seam continues the picture (mean colour differs by ${difference.toFixed(1)})`);
    }
    // and the map is a map: many colours, not one flat fill
    const png = shots.get('r0c0')!;
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97) colours.add((png.data[i]! >> 4) * 256 + (png.data[i + 1]! >> 4) * 16 + (png.data[i + 2]! >> 4));
    assert.ok(colours.size > 20, `r0c0 shows a map with many colours (${colours.size})`);
  });

  it('pans the console map as a preview, then moves all slices together: one revision per gesture, never one per frame', TIMEOUT, async () => {
    const start = await hostState(host);
    const before = start.state.tiles.find((t): t is MapTile => t.id === MAP && t.kind === 'map')!;
    const canvas = windows.console.locator('[data-testid="console-map"]');
    await canvas.waitFor({ state: 'visible', timeout: 30_000 });
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    const drag = async (dx: number, dy: number) => {
      await windows.console.mouse.move(cx, cy);
      await windows.console.mouse.down();
      for (let i = 1; i <= 10; i++) await windows.console.mouse.move(cx + (i * dx) / 10, cy + (i * dy) / 10);
      await windows.console.mouse.up();
    };
    const sync = windows.console.getByTestId('map-sync');
    assert.equal(await sync.getAttribute('data-sync'), 'preview', 'the console map starts as a preview');

    // Preview: the drag moves the console's map only; the operator puts the view on the wall once.
    await drag(-150, -80);
    await windows.console.getByTestId('map-diverged').waitFor({ state: 'visible', timeout: 20_000 });
    await windows.console.getByTestId('map-push').click();
    const pushed = await waitFor('the host has the previewed view', 20_000, async () => {
      const now = await hostState(host);
      const v = now.state.tiles.find((t): t is MapTile => t.id === MAP && t.kind === 'map')!.props.view;
      return v.longitude > before.props.view.longitude + 0.005 && v.latitude < before.props.view.latitude - 0.002 ? now : null;
    });
    assert.equal(pushed.revision, start.revision + 1, 'the preview wrote nothing; the push wrote one revision');
    await allDrew(viewKey(pushed.state.tiles.find((t): t is MapTile => t.id === MAP && t.kind === 'map')!.props.view));

    // Driving the wall: each finished drag is one revision, whatever its number of frames.
    await sync.locator('[data-sync-mode="follow"]').click();
    await drag(120, 60);
    const moved = await waitFor('the host has the dragged view', 20_000, async () => {
      const now = await hostState(host);
      return now.revision > pushed.revision ? now : null;
    });
    // settled: two reads 600 ms apart that agree (a second write of the same gesture would show here)
    let last: number | null = null;
    const settled = await waitFor('the dragged view to settle', 20_000, async () => {
      const { revision } = await hostState(host);
      const same = revision === last;
      last = revision;
      return same ? revision : null;
    }, 600);
    assert.equal(settled, pushed.revision + 1, `one drag of 10 moves, one revision (${settled - pushed.revision})`);
    const view = moved.state.tiles.find((t): t is MapTile => t.id === MAP && t.kind === 'map')!.props.view;
    assert.ok(view.longitude < pushed.state.tiles.find((t): t is MapTile => t.id === MAP && t.kind === 'map')!.props.view.longitude, 'the wall moved the way the drag went');
    await allDrew(viewKey(view));
  });

  it('opens the camera picked on the map in the camera tile', TIMEOUT, async () => {
    const snapshot = await client.call('live.snapshot', {});
    const tile = await mapTile();
    const v = tile.props.view;
    // a camera inside the console's current view, away from the panel's edges
    const picks = (await windows.console.evaluate(`(() => {
      const deck = window.__iocConsoleDeck.deckInstance;
      const viewport = deck.getViewports()[0];
      return ${JSON.stringify(snapshot.cameras.map((c) => [c.id, c.location.lon, c.location.lat]))}
        .map(([id, lon, lat]) => { const [x, y] = viewport.project([lon, lat]); return { id, x, y }; })
        .filter((p) => p.x > 40 && p.y > 40 && p.x < viewport.width - 40 && p.y < viewport.height - 40);
    })()`)) as { id: string; x: number; y: number }[];
    assert.ok(picks.length > 0, `some camera is inside the console's map view (${viewKey(v)})`);
    const canvas = windows.console.locator('[data-testid="console-map"]');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const pick = picks[0]!;
    await windows.console.mouse.click(box.x + pick.x, box.y + pick.y);
    await waitFor(`camera ${pick.id} opened in the wall's camera tile`, 20_000, async () => {
      const state = (await hostState(host)).state;
      const camera = state.tiles.find((t) => t.id === 'map-camera');
      return camera?.kind === 'camera' && camera.props.cameraId === pick.id;
    });
  });

  it('answers a radius query drawn on the console map with the same figures as the contract', TIMEOUT, async () => {
    const page = windows.console;
    await page.click('[data-query-mode="radius"]');
    const canvas = page.locator('[data-testid="console-map"]');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // click on a sensor inside the view, so the 2 km circle holds at least that sensor
    const sensors = (await client.call('live.snapshot', {})).sensors.map((s) => [s.location.lon, s.location.lat]);
    const inside = (await page.evaluate(`(() => { const v = window.__iocConsoleDeck.deckInstance.getViewports()[0];
      return ${JSON.stringify(sensors)}.map((p) => v.project(p)).filter(([x, y]) => x > 40 && y > 40 && x < v.width - 340 && y < v.height - 40); })()`)) as [number, number][];
    assert.ok(inside.length > 0, 'some sensor is inside the console map view');
    const [x, y] = inside[0]!;
    const [lon, lat] = (await page.evaluate(`window.__iocConsoleDeck.deckInstance.getViewports()[0].unproject([${x}, ${y}])`)) as [number, number];
    await page.mouse.click(box.x + x, box.y + y);
    const shown = await waitFor('query results in the console', 20_000, async () => {
      const total = await page.evaluate(`(() => { const e = document.querySelector('[data-testid="query-results"]'); return e ? Number(e.dataset.total) : null; })()`);
      return typeof total === 'number' ? { total } : null;
    });
    const direct = await client.call('gis.query', { shape: { type: 'radius', lon, lat, radiusM: 2000 }, limit: 0 });
    // live objects move between the two queries: allow a small difference, never an empty answer
    assert.ok(direct.total > 0, 'there are field items within 2 km of the clicked point');
    assert.ok(Math.abs(shown.total - direct.total) <= 3, `the console shows ${shown.total}, the contract says ${direct.total}`);
    await page.click('[data-query-mode="pan"]');
  });

  it('rebuilds the map after the WebGL context is lost', TIMEOUT, async () => {
    const page = windows.displays.get('r0c1')!;
    const view = viewKey((await mapTile()).props.view);
    await page.evaluate(`(() => {
      const canvas = document.querySelector('.window-deck-canvas');
      canvas.getContext('webgl2').getExtension('WEBGL_lose_context').loseContext();
    })()`);
    await waitFor('the map rebuilt itself', 30_000, async () => (await page.evaluate(`document.documentElement.dataset.mapRebuilds === '1'`)) as boolean);
    const framesBefore = (await rendered(page)).frames;
    await waitFor('the rebuilt map draws again', 30_000, async () => {
      const r = await rendered(page);
      return r.view === view && r.frames > framesBefore;
    });
    await waitFor('the rebuilt map is not blank', 150_000, async () => stats(PNG.sync.read(await page.screenshot()), 200, 400, 600, 400).lit > 0.5);
  });

  it('keeps the console map, WebGL context and all, while the wall shows no map for a while', TIMEOUT, async () => {
    const page = windows.console;
    await page.locator('[data-testid="console-map"]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await page.evaluate('(window.__mapDeckBefore = window.__iocConsoleDeck.deckInstance) !== null'), true, 'the console map has its Deck');
    await client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } });
    await page.locator('[data-testid="map-panel"]').waitFor({ state: 'detached', timeout: 30_000 });
    await client.call('wall.execute', { command: { type: 'apply-preset', name: 'map' } });
    await page.locator('[data-testid="console-map"] canvas').waitFor({ state: 'visible', timeout: 60_000 });
    // a new Deck would be a new WebGL context: seconds of shader compiles on a software GPU, the console frozen meanwhile
    assert.equal(await page.evaluate('window.__iocConsoleDeck.deckInstance === window.__mapDeckBefore'), true, 'the same Deck draws the map again');
    await waitFor('the console map drawn again in its panel', 60_000, async () =>
      page.evaluate(`(() => { const c = document.querySelector('[data-testid="console-map"] canvas'); return c !== null && c.style.visibility !== 'hidden' && c.clientWidth > 100; })()`),
    );
  });

  it('makes no request beyond this machine', () => {
    assert.deepEqual(blocked, [], `non-local requests were attempted: ${blocked.slice(0, 5).join(', ')}`);
  });
});
