/**
 * TriggerEngine replaying recorded traces (test/fixtures/triggers/*.json) minute by minute: each
 * minute's records are fed, then tick() runs at that minute. Answers are the minutes (from the
 * trace start) at which each rule fires and clears, read off the trace descriptions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TriggerEngine, type TriggerEventItem, type TriggerSensor } from '../../electron/common/trigger-engine.js';
import { triggerRule, type TriggerRuleInput } from '../../native-bridge/trigger-rules.js';

const MINUTE = 60_000;

type TraceRecord =
  | { t: number; type: 'reading'; id: string; value: number }
  | { t: number; type: 'position'; id: string; kind: string; lon: number; lat: number }
  | { t: number; type: 'event'; item: Omit<TriggerEventItem, 'at'> };

interface Trace {
  start: string;
  sensors?: TriggerSensor[];
  zone?: [number, number][];
  records: TraceRecord[];
}

const loadTrace = (name: string): Trace => JSON.parse(readFileSync(new URL(`../fixtures/triggers/${name}`, import.meta.url), 'utf8')) as Trace;

/** What happened, in trace minutes: "rule@minute subjects". */
interface Outcome {
  fired: string[];
  cleared: string[];
}

function engineFor(rules: Record<string, TriggerRuleInput>, areas?: ConstructorParameters<typeof TriggerEngine>[1]): TriggerEngine {
  return new TriggerEngine(
    Object.entries(rules).map(([id, rule]) => ({ id, rule: triggerRule.parse(rule) })),
    areas,
  );
}

function replay(engine: TriggerEngine, trace: Trace, lastMinute: number): Outcome {
  const start = Date.parse(trace.start);
  const minuteOf = (at: number) => (at - start) / MINUTE;
  for (const sensor of trace.sensors ?? []) engine.sensorRegistered(sensor);
  const outcome: Outcome = { fired: [], cleared: [] };
  for (let minute = 0; minute <= lastMinute; minute++) {
    const at = start + minute * MINUTE;
    for (const record of trace.records.filter((r) => r.t === minute)) {
      if (record.type === 'reading') engine.reading(record.id, record.value, at);
      else if (record.type === 'position') engine.objectPosition(record.id, record.kind, record.lon, record.lat, at);
      else engine.event({ ...record.item, at });
    }
    const { fired, cleared } = engine.tick(at);
    for (const f of fired) {
      assert.ok(f.at <= at, `${f.id} reported at ${minuteOf(f.at)}, after the tick at ${minute}`);
      outcome.fired.push(`${f.id}@${minuteOf(f.at)} ${f.subjects.join(',')}`);
    }
    for (const c of cleared) outcome.cleared.push(`${c.id}@${minuteOf(c.at)} ${c.subjects.join(',')}`);
  }
  return outcome;
}

describe('trigger engine: threshold', () => {
  const trace = loadTrace('river-levels.json');

  it('fires when a river passes its warning level, once, and clears when it is back under', () => {
    const outcome = replay(
      engineFor({
        warning: { type: 'threshold', sensors: { kinds: ['water-level'] }, level: 'warning' },
        warning10min: { type: 'threshold', sensors: { kinds: ['water-level'] }, level: 'warning', forSeconds: 600 },
        above325: { type: 'threshold', sensors: { ids: ['wl-01'] }, level: { above: 3.25 } },
      }),
      trace,
      90,
    );
    assert.deepEqual(outcome.fired, ['warning@30 wl-01', 'warning10min@40 wl-01', 'above325@40 wl-01']);
    assert.deepEqual(outcome.cleared, ['above325@45 wl-01', 'warning@50 wl-01', 'warning10min@50 wl-01']);
  });

  it('does not fire just under the threshold, past an unreached critical level, or with too few sensors', () => {
    const outcome = replay(
      engineFor({
        justUnder: { type: 'threshold', sensors: { ids: ['wl-02'] }, level: 'warning' },
        critical: { type: 'threshold', sensors: {}, level: 'critical' },
        twoSensors: { type: 'threshold', sensors: { communes: ['xa-phu-my'] }, level: 'warning', minCount: 2 },
        tooShort: { type: 'threshold', sensors: {}, level: 'warning', forSeconds: 20 * 60 + 1 },
        otherCommune: { type: 'threshold', sensors: { communes: ['xa-tan-an'] }, level: 'warning' },
      }),
      trace,
      90,
    );
    assert.deepEqual(outcome, { fired: [], cleared: [] });
  });

  it('fires on a band of values (below) and reads falling scales from the thresholds', () => {
    const engine = engineFor({
      lowOxygen: { type: 'threshold', sensors: { kinds: ['water-quality'] }, level: 'warning' },
      below: { type: 'threshold', sensors: { kinds: ['water-quality'] }, level: { below: 2 } },
    });
    const start = Date.parse(trace.start);
    // Dissolved oxygen: warning at 4 mg/L, critical at 2 (lower is worse).
    engine.sensorRegistered({ id: 'do-01', kind: 'water-quality', commune: 'x', location: { lon: 106, lat: 10 }, thresholds: { warning: 4, critical: 2 } });
    const steps: [number, number][] = [
      [0, 6],
      [1, 4.5],
      [2, 3.9],
      [3, 1.8],
      [4, 5],
    ];
    const log: string[] = [];
    for (const [minute, value] of steps) {
      engine.reading('do-01', value, start + minute * MINUTE);
      const { fired, cleared } = engine.tick(start + minute * MINUTE);
      for (const line of [...fired.map((f) => `fire ${f.id}@${minute}`), ...cleared.map((c) => `clear ${c.id}@${minute}`)]) log.push(line);
    }
    assert.deepEqual(log, ['fire lowOxygen@2', 'fire below@3', 'clear lowOxygen@4', 'clear below@4']);
  });

  it('holds while one sensor is still over after the rule fired for two (hysteresis)', () => {
    const engine = engineFor({ two: { type: 'threshold', sensors: {}, level: { above: 10 }, minCount: 2 } });
    for (const id of ['a', 'b']) engine.sensorRegistered({ id, kind: 'rain', commune: 'x', location: { lon: 106, lat: 10 }, thresholds: {} });
    const feed = (minute: number, a: number, b: number) => {
      engine.reading('a', a, minute * MINUTE);
      engine.reading('b', b, minute * MINUTE);
      const { fired, cleared } = engine.tick(minute * MINUTE);
      return [...fired.map((f) => `fire@${f.at / MINUTE} ${f.subjects}`), ...cleared.map((c) => `clear@${c.at / MINUTE}`)];
    };
    assert.deepEqual(feed(1, 11, 5), []);
    assert.deepEqual(feed(2, 12, 11), ['fire@2 a,b']);
    assert.deepEqual(feed(3, 9, 11), []);
    assert.deepEqual(feed(4, 9, 12), []);
    assert.deepEqual(feed(5, 9, 9), ['clear@5']);
  });
});

describe('trigger engine: rate', () => {
  const trace = loadTrace('river-levels.json');

  it('fires on +0.5 m within 30 minutes at the reading that completes it, and clears once the rise is under half', () => {
    const outcome = replay(
      engineFor({
        rise30: { type: 'rate', sensors: { ids: ['wl-03'] }, change: 0.5, perMinutes: 30, direction: 'rise' },
      }),
      trace,
      90,
    );
    // 1.0 m at 20 → 1.5 m at 45. At 60 the window (30…60) still holds 1.2 m: +0.3 ≥ 0.25; at 61 its lowest is 1.3 m: +0.2.
    assert.deepEqual(outcome, { fired: ['rise30@45 wl-03'], cleared: ['rise30@61 wl-03'] });
  });

  it('does not fire for changes just short of the limit', () => {
    const outcome = replay(
      engineFor({
        // wl-03 rises 0.4 m at most in 20 min, wl-01 1.0 m in 30 min (2.2 → 3.2) and falls 0.8 m (3.3 → 2.5).
        wl03In20: { type: 'rate', sensors: { ids: ['wl-03'] }, change: 0.5, perMinutes: 20, direction: 'rise' },
        rise: { type: 'rate', sensors: {}, change: 1.05, perMinutes: 30, direction: 'rise' },
        fall: { type: 'rate', sensors: {}, change: 0.85, perMinutes: 30, direction: 'fall' },
      }),
      trace,
      90,
    );
    assert.deepEqual(outcome, { fired: [], cleared: [] });
  });

  it('keeps a bounded window for a sensor that reports every second', () => {
    const engine = engineFor({ rise: { type: 'rate', sensors: {}, change: 1, perMinutes: 10, direction: 'rise' } });
    engine.sensorRegistered({ id: 's', kind: 'water-level', commune: 'x', location: { lon: 106, lat: 10 }, thresholds: {} });
    // 0.5 m per 10 min for an hour, then a jump of 1 m in the last minute.
    for (let second = 0; second <= 3600; second++) engine.reading('s', (second / 600) * 0.5, second * 1000);
    assert.deepEqual(engine.tick(3600 * 1000).fired, []);
    engine.reading('s', 4, 3660 * 1000);
    assert.deepEqual(
      engine.tick(3660 * 1000).fired.map((f) => f.at),
      [3660 * 1000],
    );
  });
});

describe('trigger engine: geofence', () => {
  const trace = loadTrace('vessel-zone.json');
  const vessels = { kinds: ['vessel'] };

  it('fires on entering and on leaving at the positions that cross, per vessel', () => {
    const outcome = replay(
      engineFor({
        enter: { type: 'geofence', objects: vessels, area: { polygon: trace.zone! }, on: 'enter' },
        leave: { type: 'geofence', objects: vessels, area: { polygon: trace.zone! }, on: 'leave' },
      }),
      trace,
      20,
    );
    // tau-03 is first seen inside: that counts as in the area. tau-02 never enters, so never leaves.
    assert.deepEqual(outcome.fired, ['enter@0 tau-03', 'enter@5 tau-01', 'leave@15 tau-01']);
    assert.deepEqual(outcome.cleared, ['enter@15 tau-01']);
  });

  it('takes areas by id from the caller, and refuses an unknown one', () => {
    const areas = new Map([['vung-cam', [trace.zone!]]]);
    const outcome = replay(engineFor({ leave: { type: 'geofence', objects: { ids: ['tau-01', 'tau-02'] }, area: { areaId: 'vung-cam' }, on: 'leave' } }, areas), trace, 20);
    assert.deepEqual(outcome, { fired: ['leave@15 tau-01'], cleared: [] });
    assert.throws(() => engineFor({ leave: { type: 'geofence', objects: {}, area: { areaId: 'khong-co' }, on: 'leave' } }, areas), /unknown area "khong-co"/);
  });

  it('clears a leave when the vessel comes back, and ignores positions older than the latest', () => {
    const engine = engineFor({ leave: { type: 'geofence', objects: {}, area: { polygon: trace.zone! }, on: 'leave' } });
    engine.objectPosition('v', 'vessel', 106.05, 10.05, 1 * MINUTE);
    engine.objectPosition('v', 'vessel', 106.2, 10.05, 2 * MINUTE);
    engine.objectPosition('v', 'vessel', 106.05, 10.05, 1.5 * MINUTE);
    engine.objectPosition('v', 'vessel', 106.05, 10.05, 3 * MINUTE);
    const { fired, cleared } = engine.tick(3 * MINUTE);
    assert.deepEqual(
      fired.map((f) => [f.at, f.subjects]),
      [[2 * MINUTE, ['v']]],
    );
    assert.deepEqual(
      cleared.map((c) => [c.at, c.subjects]),
      [[3 * MINUTE, ['v']]],
    );
  });
});

describe('trigger engine: signal lost', () => {
  const trace = loadTrace('signal-lost.json');

  it('fires when a buoy or vessel goes silent for the set time, and clears when it is heard again', () => {
    const outcome = replay(
      engineFor({
        buoys: { type: 'signal-lost', target: { layer: 'sensor' }, afterSeconds: 300 },
        vessels: { type: 'signal-lost', target: { layer: 'object', kinds: ['vessel'] }, afterSeconds: 600 },
      }),
      trace,
      40,
    );
    // b-02 never read: timed from the first tick (minute 0).
    assert.deepEqual(outcome.fired, ['buoys@5 b-02', 'buoys@17 b-01', 'vessels@20 tau-09']);
    assert.deepEqual(outcome.cleared, ['buoys@30 b-01']);
  });

  it('does not fire for gaps shorter than the limit', () => {
    const outcome = replay(engineFor({ slow: { type: 'signal-lost', target: { ids: ['tau-10', 'b-01'] }, afterSeconds: 18 * 60 } }), trace, 40);
    assert.deepEqual(outcome, { fired: [], cleared: [] });
  });
});

describe('trigger engine: cluster', () => {
  const trace = loadTrace('vessel-cluster.json');

  it('fires when three vessels have stayed within 300 m for 20 minutes, and clears when one leaves', () => {
    const outcome = replay(engineFor({ iuu: { type: 'cluster', objects: { kinds: ['vessel'] }, count: 3, radiusM: 300, forMinutes: 20 } }), trace, 50);
    assert.deepEqual(outcome, { fired: ['iuu@30 tau-21,tau-22,tau-23'], cleared: ['iuu@41 tau-21,tau-22,tau-23'] });
  });

  it('does not fire for K-1 vessels, a tighter radius, or a longer dwell than they stayed', () => {
    const outcome = replay(
      engineFor({
        four: { type: 'cluster', objects: {}, count: 4, radiusM: 300, forMinutes: 20 },
        tight: { type: 'cluster', objects: {}, count: 3, radiusM: 100, forMinutes: 20 },
        long: { type: 'cluster', objects: {}, count: 3, radiusM: 300, forMinutes: 35 },
        patrols: { type: 'cluster', objects: { kinds: ['patrol'] }, count: 2, radiusM: 300, forMinutes: 0 },
      }),
      trace,
      50,
    );
    assert.deepEqual(outcome, { fired: [], cleared: [] });
  });

  it('forgets vessels that stop reporting', () => {
    const engine = engineFor({ pair: { type: 'cluster', objects: {}, count: 2, radiusM: 300, forMinutes: 0 } });
    engine.objectPosition('a', 'vessel', 107, 9.5, 0);
    engine.objectPosition('b', 'vessel', 107.001, 9.5, 0);
    assert.equal(engine.tick(0).fired.length, 1);
    engine.objectPosition('a', 'vessel', 107, 9.5, 11 * MINUTE);
    assert.deepEqual(
      engine.tick(11 * MINUTE).cleared.map((c) => c.at),
      [11 * MINUTE],
    );
  });
});

describe('trigger engine: events', () => {
  it('fires once per matching incident, at its time, and clears when the gateway clears it', () => {
    const fire = (id: string, severity: TriggerEventItem['severity'], cleared = false): Omit<TriggerEventItem, 'at'> => ({
      id,
      category: 'fire',
      severity,
      cleared,
      location: { lon: 106.7, lat: 10.8 },
    });
    const trace: Trace = {
      start: '2026-10-15T00:00:00+07:00',
      records: [
        { t: 3, type: 'event', item: fire('chay-01', 'critical') },
        { t: 4, type: 'event', item: fire('chay-02', 'info') },
        { t: 5, type: 'event', item: fire('chay-01', 'critical') },
        { t: 6, type: 'event', item: { id: 'ngap-01', category: 'flood', severity: 'critical', cleared: false } },
        { t: 9, type: 'event', item: fire('chay-01', 'critical', true) },
      ],
    };
    const outcome = replay(engineFor({ fire: { type: 'event', categories: ['fire'] } }), trace, 12);
    assert.deepEqual(outcome, { fired: ['fire@3 chay-01'], cleared: ['fire@9 chay-01'] });
  });
});

describe('trigger engine: schedule', () => {
  // 2026-10-16 is a Friday; 07:00 in Hà Nội is 00:00 UTC.
  const local = (time: string) => Date.parse(`${time}+07:00`);

  function firings(rule: TriggerRuleInput, ticks: number[]): string[] {
    const engine = engineFor({ rule });
    return ticks.flatMap((now) => engine.tick(now).fired.map((f) => new Date(f.at).toISOString()));
  }

  it('fires at 07:00 local time on weekdays only, once per crossing', () => {
    const ticks = ['2026-10-16T06:58:10', '2026-10-16T06:59:40', '2026-10-16T07:00:30', '2026-10-16T07:01:30', '2026-10-17T06:59:50', '2026-10-17T07:00:10'].map(local);
    assert.deepEqual(firings({ type: 'schedule', cron: '0 7 * * MON-FRI' }, ticks), ['2026-10-16T00:00:00.000Z']);
    // 07:00 UTC is 14:00 in Hà Nội, crossed between the Friday 07:01 and Saturday 06:59 ticks.
    assert.deepEqual(firings({ type: 'schedule', cron: '0 7 * * *', timezone: 'UTC' }, ticks), ['2026-10-16T07:00:00.000Z']);
  });

  it('fires every 15 minutes with a step, and once for the latest minute after a pause', () => {
    const everyMinute = Array.from({ length: 61 }, (_, i) => local('2026-10-16T08:00:00') + i * MINUTE);
    assert.deepEqual(firings({ type: 'schedule', cron: '*/15 8 * * *' }, everyMinute), ['2026-10-16T01:15:00.000Z', '2026-10-16T01:30:00.000Z', '2026-10-16T01:45:00.000Z']);
    assert.deepEqual(firings({ type: 'schedule', cron: '*/15 * * * *' }, [local('2026-10-16T08:01:00'), local('2026-10-16T09:20:00')]), ['2026-10-16T02:15:00.000Z']);
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // 13th or Monday: Mon 12 Oct and Tue 13 Oct match, Wed 14 Oct does not.
    const ticks = ['2026-10-11T23:59:00', '2026-10-12T00:00:00', '2026-10-12T23:59:00', '2026-10-13T00:00:00', '2026-10-13T23:59:00', '2026-10-14T00:00:00'].map(local);
    assert.deepEqual(firings({ type: 'schedule', cron: '0 0 13 * 1' }, ticks), ['2026-10-11T17:00:00.000Z', '2026-10-12T17:00:00.000Z']);
  });
});

describe('trigger engine: what people read', () => {
  const zone: [number, number][] = [[106.88, 10.56], [106.95, 10.56], [106.95, 10.62], [106.88, 10.62], [106.88, 10.56]];
  const names = new Map([['tau-dna-92685-ts', 'Tàu ĐNa-92685-TS'], ['mn-suoi-linh', 'Trạm mực nước suối Linh']]);
  const named = (rules: Record<string, TriggerRuleInput>) =>
    new TriggerEngine(Object.entries(rules).map(([id, rule]) => ({ id, rule: triggerRule.parse(rule) })), new Map(), (id) => names.get(id));

  it('names the vessel and the drawn area, never their ids', () => {
    const engine = named({ 'iuu-fishing': { type: 'geofence', objects: { kinds: ['vessel'] }, area: { polygon: zone, name: { vi: 'ngư trường được phép', en: 'the permitted fishing ground' } }, on: 'leave' } });
    engine.objectPosition('tau-dna-92685-ts', 'vessel', 106.9, 10.6, 1000);
    engine.objectPosition('tau-dna-92685-ts', 'vessel', 107.2, 10.7, 2000);
    const [firing] = engine.tick(3000).fired;
    assert.deepEqual(firing?.subjects, ['tau-dna-92685-ts'], 'the subjects stay ids, for the machine');
    assert.deepEqual(firing?.detail, { vi: 'Tàu ĐNa-92685-TS rời khỏi ngư trường được phép', en: 'Tàu ĐNa-92685-TS left the permitted fishing ground' });
  });

  it("names an event by its gateway's title and its severity in the reader's language; a sensor by its name", () => {
    const engine = named({
      flood: { type: 'event', categories: ['flood'], minSeverity: 'warning' },
      level: { type: 'threshold', sensors: { ids: ['mn-suoi-linh'] }, level: 'warning' },
    });
    engine.sensorRegistered({ id: 'mn-suoi-linh', kind: 'water-level', commune: 'Phường Tam Hiệp', location: { lon: 106.87, lat: 10.927 }, thresholds: { warning: 1.3 } });
    engine.reading('mn-suoi-linh', 1.5, 1000);
    engine.event({ id: 'ev-mua-trang-bom-mx53h5dp-2', category: 'flood', severity: 'critical', at: 1000, cleared: false, title: { vi: 'Mưa lớn gây ngập tại Trảng Bom', en: 'Heavy rain floods Trảng Bom' } });
    const fired = engine.tick(2000).fired;
    const text = fired.map((f) => f.detail.vi).join(' | ');
    assert.match(text, /Sự kiện ngập lụt \(nguy hiểm\): Mưa lớn gây ngập tại Trảng Bom/);
    assert.match(text, /Trạm mực nước suối Linh/);
    assert.doesNotMatch(text, /ev-mua|mn-suoi-linh|critical/, `no ids, no English: ${text}`);
    assert.match(fired.find((f) => f.id === 'flood')!.detail.en, /\(critical\): Heavy rain floods Trảng Bom/);
  });
});
