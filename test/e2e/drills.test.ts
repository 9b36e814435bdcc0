/**
 * Drills from the console on the real Chromium host with the embedded simulated province (its
 * incidents at a tenth of real time): the commander starts the flood drill from the console's
 * Diễn tập panel after a confirmation; every wall window and the console show the DIỄN TẬP band
 * naming the incident and the person; the flood's own alert arrives marked DIỄN TẬP; a second
 * drill is refused while one runs; when the incident clears the band goes by itself; the start
 * (by the person) and the end are in the audit chain. Meanwhile no Vietnamese screen shows a raw
 * id from the host's registries or an English word (test/support/vi-screen.ts).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { connectConsole } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { waitFor } from '../support/page-wait.js';
import { openDockTab, spawnedWall } from '../support/windows.js';
import { registryIds, viScreenFindings } from '../support/vi-screen.js';

const WAIT = { timeout: 240_000 };

describe('drills from the console', () => {
  const dataDir = tempDir('ioc-wall-drills-');
  const gatewaysFile = join(dataDir, 'gateways-drill.yaml');
  writeFileSync(gatewaysFile, "bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\nsimulate: true\nincidentTimeScale: 0.1\n");
  const wall = spawnedWall(dataDir, { gatewaysFile });

  const bandIn = (page: Page) => page.getByTestId('drill-mark');
  const alertTitles = async (page: Page) => page.locator('[data-testid=alerts-panel] .alert-title').allInnerTexts();

  it('starts a flood drill from the console; the wall and the console say DIỄN TẬP, its alerts are marked, it ends by itself and is audited', WAIT, async () => {
    const consolePage = wall.windows.console;
    await openDockTab(consolePage, 'scenarios');
    const panel = consolePage.getByTestId('drill-panel');
    await panel.waitFor({ timeout: 60_000 });
    assert.equal(await bandIn(consolePage).count(), 0, 'no drill yet');
    await panel.locator('select[name=drill-incident]').selectOption('flood');
    await panel.getByTestId('drill-start').dispatchEvent('click');
    const dialog = consolePage.getByTestId('confirm-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /Mưa lớn, ngập lụt tại Biên Hòa và Trảng Bom/);
    await dialog.getByTestId('confirm-ok').dispatchEvent('click');

    // the band on every window, naming the incident and the person, never an id
    for (const page of [consolePage, ...wall.windows.displays.values()]) {
      await bandIn(page).waitFor({ timeout: 30_000 });
      const text = await bandIn(page).innerText();
      assert.match(text, /DIỄN TẬP/);
      assert.match(text, /Mưa lớn, ngập lụt tại Biên Hòa và Trảng Bom/);
      assert.doesNotMatch(text, /flood|commander-/, `no raw id in "${text}"`);
    }
    await panel.getByTestId('drill-running').waitFor({ timeout: 10_000 });

    // a second drill while this one runs is refused, naming what runs
    const { client, transport } = await connectConsole(wall.host.runtime, dataDir, 'operator');
    await assert.rejects(client.call('drill.start', { incident: 'fire' }), (error: Error & { code?: string }) => error.code === 'conflict' && /already under way/.test(error.message));

    // the flood's own alert (raised by the simulated hydrology gateway) is marked
    await waitFor('the flood alert, marked DIỄN TẬP', 60_000, async () => (await alertTitles(consolePage)).some((t) => /^DIỄN TẬP · Nguy cơ ngập lụt/.test(t)));
    // every screen in Vietnamese while the flood plays: no raw id, no English word
    const pages = new Map([['console', consolePage], ...wall.windows.displays]);
    const findings = await viScreenFindings(pages, await registryIds(client, [...wall.windows.displays.keys()]));
    assert.deepEqual(findings, [], 'what the Vietnamese screens say in ids or English');
    const { alerts } = await client.call('alerts.list', {});
    const flood = alerts.filter((a) => /ngập lụt diện rộng/.test(a.title.vi));
    assert.ok(flood.length > 0 && flood.every((a) => a.title.vi.startsWith('DIỄN TẬP · ') && a.title.en.startsWith('DRILL · ')), JSON.stringify(flood.map((a) => a.title)));

    // the incident clears (about 18 s at a tenth of real time): the band goes by itself
    for (const page of [consolePage, ...wall.windows.displays.values()]) await waitFor('the band gone', 90_000, async () => (await bandIn(page).count()) === 0);
    const after = await client.call('alerts.list', {});
    const ended = after.alerts.find((a) => a.source === 'drill' && /^Kết thúc diễn tập/.test(a.title.vi));
    assert.ok(ended, 'the end of the drill is an alert too');
    assert.ok(!ended.title.vi.startsWith('DIỄN TẬP · '), 'what comes after the drill is not marked');
    transport.close();

    const admin = await connectConsole(wall.host.runtime, dataDir, 'administrator');
    const started = await admin.client.call('audit.list', { action: 'drill.start', limit: 10 });
    const finished = await admin.client.call('audit.list', { action: 'drill.end', limit: 10 });
    admin.transport.close();
    assert.equal(started.entries.length, 1);
    assert.equal(started.entries[0]!.actor.role, 'commander');
    assert.equal(started.entries[0]!.target, 'flood');
    assert.equal(finished.entries.length, 1);
  });
});
