import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GatewayLink } from '../../native-bridge/contract.js';
import { AlertService } from '../../electron/node/alert-service.js';
import { openDatabase } from '../../electron/node/database.js';
import { durationText, LinkAlerts } from '../../electron/node/field/link-alerts.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const link = (state: GatewayLink['state'], lastHeard: number | null): GatewayLink => ({
  gateway: 'gw-thuy-van',
  name: 'Trạm thủy văn Biên Hòa',
  state,
  lastHeard,
  lastHeartbeat: lastHeard,
  epoch: 'e1',
  seq: 1,
  gaps: 0,
  snapshots: 1,
  rejected: 0,
});

function alertsOnDisk() {
  const file = join(tempDir(), 'wall.sqlite');
  return new AlertService(openDatabase(file, keyBeside(file)));
}

describe('gateway link alerts', () => {
  it('warns once a live gateway has been silent past the delay, and resolves it with how long it was gone', () => {
    const alerts = alertsOnDisk();
    const watch = new LinkAlerts(alerts, 30_000);
    const t0 = 1_800_000_000_000;
    watch.check([link('live', t0)], t0);
    watch.check([link('stale', t0)], t0 + 5_000);
    assert.equal(alerts.list().length, 0, 'the hub’s 3 s stale mark is not an alert yet');
    watch.check([link('stale', t0)], t0 + 31_000);
    watch.check([link('offline', t0)], t0 + 60_000);
    const [lost, ...rest] = alerts.list();
    assert.equal(rest.length, 0, 'one alert for one outage');
    assert.equal(lost!.severity, 'warning');
    assert.equal(lost!.title.vi, 'Mất kết nối cổng «Trạm thủy văn Biên Hòa»: không nhận được dữ liệu trong 31 giây');
    assert.equal(lost!.resolvedAt, null);

    watch.check([link('live', t0 + 95_000)], t0 + 95_000);
    const byId = new Map(alerts.list().map((a) => [a.id, a]));
    assert.notEqual(byId.get(lost!.id)!.resolvedAt, null, 'its return resolves the warning');
    const back = [...byId.values()].find((a) => a.id !== lost!.id)!;
    assert.equal(back.severity, 'info');
    assert.equal(back.title.vi, 'Cổng «Trạm thủy văn Biên Hòa» đã trực tuyến trở lại (mất kết nối 1 phút 35 giây)');
    watch.check([link('live', t0 + 96_000)], t0 + 96_000);
    assert.equal(alerts.list().length, 2);
  });

  it('raises nothing for a gateway never heard live, and a new outage is a new alert', () => {
    const alerts = alertsOnDisk();
    const watch = new LinkAlerts(alerts, 10_000);
    const t0 = 1_800_000_000_000;
    watch.check([link('offline', null)], t0 + 3_600_000);
    watch.check([link('syncing', t0)], t0 + 3_600_000);
    assert.equal(alerts.list().length, 0);
    watch.check([link('live', t0)], t0);
    watch.check([link('stale', t0)], t0 + 11_000);
    watch.check([link('live', t0 + 20_000)], t0 + 20_000);
    watch.check([link('stale', t0 + 20_000)], t0 + 40_000);
    assert.equal(alerts.list().filter((a) => a.severity === 'warning').length, 2);
  });

  it('words durations as people say them', () => {
    assert.deepEqual(durationText(400), { vi: '1 giây', en: '1 s' });
    assert.deepEqual(durationText(120_000), { vi: '2 phút', en: '2 min' });
    assert.deepEqual(durationText(3_725_000), { vi: '1 giờ 2 phút 5 giây', en: '1 h 2 min 5 s' });
    assert.deepEqual(durationText(7_200_000), { vi: '2 giờ', en: '2 h' });
  });
});
