/**
 * End to end on the demo 2×2 wall with the real Chromium host: four headless kiosk windows plus
 * the console, each its own Chromium process. An operator drags a tile across display
 * boundaries; every wall window must show its slice in the right place; a reloaded window
 * resyncs; a SIGKILLed host comes back with the identical wall.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { DISPLAY_CREDENTIAL_KEY, type TileRect, type WallState } from '../../native-bridge/contract.js';
import { displaySlots, tileInDisplay, tileVirtualRect } from '../../native-bridge/wall-geometry.js';
import { loadWallFile } from '../../electron/node/layout-files.js';
import { demoWallFile, tempDir } from '../support/fixtures.js';
import { accountFor, connectConsole } from '../support/accounts.js';
import { hostState, openDockTab, signInPage, spawnedWall, type Windows } from '../support/windows.js';
import { commandLine, environment, listeningTcpPorts, processTree } from '../support/processes.js';
import { waitFor } from '../support/page-wait.js';
import { bezelTextFindings } from '../support/bezel-text.js';

const wall = loadWallFile(demoWallFile);
const TIMEOUT = { timeout: 240_000 };

async function waitPainted(page: Page, revision: number): Promise<void> {
  await page.waitForFunction(
    (r) => Number(document.getElementById('wall')?.dataset.paintedRevision ?? -1) >= r,
    revision,
    { timeout: 20_000 },
  );
}

/** Fraction of pixels that are not (near) black, and the number of distinct colours, in a clip. */
async function inkIn(page: Page, clip: { x: number; y: number; width: number; height: number }) {
  const png = PNG.sync.read(await page.screenshot({ clip }));
  let lit = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r + g + b > 24) lit++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { litFraction: lit / (png.width * png.height), colours: colours.size };
}

/** Every display shows its slice of the tile exactly where the geometry says, and not blank. */
async function assertTileOnWall(windows: Windows, tileId: string, rect: TileRect): Promise<number> {
  let shownOn = 0;
  for (const slot of displaySlots(wall)) {
    const page = windows.displays.get(slot.windowId)!;
    const expected = tileInDisplay(wall, rect, slot.row, slot.column);
    const element = page.locator(`[data-tile-id="${tileId}"]`);
    if (!expected) {
      assert.equal(await element.count(), 0, `${tileId} must not be drawn on ${slot.windowId}`);
      continue;
    }
    shownOn++;
    const box = await element.boundingBox();
    assert.ok(box, `${tileId} is drawn on ${slot.windowId}`);
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      assert.ok(Math.abs(box[key] - expected[key]) <= 1, `${slot.windowId}: ${tileId}.${key} is ${box[key]}, expected ${expected[key]}`);
    }
    const x = Math.max(0, expected.x);
    const y = Math.max(0, expected.y);
    const clip = { x, y, width: Math.min(wall.display.width, expected.x + expected.width) - x, height: Math.min(wall.display.height, expected.y + expected.height) - y };
    const ink = await inkIn(page, clip);
    assert.ok(ink.litFraction > 0.9, `${slot.windowId}: the ${tileId} area is blank (${(ink.litFraction * 100).toFixed(1)}% lit)`);
  }
  return shownOn;
}

describe('the wall on the Chromium host', () => {
  const dataDir = tempDir('ioc-wall-e2e-');
  const spawned = spawnedWall(dataDir);

  it('opens the console and four wall windows showing the start preset', TIMEOUT, async () => {
    const { revision, state } = await hostState(spawned.host);
    assert.equal(state.activePreset, 'overview');
    assert.equal(spawned.windows.displays.size, 4);
    for (const page of spawned.windows.displays.values()) {
      await waitPainted(page, revision);
      assert.deepEqual(page.viewportSize() ?? (await page.evaluate(() => ({ width: innerWidth, height: innerHeight }))), { width: 1920, height: 1080 });
    }
    await spawned.windows.console.locator('[data-testid="wall-miniature"]').waitFor();
    for (const t of state.tiles) await assertTileOnWall(spawned.windows, t.id, t.rect);
  });

  it('puts no secret on any window\'s command line or environment, and opens no DevTools TCP port', TIMEOUT, async () => {
    const secrets: string[] = [];
    for (const page of spawned.windows.displays.values()) {
      const credential = await page.evaluate((key) => localStorage.getItem(key), DISPLAY_CREDENTIAL_KEY);
      assert.match(credential ?? '', /^d-[0-9a-f]{64}$/, 'each display holds its own credential');
      secrets.push(credential!);
    }
    assert.equal(new Set(secrets).size, secrets.length, 'one credential per window');
    const session = await spawned.windows.console.evaluate(() => sessionStorage.getItem('ioc-wall.session'));
    assert.ok(session, 'the console is signed in');
    secrets.push(session);
    const pids = processTree(join(dataDir, 'chromium-profiles'));
    assert.ok(pids.length >= 10, `the windows' relays and Chromium processes (${pids.length})`);
    for (const pid of pids) {
      const seen = `${commandLine(pid)}\n${environment(pid)}`;
      for (const secret of secrets) assert.ok(!seen.includes(secret), `process ${pid} shows a credential: ${commandLine(pid).slice(0, 200)}`);
      assert.ok(!/token=|remote-debugging-port/.test(commandLine(pid)), `process ${pid}: ${commandLine(pid).slice(0, 300)}`);
      assert.deepEqual(listeningTcpPorts(pid), [], `process ${pid} listens on TCP: ${commandLine(pid).slice(0, 200)}`);
    }
    for (const w of spawned.host.runtime.windows) assert.equal(statSync(w.devtools!).mode & 0o777, 0o600, `${w.windowId}: its DevTools socket is the host user's only`);
  });

  /** Drags the shift note's miniature box so the tile lands at `target` (grid cells). */
  async function dragShiftNote(tile: TileRect, target: TileRect): Promise<void> {
    const page = spawned.windows.console;
    const box = (await page.locator('[data-mini-tile-id="shift-note"]').boundingBox())!;
    const from = tileVirtualRect(wall, tile);
    const to = tileVirtualRect(wall, target);
    const scale = box.width / from.width;
    const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    const steps = 12;
    for (let i = 1; i <= steps; i++) {
      await page.mouse.move(start.x + ((to.x - from.x) * scale * i) / steps, start.y + ((to.y - from.y) * scale * i) / steps);
    }
    await page.mouse.up();
  }

  /** The host's wall once its revision passes `revision`. */
  function stateAfter(revision: number): Promise<{ revision: number; state: WallState }> {
    return waitFor(`a wall change after revision ${revision}`, 20_000, async () => {
      const now = await hostState(spawned.host);
      return now.revision > revision ? now : null;
    });
  }

  it('moves a tile dragged on the console across display boundaries, on every display', TIMEOUT, async () => {
    // the start preset fills the wall, and tiles may not overlap: make room in the middle first
    const operator = await connectConsole(spawned.host.runtime, dataDir, 'operator');
    for (const id of ['alerts', 'water']) await operator.client.call('wall.execute', { command: { type: 'remove-tile', id } });
    operator.transport.close();
    const before = await hostState(spawned.host);
    const tile = before.state.tiles.find((t) => t.id === 'shift-note')!;
    const target: TileRect = { ...tile.rect, x: 6, y: 8 }; // spans all four displays
    await spawned.windows.console.locator('[data-mini-tile-id="shift-note"]').waitFor();
    await dragShiftNote(tile.rect, target);

    const after = await stateAfter(before.revision);
    assert.equal(after.revision, before.revision + 1, 'one drag is one command');
    assert.deepEqual(after.state.tiles.find((t) => t.id === 'shift-note')!.rect, target);
    for (const page of spawned.windows.displays.values()) await waitPainted(page, after.revision);
    assert.equal(await assertTileOnWall(spawned.windows, 'shift-note', target), 4);
  });

  it('refuses a drop onto another tile, and undoes and redoes a move and a delete from the keyboard', TIMEOUT, async () => {
    const page = spawned.windows.console;
    const before = await hostState(spawned.host);
    const tile = before.state.tiles.find((t) => t.id === 'shift-note')!;
    // onto the status bar (0,0 24×3): refused in the console, nothing sent
    await dragShiftNote(tile.rect, { ...tile.rect, x: 6, y: 1 });
    await page.locator('.toast', { hasText: 'Không đặt được' }).waitFor({ timeout: 10_000 });
    assert.equal((await hostState(spawned.host)).revision, before.revision, 'the wall is unchanged');

    // Ctrl+Z takes the commander's drag back (the removals before it were another person's)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    const undone = await stateAfter(before.revision);
    assert.deepEqual(undone.state.tiles.find((t) => t.id === 'shift-note')!.rect, { ...tile.rect, x: 0, y: 3 });
    for (const display of spawned.windows.displays.values()) await waitPainted(display, undone.revision);
    await assertTileOnWall(spawned.windows, 'shift-note', { ...tile.rect, x: 0, y: 3 });
    await page.keyboard.press('Control+Shift+z');
    const redone = await stateAfter(undone.revision);
    assert.deepEqual(redone.state.tiles.find((t) => t.id === 'shift-note')!.rect, tile.rect);

    // Delete removes the selected tile at once, and Ctrl+Z brings it back on every display
    await page.locator('[data-mini-tile-id="shift-note"]').click();
    await page.keyboard.press('Delete');
    const removed = await stateAfter(redone.revision);
    assert.equal(removed.state.tiles.some((t) => t.id === 'shift-note'), false);
    await page.locator('.toast', { hasText: 'Ctrl+Z' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+z');
    const restored = await stateAfter(removed.revision);
    assert.deepEqual(restored.state.tiles, redone.state.tiles);
    for (const display of spawned.windows.displays.values()) await waitPainted(display, restored.revision);
    assert.equal(await assertTileOnWall(spawned.windows, 'shift-note', tile.rect), 4);
  });

  it('stages edits on the console, shows them only there, and puts them on the wall as one revision; warns before replacing a newer change', TIMEOUT, async () => {
    const page = spawned.windows.console;
    const before = await hostState(spawned.host);
    const tile = before.state.tiles.find((t) => t.id === 'shift-note')!;
    const miniRect = () => page.locator('[data-testid="wall-miniature"] [data-mini-tile-id="shift-note"]').getAttribute('data-rect');
    const rectText = (r: TileRect) => `${r.x},${r.y},${r.w},${r.h}`;
    await page.getByTestId('staging-toggle').check();
    const target: TileRect = { ...tile.rect, x: 0, y: 3 };
    await dragShiftNote(tile.rect, target);
    await page.getByTestId('staged-banner').waitFor();
    await waitFor('the draft move in the miniature', 10_000, async () => (await miniRect()) === rectText(target));
    assert.equal(await page.getByTestId('staged-editing').getAttribute('data-edits'), '1');
    assert.equal((await hostState(spawned.host)).revision, before.revision, 'a staged move does not reach the wall');
    await assertTileOnWall(spawned.windows, 'shift-note', tile.rect);

    // Ctrl+Z and Ctrl+Shift+Z go back and forth in the draft, not on the host
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await waitFor('the draft move undone', 10_000, async () => (await miniRect()) === rectText(tile.rect));
    await page.keyboard.press('Control+Shift+z');
    await waitFor('the draft move redone', 10_000, async () => (await miniRect()) === rectText(target));
    assert.equal((await hostState(spawned.host)).revision, before.revision, 'undo in a draft is not a wall undo');

    await page.getByTestId('staged-apply').click();
    const applied = await stateAfter(before.revision);
    assert.equal(applied.revision, before.revision + 1, 'the draft is one revision');
    assert.deepEqual(applied.state.tiles.find((t) => t.id === 'shift-note')!.rect, target);
    await page.getByTestId('staged-banner').waitFor({ state: 'detached' });
    for (const display of spawned.windows.displays.values()) await waitPainted(display, applied.revision);
    await assertTileOnWall(spawned.windows, 'shift-note', target);

    // a draft the wall has moved on from says so, and replaces the newer change only when asked
    await dragShiftNote(target, tile.rect);
    await waitFor('the second draft move in the miniature', 10_000, async () => (await miniRect()) === rectText(tile.rect));
    const other = await connectConsole(spawned.host.runtime, dataDir, 'operator');
    await other.client.call('wall.execute', { command: { type: 'set-tile-props', id: 'shift-note', props: { markdown: 'Ghi chú của người khác' } } });
    other.transport.close();
    await page.getByTestId('staged-outdated').waitFor({ timeout: 10_000 });
    const newer = await hostState(spawned.host);
    await page.getByTestId('staged-apply').click();
    const replaced = await stateAfter(newer.revision);
    assert.equal(replaced.revision, newer.revision + 1);
    const note = replaced.state.tiles.find((t) => t.id === 'shift-note')!;
    assert.deepEqual([note.rect, note.props], [tile.rect, tile.props], 'the draft, as staged, replaced the newer change');
    await page.getByTestId('staging-toggle').uncheck();
    for (const display of spawned.windows.displays.values()) await waitPainted(display, replaced.revision);
    await assertTileOnWall(spawned.windows, 'shift-note', tile.rect);
  });

  it('saves the wall under a Vietnamese name with a generated id, and asks before overwriting', TIMEOUT, async () => {
    const page = spawned.windows.console;
    await openDockTab(page, 'presets');
    const form = page.getByTestId('save-preset-form');
    await form.locator('input[name=preset-title-vi]').fill('Ca Đêm');
    assert.equal(await form.getByTestId('preset-id').getAttribute('data-preset-id'), 'ca-dem');
    await form.getByTestId('save-preset').click();
    await page.locator('[data-preset-item="ca-dem"]').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('[data-preset-item="ca-dem"]').innerText(), /Ca Đêm/);
    const saved = await hostState(spawned.host);

    // the same name again: nothing is written until the person confirms
    await form.locator('input[name=preset-title-vi]').fill('ca đêm');
    await form.getByTestId('save-preset').click();
    await form.getByTestId('preset-overwrite').waitFor();
    assert.equal((await hostState(spawned.host)).revision, saved.revision, 'no overwrite without a yes');
    await form.getByTestId('preset-overwrite-confirm').click();
    assert.equal((await stateAfter(saved.revision)).revision, saved.revision + 1);
  });

  it('fits the console to its 1600×900 monitor: no page scroll, a large miniature, every dock tab and the alerts in view; Alt+N recalls a preset', TIMEOUT, async () => {
    const page = spawned.windows.console;
    const noPageScroll = async (what: string) => {
      const m = (await page.evaluate(`({ w: innerWidth, h: innerHeight, sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight })`)) as Record<string, number>;
      assert.deepEqual([m.w, m.h], [1600, 900], 'the demo console is a 1600×900 window');
      assert.ok(m.sw! <= m.w! && m.sh! <= m.h!, `${what}: the page does not scroll (${JSON.stringify(m)})`);
    };
    const inView = async (what: string, locator: ReturnType<Page['locator']>) => {
      const box = await locator.boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1600 && box.y + box.height <= 900, `${what} is in view without scrolling: ${JSON.stringify(box)}`);
    };
    const miniatureWidth = async () => (await page.locator('[data-testid="wall-miniature"] .miniature-plane').boundingBox())!.width;
    /** Mini tiles whose kind label runs out of the tile (unreadable, as the status tile's once did). */
    const clippedLabels = () =>
      page.evaluate(`[...document.querySelectorAll('[data-testid="wall-miniature"] [data-mini-tile-id]')].filter((tile) => {
        const label = tile.querySelector('.mini-tile-kind');
        if (!label) return true;
        const a = tile.getBoundingClientRect(), b = label.getBoundingClientRect();
        return b.bottom > a.bottom + 0.5 || b.right > a.right + 0.5 || label.scrollWidth > label.clientWidth + 1;
      }).map((tile) => tile.dataset.miniTileId)`) as Promise<string[]>;

    await noPageScroll('the start');
    assert.ok((await miniatureWidth()) >= 640, `the miniature is large: ${await miniatureWidth()} px wide`);
    assert.deepEqual(await clippedLabels(), [], 'every mini tile shows its kind');
    await inView('the alerts', page.getByTestId('alerts-panel').locator('.panel-title'));
    await openDockTab(page, 'scenarios');
    await inView('a scenario to activate', page.locator('[data-activate]').first());
    await openDockTab(page, 'presets');
    await inView('a preset to recall', page.locator('[data-preset]').first());
    for (const tab of ['cameras', 'data', 'system'] as const) {
      await openDockTab(page, tab);
      await noPageScroll(`the ${tab} tab`);
      await inView(`the alerts beside the ${tab} tab`, page.getByTestId('alerts-panel').locator('.panel-title'));
    }

    // Alt+2 recalls the second preset of the list (the host's order, as the console lists them) from any tab, and says which
    const { presets } = await (async () => {
      const { client, transport } = await connectConsole(spawned.host.runtime, dataDir, 'viewer');
      try {
        return await client.call('presets.list', {});
      } finally {
        transport.close();
      }
    })();
    const second = presets[1]!.name;
    await page.getByTestId('wall-miniature').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Alt+2');
    await waitFor(`the preset ${second} on the wall`, 20_000, async () => (await hostState(spawned.host)).state.activePreset === second);
    const title = presets.find((p) => p.name === second)!.title.vi;
    await waitFor('the toast naming the recalled preset', 10_000, async () => (await page.getByTestId('toast').allInnerTexts()).some((t) => t.includes(`Đã gọi bố cục «${title}» (Alt+2)`)));

    // with the map preset the console map shares the column, and still nothing scrolls
    await openDockTab(page, 'presets');
    assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('[data-preset-item]')].map((e) => e.dataset.presetItem)`), presets.map((p) => p.name), 'the console lists the presets in the host order');
    await page.locator('[data-preset="map"]').click();
    await page.getByTestId('console-map').waitFor({ timeout: 30_000 });
    await noPageScroll('with the console map');
    await inView('the console map', page.getByTestId('console-map'));
    assert.ok((await miniatureWidth()) >= 480, `the miniature stays large beside the map: ${await miniatureWidth()} px wide`);
    await page.locator('[data-preset="overview"]').click();
    await waitFor('the start preset back', 20_000, async () => (await hostState(spawned.host)).state.activePreset === 'overview');
  });

  it('keeps every line of text off the bezels, in every preset', TIMEOUT, async () => {
    const { client, transport } = await connectConsole(spawned.host.runtime, dataDir, 'operator');
    try {
      const { presets } = await client.call('presets.list', {});
      for (const preset of presets) {
        await client.call('wall.execute', { command: { type: 'apply-preset', name: preset.name } });
        const { revision } = await hostState(spawned.host);
        for (const page of spawned.windows.displays.values()) await waitPainted(page, revision);
        assert.deepEqual(await bezelTextFindings(wall, spawned.windows.displays), [], `${preset.name}: no text line crosses or lies in a bezel band`);
      }
      await client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } });
    } finally {
      transport.close();
    }
  });

  it('resyncs a reloaded wall window', TIMEOUT, async () => {
    const { revision, state } = await hostState(spawned.host);
    const page = spawned.windows.displays.get('r1c1')!;
    await page.reload();
    await waitPainted(page, revision);
    const tile = state.tiles.find((t) => t.id === 'shift-note')!;
    await assertTileOnWall(spawned.windows, 'shift-note', tile.rect);
  });

  it('shows the enrolment screen on a revoked display, and takes it back with a code a technician made', TIMEOUT, async () => {
    const page = spawned.windows.displays.get('r1c1')!;
    const technician = await connectConsole(spawned.host.runtime, dataDir, 'technician');
    try {
      await technician.client.call('displays.revoke', { window: 'r1c1' });
      const form = page.getByTestId('enrolment');
      await form.waitFor({ timeout: 60_000 });
      assert.equal(await page.evaluate((key) => localStorage.getItem(key), DISPLAY_CREDENTIAL_KEY), null, 'the revoked credential is forgotten');
      const { code } = await technician.client.call('displays.enrolmentCode', { window: 'r1c1', name: 'Màn hình góc phải dưới' });
      await form.locator('input[name=code]').fill(code);
      await form.locator('button[type=submit]').click();
      const { revision } = await hostState(spawned.host);
      await waitPainted(page, revision);
      const { displays } = await technician.client.call('displays.list', {});
      const enrolled = displays.find((d) => d.windowId === 'r1c1');
      assert.equal(enrolled?.name, 'Màn hình góc phải dưới');
      assert.ok(enrolled?.connected, 'connected again');
    } finally {
      technician.transport.close();
    }
  });

  it('shows a viewer the wall and its name, and no control that would change it', TIMEOUT, async () => {
    const page = spawned.windows.console;
    const viewer = await accountFor(dataDir, 'viewer');
    await page.getByTestId('sign-out').click();
    await signInPage(page, viewer);
    assert.match(await page.getByTestId('sign-out').innerText(), new RegExp(viewer.fullName), 'the console names the person signed in');
    await page.getByTestId('wall-read-only').waitFor();
    await page.locator('[data-mini-tile-id="shift-note"]').waitFor();
    for (const tab of ['scenarios', 'presets', 'cameras', 'data', 'system'] as const) {
      await openDockTab(page, tab);
      for (const control of ['[data-preset]', '[data-testid="save-preset-form"]', '[data-resize-handle]', '[data-testid="gis-import-form"]', '[data-ack]', '[data-activate]']) {
        assert.equal(await page.locator(control).count(), 0, `a viewer is not offered ${control} (${tab} tab)`);
      }
    }
    // a drag on the miniature does nothing for a viewer
    const before = await hostState(spawned.host);
    const box = (await page.locator('[data-mini-tile-id="shift-note"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 8 });
    await page.mouse.up();
    // a sleep, not a wait: a read-only console sending nothing is nothing happening
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await hostState(spawned.host)).revision, before.revision, 'the wall did not change');
    // the commander signs back in: the recall buttons are there again
    await page.getByTestId('sign-out').click();
    await signInPage(page, await accountFor(dataDir, 'commander'));
    await openDockTab(page, 'presets');
    assert.ok((await page.locator('[data-preset]').count()) > 0, 'a commander is offered the presets');
  });

  it('brings the wall back identical after the host is SIGKILLed and restarted', TIMEOUT, async () => {
    const before = await hostState(spawned.host);
    await spawned.restart('SIGKILL');
    const after = await hostState(spawned.host);
    assert.equal(after.revision, before.revision);
    assert.deepEqual(after.state, before.state);
    for (const page of spawned.windows.displays.values()) await waitPainted(page, after.revision);
    for (const t of after.state.tiles) await assertTileOnWall(spawned.windows, t.id, t.rect);
    const { client, transport } = await connectConsole(spawned.host.runtime, spawned.host.dataDir);
    const { alerts } = await client.call('alerts.list', {});
    transport.close();
    assert.ok(alerts.some((a) => a.source === 'host' && a.title.vi.includes('dừng bất thường')), 'operators are told the host died');
  });
});
