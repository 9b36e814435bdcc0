/**
 * The indicator service on real parts: the wall's SQLite file (openDatabase, migrations), a real
 * LiveState fed with gateway changes, a real GIS dataset store filled by the CSV importer, and
 * the built-in indicator files. A hand-driven clock makes sampling and throttling exact.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { IndicatorsChangedEvent } from '../../native-bridge/indicators.js';
import { indicatorDefinition, indicatorFile, type Indicator } from '../../native-bridge/scenario-files.js';
import type { StateItem } from '../../native-bridge/gateway-protocol.js';
import { AlertService } from '../../electron/node/alert-service.js';
import { openDatabase, type Db } from '../../electron/node/database.js';
import { openDatasetStore } from '../../electron/node/gis/dataset-store.js';
import { importGisFile } from '../../electron/node/gis/import/import-gis-file.js';
import { IndicatorService, startIndicators } from '../../electron/node/indicators/indicator-service.js';
import { periodStart } from '../../electron/node/indicators/periods.js';
import { loadPresetDir, loadWallFile } from '../../electron/node/layout-files.js';
import { LiveState } from '../../electron/node/live/live-state.js';
import { defaultIndicatorsDir } from '../../electron/node/project-paths.js';
import { loadIndicatorDir } from '../../electron/node/scenarios/scenario-files.js';
import { demoPresetsDir, demoWallFile, projectRoot, tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const T0 = Date.UTC(2025, 8, 15, 1, 0, 0);
const MINUTE = 60_000;

const define = (fields: Record<string, unknown>): Indicator =>
  indicatorDefinition.parse({
    title: { vi: 'Chỉ số thử', en: 'Test indicator' },
    unit: '%',
    frequency: 'realtime',
    sector: 'test',
    adminLevel: 'province',
    ...fields,
  });

const waterSafe = define({
  id: 'water-safe',
  title: { vi: 'Tỷ lệ trạm đo mực nước dưới mức báo động', en: 'Water-level stations below warning' },
  target: 100,
  direction: 'higher-better',
  atRisk: { absolute: 20 },
  sector: 'disaster-prevention',
  source: { sensorKind: 'water-level', aggregate: 'percent-normal' },
});
const aqi = define({ id: 'aqi', unit: 'AQI', target: 50, direction: 'lower-better', atRisk: { absolute: 50 }, sector: 'environment', source: { sensorKind: 'air-quality', aggregate: 'mean' } });
const congested = define({ id: 'congested', unit: 'đoạn', target: 0, direction: 'lower-better', atRisk: { absolute: 1 }, sector: 'transport', source: { sensorKind: 'traffic', aggregate: 'count-in-alarm' } });
const fires = define({ id: 'fires', unit: 'vụ', target: 0, direction: 'lower-better', atRisk: { absolute: 1 }, sector: 'transport', source: { count: 'open-events', category: 'fire' } });

class World {
  now = T0;
  readonly clock = () => this.now;
  readonly live = new LiveState(60_000);
  db: Db;
  alerts: AlertService;
  private readonly file: string;

  constructor(dir = tempDir('ioc-wall-indicators-')) {
    this.file = join(dir, 'wall.sqlite');
    this.db = openDatabase(this.file, keyBeside(this.file));
    this.alerts = new AlertService(this.db, this.clock);
  }

  service(indicators: readonly Indicator[], extra: Partial<ConstructorParameters<typeof IndicatorService>[0]> = {}): IndicatorService {
    return new IndicatorService({ db: this.db, live: this.live, alerts: this.alerts, indicators, clock: this.clock, ...extra });
  }

  /** The host stopping and starting again on the same file. */
  restart(): void {
    this.db.close();
    this.db = openDatabase(this.file, keyBeside(this.file));
    this.alerts = new AlertService(this.db, this.clock);
  }

  sensor(id: string, kind: string, commune: string, thresholds: { warning?: number; critical?: number }): void {
    const item = { type: 'sensor', id, kind, name: id, commune, location: { lat: 10.9, lon: 106.9 }, unit: '', thresholds } as StateItem;
    this.live.apply('gw-test', [{ op: 'set', item }]);
  }

  read(id: string, value: number): void {
    this.live.apply('gw-test', [{ op: 'set', item: { type: 'reading', id, at: this.now, value, extra: {} } }]);
  }

  event(id: string, category: 'fire' | 'flood', cleared = false): void {
    const item: StateItem = { type: 'event', id, at: this.now, severity: 'warning', category, title: { vi: 'Sự cố', en: 'Incident' }, cleared };
    this.live.apply('gw-test', [{ op: 'set', item }]);
  }

  indicatorAlerts() {
    return this.alerts.list().filter((a) => a.source === 'indicators');
  }

  close(): void {
    this.live.close();
    this.db.close();
  }
}

/** Four water-level stations in two communes, all below warning. */
function stations(world: World): void {
  world.sensor('wl-1', 'water-level', 'Phường Trấn Biên', { warning: 3, critical: 4 });
  world.sensor('wl-2', 'water-level', 'Phường Trấn Biên', { warning: 3, critical: 4 });
  world.sensor('wl-3', 'water-level', 'Xã Trị An', { warning: 3, critical: 4 });
  world.sensor('wl-4', 'water-level', 'Xã Trị An', { warning: 3, critical: 4 });
  for (const id of ['wl-1', 'wl-2', 'wl-3', 'wl-4']) world.read(id, 1.2);
}

const view = (service: IndicatorService, id: string) => {
  const found = service.list({ ids: [id] }).indicators[0];
  assert.ok(found, `indicator ${id} is listed`);
  return found;
};

describe('indicator values from live sensors and counts', () => {
  it('computes the share of stations below warning, per commune, and rates it by direction', () => {
    const world = new World();
    stations(world);
    world.sensor('wl-silent', 'water-level', 'Xã Trị An', { warning: 3 }); // never reported: counts for nothing
    const service = world.service([waterSafe]);
    assert.equal(view(service, 'water-safe').value, 100);
    assert.equal(view(service, 'water-safe').status, 'met');

    world.read('wl-3', 3.2); // one of four at warning: 75 % is 25 points short, past the 20-point margin
    service.evaluate('live');
    let v = view(service, 'water-safe');
    assert.equal(v.value, 75);
    assert.equal(v.status, 'not-met');
    assert.deepEqual(v.communes, [
      { area: 'Phường Trấn Biên', value: 100, status: 'met' },
      { area: 'Xã Trị An', value: 50, status: 'not-met' },
    ]);

    world.sensor('wl-5', 'water-level', 'Xã Trị An', { warning: 3 });
    world.read('wl-5', 1); // 4 of 5 safe: 80 %, exactly at the margin
    service.evaluate('live');
    v = view(service, 'water-safe');
    assert.equal(v.value, 80);
    assert.equal(v.status, 'at-risk');
    assert.equal(v.dataAt, T0);
    world.close();
  });

  it('rates a lower-is-better mean and counts sensors in alarm on a descending scale', () => {
    const world = new World();
    world.sensor('aq-1', 'air-quality', 'Phường Tam Hiệp', { warning: 100, critical: 150 });
    world.sensor('aq-2', 'air-quality', 'Xã Long Thành', { warning: 100, critical: 150 });
    // speed: lower is worse, so critical lies below warning
    world.sensor('tr-1', 'traffic', 'Phường Tam Hiệp', { warning: 20, critical: 10 });
    world.sensor('tr-2', 'traffic', 'Phường Tam Hiệp', { warning: 20, critical: 10 });
    world.sensor('tr-3', 'traffic', 'Xã Long Thành', { warning: 20, critical: 10 });
    world.read('aq-1', 30);
    world.read('aq-2', 50);
    for (const id of ['tr-1', 'tr-2', 'tr-3']) world.read(id, 40);
    const service = world.service([aqi, congested]);
    assert.deepEqual([view(service, 'aqi').value, view(service, 'aqi').status], [40, 'met']);
    assert.deepEqual([view(service, 'congested').value, view(service, 'congested').status], [0, 'met']);

    world.read('aq-2', 130); // mean 80: 30 past the target, within the 50 margin
    world.read('tr-1', 15);
    service.evaluate('live');
    assert.deepEqual([view(service, 'aqi').value, view(service, 'aqi').status], [80, 'at-risk']);
    assert.deepEqual([view(service, 'congested').value, view(service, 'congested').status], [1, 'at-risk']);
    // a count has per-commune figures but no per-commune status: the province target is not a commune's
    assert.deepEqual(view(service, 'congested').communes, [
      { area: 'Phường Tam Hiệp', value: 1, status: null },
      { area: 'Xã Long Thành', value: 0, status: null },
    ]);

    world.read('aq-1', 120); // mean 125
    world.read('tr-3', 5);
    service.evaluate('live');
    assert.deepEqual([view(service, 'aqi').value, view(service, 'aqi').status], [125, 'not-met']);
    assert.deepEqual([view(service, 'congested').value, view(service, 'congested').status], [2, 'not-met']);
    world.close();
  });

  it('counts open events of a category; no sensors at all is no data, not a miss', () => {
    const world = new World();
    const service = world.service([fires, waterSafe]);
    assert.deepEqual([view(service, 'fires').value, view(service, 'fires').status], [0, 'met']);
    assert.deepEqual([view(service, 'water-safe').value, view(service, 'water-safe').status], [null, 'no-data']);
    world.event('f-1', 'fire');
    world.event('f-2', 'fire');
    world.event('fl-1', 'flood');
    world.event('f-0', 'fire', true);
    service.evaluate('live');
    assert.deepEqual([view(service, 'fires').value, view(service, 'fires').status], [2, 'not-met']);
    assert.equal(world.indicatorAlerts().length, 1, 'no data raised nothing; two fires did');
    world.close();
  });
});

describe('indicator alerts', () => {
  it('raises one alert per miss, keeps it through at-risk, resolves it when met, and raises anew on the next miss', () => {
    const world = new World();
    stations(world);
    const service = world.service([waterSafe]);
    assert.equal(world.indicatorAlerts().length, 0);

    world.read('wl-1', 3.5);
    world.read('wl-2', 3.5);
    world.now += 5000;
    service.evaluate('live');
    let alerts = world.indicatorAlerts();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.severity, 'warning');
    assert.equal(alerts[0]!.resolvedAt, null);
    assert.match(alerts[0]!.title.vi, /Tỷ lệ trạm đo mực nước dưới mức báo động: 50 % \(mục tiêu ≥ 100 %\); chưa đạt tại: Phường Trấn Biên/);
    const first = alerts[0]!.id;

    for (const value of [3.6, 3.8]) {
      world.read('wl-1', value);
      world.now += 5000;
      service.evaluate('live'); // still missing: no second alert
    }
    world.read('wl-1', 1); // 75 % → not met; then wl-2 back → 100 %
    world.sensor('wl-5', 'water-level', 'Xã Trị An', { warning: 3 });
    world.read('wl-5', 1); // 4 of 5 safe: at risk, still the same miss
    world.now += 5000;
    service.evaluate('live');
    assert.equal(view(service, 'water-safe').status, 'at-risk');
    alerts = world.indicatorAlerts();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.resolvedAt, null, 'at risk does not end the miss');

    world.read('wl-2', 1);
    world.now += 5000;
    service.evaluate('live');
    alerts = world.indicatorAlerts();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.resolvedAt, world.now, 'met again: resolved');

    world.read('wl-3', 3.9);
    world.read('wl-4', 3.9);
    world.now += 5000;
    service.evaluate('live');
    alerts = world.indicatorAlerts();
    assert.equal(alerts.length, 2, 'a new miss is a new alert');
    assert.notEqual(alerts[0]!.id, first);
    assert.equal(alerts[0]!.resolvedAt, null);
    world.close();
  });

  it('survives a restart: no second alert for a miss still open, and the open one is resolved on recovery', () => {
    const world = new World();
    stations(world);
    world.read('wl-1', 3.5);
    world.read('wl-2', 3.5);
    world.service([waterSafe]).close();
    assert.equal(world.indicatorAlerts().length, 1);

    world.restart();
    world.now += MINUTE;
    const again = world.service([waterSafe]);
    assert.equal(view(again, 'water-safe').status, 'not-met');
    assert.equal(world.indicatorAlerts().length, 1, 'the open miss was remembered');
    again.close();

    world.restart();
    world.read('wl-1', 1);
    world.read('wl-2', 1);
    world.now += MINUTE;
    world.service([waterSafe]).close();
    const [alert] = world.indicatorAlerts();
    assert.equal(world.indicatorAlerts().length, 1);
    assert.equal(alert!.resolvedAt, world.now);
    world.close();
  });

  it('resolves the miss of an indicator whose definition was removed', () => {
    const world = new World();
    world.event('f-1', 'fire');
    world.event('f-2', 'fire');
    const service = world.service([fires, aqi]);
    assert.equal(world.indicatorAlerts()[0]?.resolvedAt, null);
    service.setIndicators([aqi]);
    assert.notEqual(world.indicatorAlerts()[0]?.resolvedAt, null);
    world.close();
  });
});

describe('indicator history and changes', () => {
  it('samples live values once a minute and at every status change, kept across a restart', () => {
    const world = new World();
    stations(world);
    const service = world.service([waterSafe]);
    for (let i = 1; i <= 6; i++) {
      world.now += 20_000;
      service.evaluate('live'); // at +20 s, +40 s: too soon; +60 s: due; …
    }
    world.read('wl-1', 3.5); // 75 %: a status change is recorded at once
    world.now += 1000;
    service.evaluate('live');
    service.close();
    const expected = [
      [T0, 100],
      [T0 + 60_000, 100],
      [T0 + 120_000, 100],
      [T0 + 121_000, 75],
    ];
    assert.deepEqual(view(service, 'water-safe').history, expected);

    world.restart();
    const after = world.service([waterSafe]);
    assert.deepEqual(view(after, 'water-safe').history.slice(0, 4), expected, 'history persisted');
    assert.deepEqual(after.list({ ids: ['water-safe'], historyPoints: 2 }).indicators[0]!.history, expected.slice(2), 'the newest, oldest first');
    world.close();
  });

  it('downsamples a long range by bucket means', () => {
    const world = new World();
    stations(world);
    const service = world.service([waterSafe], { sampleMs: MINUTE });
    for (let i = 1; i <= 99; i++) {
      world.now += MINUTE;
      world.read('wl-1', i % 2 === 0 ? 1 : 3.5); // alternates 100 % / 75 %
      service.evaluate('live');
    }
    const full = service.history({ ids: ['water-safe'], from: T0, maxPoints: 1000 }).series[0]!;
    assert.equal(full.points.length, 100);
    assert.equal(full.bucketMs, null);
    const coarse = service.history({ ids: ['water-safe'], from: T0, to: T0 + 100 * MINUTE - 1, maxPoints: 10 }).series[0]!;
    assert.equal(coarse.bucketMs, 10 * MINUTE);
    assert.equal(coarse.points.length, 10);
    assert.deepEqual(coarse.points[0], [T0, (100 + 75 + 100 + 75 + 100 + 75 + 100 + 75 + 100 + 75) / 10]);
    assert.throws(() => service.history({ ids: ['no-such'], from: T0 }), /no indicator "no-such"/);
    world.close();
  });

  it('reports changes at most once per throttle, with the new history point, and nothing when nothing changed', () => {
    const world = new World();
    stations(world);
    world.sensor('aq-1', 'air-quality', 'Xã Long Thành', { warning: 100 });
    world.read('aq-1', 30);
    const service = world.service([waterSafe, aqi], { broadcastMs: 60_000 });
    const events: IndicatorsChangedEvent[] = [];
    service.onChanged((event) => events.push(event));
    world.now += 1000;
    service.evaluate('live');
    service.flushChanged();
    assert.equal(events.length, 0, 'same values: nothing to say');

    world.read('aq-1', 35);
    world.now += 1000;
    service.evaluate('live');
    world.read('aq-1', 36);
    world.now += 1000;
    service.evaluate('live');
    service.flushChanged();
    assert.equal(events.length, 1);
    const [event] = events;
    assert.deepEqual(event!.indicators.map((i) => [i.id, i.value]), [['aqi', 36]], 'coalesced to the latest');
    assert.deepEqual(event!.groups.map((g) => [g.sector, g.total, g.met]), [['disaster-prevention', 1, 1], ['environment', 1, 1]]);

    world.now += MINUTE;
    service.evaluate('live');
    service.flushChanged();
    assert.deepEqual(events[1]!.indicators.map((i) => [i.id, i.point]), [
      ['water-safe', [world.now, 100]],
      ['aqi', [world.now, 36]],
    ]);
    service.close();
    world.close();
  });
});

describe('indicators from imported data', () => {
  it('aggregates a dataset field per commune, and follows a re-import', async () => {
    const dir = tempDir('ioc-wall-indicators-gis-');
    const world = new World(dir);
    const store = openDatasetStore(join(dir, 'gis.sqlite'), keyBeside(join(dir, 'gis.sqlite')));
    const csv = join(dir, 'phan-anh.csv');
    writeFileSync(csv, 'lon,lat,commune,ty-le\n106.82,10.95,Phường Trấn Biên,98\n106.86,10.93,Phường Tam Hiệp,90\n106.87,10.94,Phường Tam Hiệp,86\n');
    const onTime = define({
      id: 'on-time',
      frequency: 'monthly',
      adminLevel: 'commune',
      target: 95,
      direction: 'higher-better',
      atRisk: { absolute: 5 },
      source: { dataset: 'phan-anh', field: 'ty-le', aggregate: 'mean' },
    });
    const service = world.service([onTime], { datasets: store });
    assert.deepEqual([view(service, 'on-time').value, view(service, 'on-time').status], [null, 'no-data']);

    world.now += MINUTE;
    const first = await importGisFile(csv, { store, dataset: 'phan-anh' });
    service.evaluate('dataset');
    let v = view(service, 'on-time');
    assert.equal(v.value, (98 + 90 + 86) / 3);
    assert.equal(v.status, 'at-risk');
    assert.equal(v.dataAt, first.importedAt);
    assert.deepEqual(v.communes, [
      { area: 'Phường Tam Hiệp', value: 88, status: 'not-met' },
      { area: 'Phường Trấn Biên', value: 98, status: 'met' },
    ]);
    assert.deepEqual(v.history, [[first.importedAt, (98 + 90 + 86) / 3]]);

    writeFileSync(csv, 'lon,lat,commune,ty-le\n106.82,10.95,Phường Trấn Biên,99\n106.86,10.93,Phường Tam Hiệp,97\n');
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later import time
    const second = await importGisFile(csv, { store, dataset: 'phan-anh' });
    service.evaluate('dataset');
    v = view(service, 'on-time');
    assert.equal(v.value, 98);
    assert.equal(v.status, 'met');
    assert.deepEqual(v.history.map(([at]) => at), [first.importedAt, second.importedAt]);
    store.close();
    world.close();
  });

  it('takes a table source at its latest period, with the table as its history', () => {
    const world = new World();
    const disbursed = define({
      id: 'disbursed',
      frequency: 'monthly',
      target: 95,
      direction: 'higher-better',
      atRisk: { absolute: 10 },
      source: {
        table: [
          { period: '2025-08', value: 48.9 },
          { period: '2025-09', value: 57.6 },
          { period: '2025-07', value: 41.3 },
          { period: '2025-09', area: 'Xã Trị An', value: 88 },
          { period: '2025-08', area: 'Xã Trị An', value: 20 },
        ],
      },
    });
    const service = world.service([disbursed]);
    const v = view(service, 'disbursed');
    assert.deepEqual([v.value, v.status, v.period], [57.6, 'not-met', '2025-09']);
    assert.equal(v.dataAt, Date.UTC(2025, 8, 1) - 7 * 3_600_000, 'the period starts at midnight in Vietnam');
    assert.deepEqual(v.communes, [{ area: 'Xã Trị An', value: 88, status: 'at-risk' }]);
    assert.deepEqual(v.history.map(([, value]) => value), [41.3, 48.9, 57.6]);
    world.close();
  });

  it('reads period starts in Vietnam time', () => {
    const h7 = 7 * 3_600_000;
    assert.equal(periodStart('2025'), Date.UTC(2025, 0, 1) - h7);
    assert.equal(periodStart('2025-Q3'), Date.UTC(2025, 6, 1) - h7);
    assert.equal(periodStart('2025-09-15'), Date.UTC(2025, 8, 15) - h7);
    assert.equal(periodStart('2025-W01'), Date.UTC(2024, 11, 30) - h7, 'ISO week 1 of 2025 starts on Monday 30/12/2024');
    assert.equal(periodStart('2026-W37'), Date.UTC(2026, 8, 7) - h7);
  });
});

describe('the built-in indicators', () => {
  it('load, list and group without errors', () => {
    const world = new World();
    stations(world);
    const service = startIndicators({ dir: join(projectRoot, 'layouts', 'indicators'), db: world.db, live: world.live, alerts: world.alerts, clock: world.clock, log: () => {} });
    const { indicators, groups } = service.list({});
    assert.ok(indicators.length >= 15);
    assert.equal(world.alerts.list().filter((a) => a.source === 'layouts').length, 0, 'no file was skipped');
    assert.equal(indicators.find((i) => i.id === 'water-level-stations-safe')?.status, 'met');
    assert.equal(indicators.find((i) => i.id === 'budget-revenue-vs-estimate')?.period, '2024');
    assert.equal(groups.reduce((n, g) => n + g.total, 0), indicators.length);
    assert.deepEqual(service.list({ sectors: ['transport'] }).indicators.map((i) => i.id).sort(), ['congested-sections', 'main-road-speed']);
    service.close();
    world.close();
  });

  it('every indicator a preset tile names exists', () => {
    const wall = loadWallFile(demoWallFile);
    const known = new Set(loadIndicatorDir(defaultIndicatorsDir).indicators.map((i) => i.id));
    const named = loadPresetDir(demoPresetsDir, wall).presets.flatMap((p) => p.tiles.flatMap((t) => (t.kind === 'indicator' || t.kind === 'chart' ? t.props.ids.map((id) => `${p.name}/${t.id}: ${id}`) : [])));
    assert.ok(named.length >= 10, 'the indicators preset names indicators');
    assert.deepEqual(named.filter((n) => !known.has(n.split(': ')[1]!)), []);
  });

  it('refuses a count source of a kind that does not exist, and defaults a dataset to a sum by commune', () => {
    const bad = indicatorFile.safeParse([{ ...waterSafe, source: { count: 'open-events', category: 'earthquake' } }]);
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues[0]!.path, [0, 'source', 'category']);
    const dataset = define({ id: 'd', frequency: 'weekly', target: 1, direction: 'lower-better', atRisk: { percent: 10 }, source: { dataset: 'x', field: 'y' } });
    assert.deepEqual(dataset.source, { dataset: 'x', field: 'y', aggregate: 'sum', communeField: 'commune' });
  });
});
