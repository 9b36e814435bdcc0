/**
 * A wall started with every gateway down shows what its telemetry cache holds: the host draws the
 * cached readings before any window opens, each wall window paints them with their ages (flagged
 * old: the links are down), and says so in its paint report (`window.painted` with the live
 * picture's seq and how many sensors had a reading), the signal the cold-start bench times.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CdpSession } from '../../electron/node/chromium-host/cdp.js';
import { startChromiumHost } from '../../electron/node/chromium-host/host.js';
import type { PaintReport } from '../../electron/node/core.js';
import { defaultPresetsDir, defaultWallFile, rendererDist } from '../../electron/node/project-paths.js';
import { displaySlots } from '../../native-bridge/wall-geometry.js';
import { fillFromDemoTraffic, offlineDemoGatewaysFile } from '../support/demo-traffic.js';
import { tempDir } from '../support/fixtures.js';
import { until, waitFor } from '../support/page-wait.js';
import { testScenariosDir } from '../support/test-scenarios.js';

describe('a cold start with every gateway down', () => {
  it('paints the cached readings with their ages, and every wall window reports painting them', { timeout: 300_000 }, async () => {
    const dataDir = tempDir('ioc-wall-cached-live-');
    const dir = tempDir();
    const traffic = await fillFromDemoTraffic(dataDir, dir, { readings: 300, rate: 20, windows: 'none', timeoutMs: 120_000 });
    assert.ok(traffic.sensors > 0, 'the demo traffic left readings in the cache');

    const reports: PaintReport[] = [];
    let drawn = -1;
    const host = await startChromiumHost({
      wallFile: defaultWallFile,
      presetsDir: defaultPresetsDir,
      scenariosDir: testScenariosDir(),
      gatewaysFile: offlineDemoGatewaysFile(dataDir, dir),
      dataDir,
      rendererDir: rendererDist,
      windows: 'headless',
      log: () => {},
      onRuntime: ({ core }) => {
        drawn = core.live.snapshot().readings.id.length;
        core.onPainted((report) => reports.push(report));
      },
    });
    try {
      assert.equal(drawn, traffic.sensors, 'the host drew every cached reading before any window opened');
      assert.ok(host.core.live.linkList().every((l) => l.state === 'offline'), 'no gateway runs');
      const displays = displaySlots(host.core.wall).map((s) => s.windowId);
      const firstLive = (id: string) => reports.find((r) => r.windowId === id && r.live);
      await until(() => displays.every(firstLive), 'every wall window reporting its painted live picture', 120_000);
      for (const id of displays) {
        assert.equal(firstLive(id)!.live!.readings, drawn, `${id} painted the cached picture, all of it`);
        assert.ok(firstLive(id)!.revision >= host.core.controller.currentRevision, `${id} with the current revision`);
      }
      assert.ok(reports.some((r) => !r.live), 'a paint before the live snapshot says nothing about live data');

      // the start preset's water tile (r1c0) shows those readings, each with its age, flagged old
      const window = host.runtime().windows.find((w) => w.windowId === 'r1c0')!;
      const page = await waitFor('the r1c0 page', 30_000, () => CdpSession.openPage(window.devtools!, (url) => url.includes('window=r1c0')));
      try {
        const rows = await page.evaluate<{ shown: number; aged: number; stale: number }>(`(() => {
          const rows = [...document.querySelectorAll('[data-tile-id="water"] [data-sensor-id]')];
          return { shown: rows.length, aged: rows.filter((r) => r.querySelector('.sr-age-text')?.textContent).length, stale: rows.filter((r) => r.querySelector('[data-stale-badge]')).length };
        })()`);
        assert.ok(rows.shown > 0, 'the water tile lists the cached sensors');
        assert.equal(rows.aged, rows.shown, 'every row says how old its reading is');
        assert.equal(rows.stale, rows.shown, 'and flags it old: its gateway is down');
      } finally {
        page.close();
      }
    } finally {
      await host.close();
    }
  });
});
