/**
 * indicators.list / indicators.history / indicators.changed through a real core over the
 * in-memory transport, with the indicator service on the core's own database and live state and
 * the built-in indicator files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PortClientTransport } from '../../native-bridge/channel.js';
import { type Alert, type IndicatorsChangedEvent, type WindowId } from '../../native-bridge/contract.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { startIndicators, type IndicatorService } from '../../electron/node/indicators/indicator-service.js';
import { defaultIndicatorsDir } from '../../electron/node/project-paths.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith } from '../support/harness.js';
import { accountFor, helloAsConsole, helloAsDisplay } from '../support/accounts.js';

describe('indicators through the core', () => {
  const dir = tempDir('ioc-wall-indicators-contract-');
  let core: Core;
  let indicators: IndicatorService;
  const transports: PortClientTransport[] = [];

  before(async () => {
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: dir, host: 'chromium' });
    // three water-level stations, all below warning
    core.live.apply(
      'gw-thuy-van',
      ['wl-1', 'wl-2', 'wl-3'].flatMap((id, i) => [
        { op: 'set' as const, item: { type: 'sensor' as const, id, kind: 'water-level' as const, name: id, commune: i === 0 ? 'Xã Trị An' : 'Phường Hố Nai', location: { lat: 11, lon: 107 }, unit: 'm', thresholds: { warning: 3, critical: 4 } } },
        { op: 'set' as const, item: { type: 'reading' as const, id, at: Date.now(), value: 1.5, extra: {} } },
      ]),
    );
    indicators = startIndicators({ dir: defaultIndicatorsDir, db: core.db, live: core.live, alerts: core.alerts, broadcastMs: 0, log: () => {} });
  });
  after(async () => {
    transports.forEach((t) => t.close());
    core.attachIndicators(null);
    indicators.close();
    await core.close();
  });

  async function open(window: WindowId, hello = true) {
    const { client, transport } = connectInMemory(core);
    transports.push(transport);
    const changed: IndicatorsChangedEvent[] = [];
    const alerts: Alert[][] = [];
    client.on('indicators.changed', (event) => changed.push(event));
    client.on('alerts.changed', (event) => alerts.push(event.alerts));
    if (hello && window === 'console') await helloAsConsole(client, await accountFor(dir, 'viewer'));
    else if (hello) await helloAsDisplay(client, dir, window);
    return { client, transport, changed, alerts };
  }

  it('answers only after hello, and only once the service is attached', async () => {
    const early = await open('r0c0', false);
    await rejectsWith(early.client.call('indicators.list', {}), 'forbidden');
    const display = await open('r0c0');
    await rejectsWith(display.client.call('indicators.list', {}), 'internal');
    core.attachIndicators(indicators);
  });

  it('lists every indicator with value, status, target, group, communes and history; filters by id and group', async () => {
    const { client } = await open('r1c0');
    const { indicators: all, groups } = await client.call('indicators.list', {});
    assert.ok(all.length >= 15, `${all.length} indicators: ${all.map((i) => i.id).join(', ')}`);
    const water = all.find((i) => i.id === 'water-level-stations-safe')!;
    assert.equal(water.value, 100);
    assert.equal(water.status, 'met');
    assert.equal(water.target, 100);
    assert.equal(water.unit, '%');
    assert.equal(water.sector, 'disaster-prevention');
    assert.equal(water.source, 'sensors');
    assert.equal(water.title.vi, 'Tỷ lệ trạm đo mực nước dưới mức báo động');
    assert.deepEqual(water.communes.map((c) => [c.area, c.value, c.status]), [['Phường Hố Nai', 100, 'met'], ['Xã Trị An', 100, 'met']]);
    assert.equal(water.history.length, 1);
    const disbursed = all.find((i) => i.id === 'public-investment-disbursement')!;
    assert.deepEqual([disbursed.value, disbursed.status, disbursed.period, disbursed.history.length], [57.6, 'not-met', '2025-09', 3]);
    assert.equal(all.find((i) => i.id === 'citizen-reports-on-time')!.status, 'no-data', 'no dataset imported here');
    assert.deepEqual(groups.find((g) => g.sector === 'environment'), { sector: 'environment', total: 3, met: 1, atRisk: 0, notMet: 0, noData: 2 });

    const some = await client.call('indicators.list', { ids: ['average-aqi', 'main-road-speed'], historyPoints: 0 });
    assert.deepEqual(some.indicators.map((i) => [i.id, i.history.length]), [['average-aqi', 0], ['main-road-speed', 0]]);
    assert.deepEqual(some.groups, groups, 'the groups stay whole');
    const transport = await client.call('indicators.list', { sectors: ['transport'] });
    assert.deepEqual(transport.indicators.map((i) => i.id).sort(), ['congested-sections', 'main-road-speed']);
  });

  it('serves a history range and names a bad field or an unknown indicator', async () => {
    const { client, transport } = await open('console');
    const { series } = await client.call('indicators.history', { ids: ['public-investment-disbursement'], from: 0 });
    assert.deepEqual(series[0]!.points.map(([, v]) => v), [41.3, 48.9, 57.6]);
    assert.equal(series[0]!.bucketMs, null);
    await rejectsWith(transport.invoke('indicators.history', { ids: [], from: 0 }), 'invalid', 'payload.ids');
    await rejectsWith(transport.invoke('indicators.list', { historyPoints: 5000 }), 'invalid', 'payload.historyPoints');
    await rejectsWith(client.call('indicators.history', { ids: ['khong-co'], from: 0 }), 'not-found', 'ids[0]');
  });

  it('broadcasts indicators.changed to every window, and one alert per miss that resolves when met', async () => {
    const display = await open('r0c1');
    const operator = await open('console');
    const at = Date.now();
    core.live.apply('gw-thuy-van', [
      { op: 'set', item: { type: 'reading', id: 'wl-2', at, value: 3.4, extra: {} } },
      { op: 'set', item: { type: 'reading', id: 'wl-3', at, value: 3.6, extra: {} } },
    ]);
    indicators.evaluate('live');
    await waitFor(() => display.changed.length > 0 && operator.changed.length > 0);
    for (const { changed } of [display, operator]) {
      const water = changed.at(-1)!.indicators.find((i) => i.id === 'water-level-stations-safe')!;
      assert.equal(Math.round(water.value!), 33);
      assert.equal(water.status, 'not-met');
      assert.deepEqual(water.point?.[1], water.value, 'a status change adds a history point');
      assert.equal(changed.at(-1)!.groups.find((g) => g.sector === 'disaster-prevention')!.notMet, 1);
    }
    const missed = () => core.alerts.list().filter((a) => a.source === 'indicators' && a.title.en.includes('Share of water-level stations'));
    assert.equal(missed().length, 1);
    indicators.evaluate('live');
    assert.equal(missed().length, 1, 'no second alert');

    core.live.apply('gw-thuy-van', [
      { op: 'set', item: { type: 'reading', id: 'wl-2', at: at + 1, value: 1, extra: {} } },
      { op: 'set', item: { type: 'reading', id: 'wl-3', at: at + 1, value: 1, extra: {} } },
    ]);
    indicators.evaluate('live');
    assert.notEqual(missed()[0]!.resolvedAt, null);
    await waitFor(() => operator.alerts.some((list) => list.some((a) => a.id === missed()[0]!.id && a.resolvedAt !== null)));
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
