/**
 * End to end: the console's per-kind prop editor on the real Chromium host (four headless wall
 * windows plus the console). An operator selects the shift note on the miniature, rewrites its
 * markdown in Vietnamese and presses "Áp dụng": the host state has the text and every wall window
 * showing the tile draws it. A font scale out of range is refused by the host, and the refusal
 * names the field — in the console's toast and for a Node client alike.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ContractError, type WallState } from '../../native-bridge/contract.js';
import { displaySlots, tileInDisplay } from '../../native-bridge/wall-geometry.js';
import { loadWallFile } from '../../electron/node/layout-files.js';
import type { HostProcess } from '../support/host-process.js';
import { demoWallFile, tempDir } from '../support/fixtures.js';
import { connectConsole } from '../support/accounts.js';
import { waitFor, waitForExpression } from '../support/page-wait.js';
import { hostState, spawnedWall } from '../support/windows.js';

const wall = loadWallFile(demoWallFile);
const TIMEOUT = { timeout: 240_000 };
const TILE = 'shift-note';
const TEXT = 'Cảnh báo lũ: sơ tán khu vực ven sông Đồng Nai';
/** Set to a folder to keep console screenshots for a human look. */
const SHOTS = process.env.IOC_E2E_SCREENSHOTS;

async function waitRevision(host: HostProcess, above: number): Promise<{ revision: number; state: WallState }> {
  return waitFor(`a revision above ${above}`, 10_000, async () => {
    const now = await hostState(host);
    return now.revision > above ? now : null;
  });
}

// Page functions go in as strings: tsx rewrites arrow functions with helpers the page lacks.
async function waitPainted(page: Page, revision: number): Promise<void> {
  await waitForExpression(page, `Number(document.getElementById('wall')?.dataset.paintedRevision ?? -1) >= ${revision}`, 20_000);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('the console tile editors on the Chromium host', () => {
  const dataDir = tempDir('ioc-wall-e2e-editors-');
  const spawned = spawnedWall(dataDir);

  it('rewrites the shift note in Vietnamese from the console and every display showing it draws the text', TIMEOUT, async () => {
    const before = await hostState(spawned.host);
    const tile = before.state.tiles.find((t) => t.id === TILE);
    assert.ok(tile && tile.kind === 'note', 'the start preset has the shift note');
    const page = spawned.windows.console;
    await waitForExpression(page, `Number(document.querySelector('[data-testid="console"]')?.dataset.revision ?? 0) >= ${before.revision}`, 20_000);

    await page.locator(`[data-mini-tile-id="${TILE}"]`).click();
    const editor = page.locator('[data-testid="tile-editor"][data-kind="note"]');
    await editor.waitFor();
    assert.equal(await editor.getAttribute('data-tile-id'), TILE);
    const textarea = editor.locator('[data-testid="note-markdown"]');
    assert.equal(await textarea.inputValue(), tile.props.markdown, 'the editor starts from the tile props');
    const apply = editor.locator('[data-testid="apply-props"]');
    assert.equal((await apply.textContent())?.trim(), 'Áp dụng');
    assert.ok(await apply.isDisabled(), 'nothing to apply before an edit');

    await textarea.fill(TEXT);
    // typing is not applying: the host has not moved (a sleep, not a wait: no command is nothing happening)
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await hostState(spawned.host)).revision, before.revision, 'no command per keystroke');
    await screenshot(page, 'console-editor-note-dirty');

    await apply.click();
    const after = await waitRevision(spawned.host, before.revision);
    assert.equal(after.revision, before.revision + 1, 'one apply is one command');
    const changed = after.state.tiles.find((t) => t.id === TILE);
    assert.ok(changed && changed.kind === 'note');
    assert.equal(changed.props.markdown, TEXT);
    assert.equal(changed.props.fontScale, tile.props.fontScale, 'untouched props keep their values');
    assert.deepEqual(changed.rect, tile.rect);

    let shownOn: string[] = [];
    for (const slot of displaySlots(wall)) {
      const display = spawned.windows.displays.get(slot.windowId)!;
      await waitPainted(display, after.revision);
      const element = display.locator(`[data-tile-id="${TILE}"]`);
      if (!tileInDisplay(wall, changed.rect, slot.row, slot.column)) {
        assert.equal(await element.count(), 0, `${TILE} is not drawn on ${slot.windowId}`);
        continue;
      }
      shownOn = [...shownOn, slot.windowId];
      const text = (await element.locator('.note').innerText()).normalize('NFC');
      assert.ok(text.includes(TEXT), `${slot.windowId} draws the new note text (got ${JSON.stringify(text)})`);
    }
    assert.ok(shownOn.includes('r0c0') && shownOn.includes('r0c1'), `the note spans r0c0 and r0c1 (shown on ${shownOn.join(', ')})`);

    // the console settles: the draft is spent, the textarea shows the host's text
    await waitForExpression(page, `document.querySelector('[data-testid="tile-editor"]')?.dataset.dirty === 'false'`, 10_000);
    assert.equal(await textarea.inputValue(), TEXT);
    await screenshot(page, 'console-editor-note-applied');
  });

  it('refuses a font scale out of range, naming the field in the console toast and to a Node client', TIMEOUT, async () => {
    const before = await hostState(spawned.host);
    const page = spawned.windows.console;
    const editor = page.locator('[data-testid="tile-editor"][data-kind="note"]');
    await editor.waitFor();
    const fontScale = editor.locator('input[data-prop="fontScale"]');
    await fontScale.fill('10');
    assert.equal(await fontScale.getAttribute('aria-invalid'), 'true', 'the field marks the value out of range');
    await editor.locator('[data-testid="apply-props"]').click();

    const toast = page.locator('[data-testid="toast"][data-kind="error"]', { hasText: 'fontScale' });
    await toast.waitFor({ timeout: 10_000 });
    const message = (await toast.innerText()).normalize('NFC');
    assert.ok(message.includes('command.props.fontScale'), `the toast names the field: ${message}`);
    assert.ok(message.includes('Cỡ chữ'), `the toast names the field in Vietnamese: ${message}`);
    await screenshot(page, 'console-editor-refused');

    const now = await hostState(spawned.host);
    assert.equal(now.revision, before.revision, 'a refused command changes nothing');
    assert.equal(await editor.getAttribute('data-dirty'), 'true', 'the edit stays for correction');

    const { client, transport } = await connectConsole(spawned.host.runtime, spawned.host.dataDir);
    try {
      await assert.rejects(
        () => client.call('wall.execute', { command: { type: 'set-tile-props', id: TILE, props: { fontScale: 10 } } }),
        (error: unknown) => error instanceof ContractError && error.code === 'invalid' && error.field === 'command.props.fontScale',
      );
    } finally {
      transport.close();
    }
    assert.equal((await hostState(spawned.host)).revision, before.revision);

    // discarding the edit brings back the tile's value
    await editor.locator('[data-testid="reset-props"]').click();
    const tile = now.state.tiles.find((t) => t.id === TILE);
    assert.ok(tile && tile.kind === 'note');
    assert.equal(Number(await fontScale.inputValue()), tile.props.fontScale);
    assert.equal(await editor.getAttribute('data-dirty'), 'false');
  });
});
