import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTriggerIssue, parseCron, triggerRule } from '../../native-bridge/trigger-rules.js';

/** The message for a rule the schema must refuse. */
function refusal(rule: unknown): string {
  const result = triggerRule.safeParse(rule);
  assert.ok(!result.success, `accepted ${JSON.stringify(rule)}`);
  return describeTriggerIssue(result.error, 'trigger');
}

describe('trigger rules schema', () => {
  it('applies defaults', () => {
    assert.deepEqual(triggerRule.parse({ type: 'schedule', cron: '0 7 * * 1-5' }), { type: 'schedule', cron: '0 7 * * 1-5', timezone: 'Asia/Ho_Chi_Minh' });
    assert.deepEqual(triggerRule.parse({ type: 'threshold', sensors: {}, level: 'warning' }), { type: 'threshold', sensors: {}, level: 'warning', forSeconds: 0, minCount: 1 });
    assert.deepEqual(triggerRule.parse({ type: 'event', categories: ['fire', 'flood'] }), { type: 'event', categories: ['fire', 'flood'], minSeverity: 'warning' });
  });

  it('refuses misspelt fields and types, naming them', () => {
    assert.equal(refusal({ type: 'threshold', sensors: {}, level: 'warning', forSecond: 60 }), 'trigger.forSecond: unknown field');
    assert.equal(refusal({ type: 'threshold', sensors: { kind: ['rain'] }, level: 'warning' }), 'trigger.sensors.kind: unknown field');
    assert.equal(refusal({ type: 'geofence', objects: {}, area: { areaid: 'x' }, on: 'enter' }), 'trigger.area: area is {areaId} or {polygon: [[lon, lat], …], name?: {vi, en}}');
    assert.match(refusal({ type: 'thresold', sensors: {} }), /^trigger\.type: type is one of 'manual', 'schedule', 'threshold'/);
    assert.match(refusal({ type: 'threshold', sensors: {}, level: 'amber' }), /^trigger\.level: /);
    assert.match(refusal({ type: 'rate', sensors: {}, change: 0.5, perMinutes: 30, direction: 'up' }), /^trigger\.direction: /);
  });

  it('refuses bad cron expressions and time zones, saying what is wrong', () => {
    assert.equal(refusal({ type: 'schedule', cron: '0 7 * *' }), 'trigger.cron: a cron expression has 5 fields (minute hour day-of-month month day-of-week), not 4');
    assert.equal(refusal({ type: 'schedule', cron: '60 7 * * *' }), 'trigger.cron: minute: "60" is outside 0–59');
    assert.equal(refusal({ type: 'schedule', cron: '0 7 * * 1-8' }), 'trigger.cron: day of week: "1-8" is outside 0–7');
    assert.equal(refusal({ type: 'schedule', cron: '0 17-9 * * *' }), 'trigger.cron: hour: range "17-9" runs backwards');
    assert.equal(refusal({ type: 'schedule', cron: '*/0 * * * *' }), 'trigger.cron: minute: step must be at least 1');
    assert.equal(refusal({ type: 'schedule', cron: '0 7 * * MOON' }), 'trigger.cron: day of week: cannot read "MOON"');
    assert.match(refusal({ type: 'schedule', cron: '0 7 * * *', timezone: 'Asia/Hanoi_City' }), /^trigger\.timezone: unknown time zone "Asia\/Hanoi_City"/);
  });

  it('refuses rules that cannot mean anything', () => {
    assert.match(refusal({ type: 'threshold', sensors: { layer: 'object' }, level: 'warning' }), /^trigger\.sensors\.layer: this rule watches sensors/);
    assert.match(refusal({ type: 'cluster', objects: { communes: ['xa-1'] }, count: 3, radiusM: 300, forMinutes: 20 }), /^trigger\.objects\.communes: moving objects carry no commune/);
    assert.match(refusal({ type: 'cluster', objects: {}, count: 1, radiusM: 300, forMinutes: 20 }), /^trigger\.count: /);
    assert.match(refusal({ type: 'threshold', sensors: {}, level: 'warning', minCount: 0 }), /^trigger\.minCount: /);
    assert.match(refusal({ type: 'threshold', sensors: {}, level: {} }), /^trigger\.level: give above, below or both/);
    assert.match(refusal({ type: 'threshold', sensors: {}, level: { above: 3, below: 5 } }), /^trigger\.level: with both, below must be under above/);
    assert.match(refusal({ type: 'rate', sensors: {}, change: 0, perMinutes: 30, direction: 'rise' }), /^trigger\.change: /);
    assert.match(
      refusal({ type: 'geofence', objects: {}, area: { polygon: [[106, 10], [106.1, 10], [106.1, 10.1], [106, 10.1]] }, on: 'enter' }),
      /^trigger\.area\.polygon: a polygon ring must be closed/,
    );
    assert.match(refusal({ type: 'event', categories: [] }), /^trigger\.categories: /);
    assert.match(refusal({ type: 'manual', when: 'now' }), /^trigger\.when: unknown field/);
  });
});

describe('cron parsing', () => {
  it('reads names, ranges, lists and steps, with 7 as Sunday', () => {
    const parsed = parseCron('0,30 8-17/3 1 JAN,jul SUN,5-7');
    assert.ok(parsed.ok);
    assert.deepEqual([...parsed.schedule.minutes], [0, 30]);
    assert.deepEqual([...parsed.schedule.hours], [8, 11, 14, 17]);
    assert.deepEqual([...parsed.schedule.months], [1, 7]);
    assert.deepEqual([...parsed.schedule.daysOfWeek].sort(), [0, 5, 6]);
    assert.equal(parsed.schedule.dayOrMatch, true);
    const stepFrom = parseCron('5/20 * * * *');
    assert.ok(stepFrom.ok);
    assert.deepEqual([...stepFrom.schedule.minutes], [5, 25, 45]);
    assert.equal(stepFrom.schedule.dayOrMatch, false);
  });
});
