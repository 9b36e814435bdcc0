/**
 * A display window's Chromium is SIGKILLed (a renderer crash, an OOM kill): the host reopens it
 * within seconds, often before the display is missed, and the operator must still be told which
 * display it was, by name.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectConsole } from '../support/accounts.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { commandLine, processTree } from '../support/processes.js';

describe('a display window that dies', () => {
  const dataDir = tempDir('ioc-wall-window-crash-');
  let host: HostProcess | undefined;
  after(() => host?.stop());

  it('is reopened, and the operator gets an alert naming the display', { timeout: 180_000 }, async () => {
    host = await spawnHost({ dataDir, windows: 'headless' });
    const profile = join(dataDir, 'chromium-profiles', 'r0c1');
    // the window's own Chromium (its browser process), not the relay the host spawned around it
    const browser = processTree(`--user-data-dir=${profile}`).find((pid) => commandLine(pid).includes(`--user-data-dir=${profile}`) && !commandLine(pid).includes('--type='));
    assert.ok(browser, 'the r0c1 window runs');
    process.kill(browser, 'SIGKILL');

    const operator = await connectConsole(host.runtime, dataDir, 'technician');
    try {
      const deadline = Date.now() + 30_000;
      let alert;
      while (!alert && Date.now() < deadline) {
        const { alerts } = await operator.client.call('alerts.list', {});
        alert = alerts.find((a) => a.source === 'display' && a.title.vi.includes('bị đóng bất thường'));
        if (!alert) await sleep(250);
      }
      assert.ok(alert, `an alert for the dead window\n${host.output().slice(-2000)}`);
      assert.equal(alert.severity, 'warning');
      assert.match(alert.title.vi, /^Màn hình hàng 1, cột 2 bị đóng bất thường \(.*\); tự mở lại sau \d+ giây$/);
      assert.ok(!alert.title.vi.includes('r0c1'), 'people read the display’s name, not its id');

      // and it is back: the display says hello again
      const back = Date.now() + 60_000;
      let connected = false;
      while (!connected && Date.now() < back) {
        const { displays } = await operator.client.call('displays.list', {});
        connected = displays.find((d) => d.windowId === 'r0c1')?.connected === true && processTree(`--user-data-dir=${profile}`).some((pid) => pid !== browser);
        if (!connected) await sleep(250);
      }
      assert.ok(connected, 'the window was reopened and connected');
    } finally {
      operator.transport.close();
    }
  });
});
