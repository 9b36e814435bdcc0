/**
 * End to end: "Xem lại tường" in the console of the real Chromium host. A commander recalls two
 * presets; the replay tab's timeline lists both recalls with the preset's title and the person's
 * full name (never an id); clicking the first one shows the wall as it was then in the read-only
 * miniature — the tiles the host held at that revision.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../support/fixtures.js';
import { accountFor, connectConsole } from '../support/accounts.js';
import { waitForExpression } from '../support/page-wait.js';
import { hostState, spawnedWall } from '../support/windows.js';

describe('wall replay in the console', () => {
  const dataDir = tempDir('ioc-wall-e2e-replay-');
  const spawned = spawnedWall(dataDir);

  it('lists the recalls with names and shows the wall of the one clicked', { timeout: 240_000 }, async () => {
    const { client, transport } = await connectConsole(spawned.host.runtime, spawned.host.dataDir, 'commander');
    const cameras = await client.call('wall.execute', { command: { type: 'apply-preset', name: 'cameras' } });
    const then = await hostState(spawned.host);
    await sleep(1_100); // the two recalls a second apart: a mark opens the wall at its moment, which must be the first's alone
    await client.call('wall.execute', { command: { type: 'apply-preset', name: 'briefing' } });
    transport.close();
    const commander = await accountFor(spawned.host.dataDir, 'commander');

    const page = spawned.windows.console;
    await page.getByTestId('replay-tab').click();
    const recall = page.locator('[data-testid="replay-marks"] li[data-kind="command"][data-what="apply-preset"]', { hasText: 'Giám sát camera' });
    await recall.waitFor({ timeout: 20_000 });
    const text = (await recall.innerText()).normalize('NFC');
    assert.ok(text.includes('Chuyển bố cục'), `the mark says what happened: ${text}`);
    assert.ok(text.includes(commander.fullName), `the mark names the person: ${text}`);
    assert.ok(!text.includes(commander.id), `no account id shown: ${text}`);

    await recall.locator('button').click();
    await waitForExpression(page, `document.querySelector('[data-testid="replay-panel"]')?.dataset.revision === '${cameras.revision}'`, 20_000);
    const shown = await page.locator('[data-testid="replay-miniature"] [data-mini-tile-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mini-tile-id')));
    assert.equal(then.revision, cameras.revision);
    assert.deepEqual(shown, then.state.tiles.map((t) => t.id), 'the miniature shows the wall of that revision');
    // the live wall has moved on: replay does not touch it
    assert.equal((await hostState(spawned.host)).state.activePreset, 'briefing');
  });
});
