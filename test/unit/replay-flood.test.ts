/**
 * Replay after a scripted flood: the simulated province's flood runs faster than real time against
 * the host's wiring (core, scenario engine, field link with its telemetry cache, GIS); the
 * controller's wall, the live sensor readings and the run are captured at three moments (before,
 * with the siren sounded and acknowledged, after the wall went back), and replay.at at each moment
 * must give back exactly that wall, readings no older than the live picture had, and the run's
 * steps as they stood. The timeline marks the siren with who sent it; a person scoped to other
 * communes sees neither the run nor its marks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor, WallState } from '../../native-bridge/contract.js';
import type { Core } from '../../electron/node/core.js';
import { startProvinceDemo, until } from '../support/province-demo.js';

const person = (name: string): Actor => ({ id: name, role: 'commander', name });

interface Moment {
  time: number;
  revision: number;
  state: WallState;
  readings: Map<string, { value: number; at: number }>;
}

/** What the controller and the live picture held at this instant; the next change lands in a later millisecond. */
async function capture(core: Core): Promise<Moment> {
  const time = Date.now();
  const readings = new Map(core.live.sensorList().flatMap((s) => (core.live.latestReading(s.id) ? [[s.id, core.live.latestReading(s.id)!] as const] : [])));
  const moment = { time, revision: core.controller.currentRevision, state: structuredClone(core.controller.current), readings };
  await sleep(2);
  return moment;
}

describe('replay of a flood', () => {
  it('gives back the wall, its readings and the run at three moments of the incident', { timeout: 180_000 }, async () => {
    const d = await startProvinceDemo(1 / 10);
    try {
      const { core, engine, province, field } = d;
      await until(() => core.live.cameraList().length >= 16, 'the cameras', 20_000);
      const before = await capture(core);

      const flood = province.trigger('flood');
      const suggestion = await until(() => engine.picture().suggestions.find((s) => s.scenario === 'flood' && s.incident?.eventId?.startsWith('ev-lu-')), 'the flood suggestion', 30_000);
      const run = await engine.activate({ scenario: 'flood', suggestionId: suggestion.suggestionId }, person('Nguyễn Văn An'));
      engine.step({ runId: run.runId, stepId: 'sound-siren', done: true }, person('Nguyễn Văn An'));
      engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, person('Trần Thị Bình'));
      await engine.command({ runId: run.runId, stepId: 'sound-siren' }, person('Trần Thị Bình'));
      await until(() => engine.log(run.runId).some((e) => e.kind === 'command-acknowledged'), 'the siren acknowledged', 15_000);
      const siren = await capture(core);

      await flood;
      await until(() => engine.picture().runs.find((r) => r.runId === run.runId && r.state === 'cleared'), 'the flood run cleared', 60_000);
      await engine.idle();
      const after = await capture(core);
      await field.cache.flush();

      for (const [name, moment] of [['before', before], ['siren', siren], ['after', after]] as const) {
        const replayed = await core.replay.at(moment.time);
        assert.equal(replayed.revision, moment.revision, `${name}: the revision on the wall`);
        assert.deepEqual(replayed.state, moment.state, `${name}: the wall as the controller held it`);
        for (const sensor of replayed.sensors) {
          const live = moment.readings.get(sensor.id);
          if (!live) continue;
          assert.ok(sensor.at !== null && sensor.at >= live.at && sensor.at <= moment.time, `${name}: ${sensor.name} read at or after what the wall showed, never after the moment`);
          if (sensor.at === live.at) assert.equal(sensor.value, live.value, `${name}: ${sensor.name}'s value`);
        }
      }

      const atSiren = await core.replay.at(siren.time);
      assert.notDeepEqual(atSiren.state.tiles.map((t) => t.id), before.state.tiles.map((t) => t.id), 'the flood layout differs from the everyday one');
      assert.ok(atSiren.sensors.length > 0 && atSiren.sensors.every((s) => s.value !== null), 'the flood layout\'s sensor tile had values');
      const flooding = atSiren.runs.find((r) => r.runId === run.runId);
      assert.ok(flooding, 'the flood run was on the wall');
      assert.equal(flooding.state, 'active');
      assert.deepEqual(flooding.steps.find((s) => s.stepId === 'sound-siren'), { stepId: 'sound-siren', state: 'done', doneBy: 'Nguyễn Văn An', confirmedBy: 'Trần Thị Bình' });
      assert.equal((await core.replay.at(after.time)).runs.find((r) => r.runId === run.runId), undefined, 'over once the water receded');

      const { marks } = core.replay.timeline(before.time, after.time);
      const sirenMark = marks.find((m) => m.kind === 'field-command' && m.what === 'siren');
      assert.ok(sirenMark, 'the siren is on the timeline');
      assert.equal(sirenMark.actor, 'Trần Thị Bình');
      assert.ok(sirenMark.at > before.time && sirenMark.at <= siren.time);
      assert.ok(marks.some((m) => m.kind === 'scenario' && m.what === 'activated' && m.actor === 'Nguyễn Văn An'));
      assert.ok(marks.some((m) => m.kind === 'command' && m.what === 'apply-layout'), 'the scenario layout went up as a wall command');

      // a person whose account covers other communes does not see the flood's run or its marks
      // (the run's commune, or none known: a commune-scoped account sees neither, as in scenarios.runs)
      const elsewhere = { kind: 'communes' as const, communes: ['Xã Đảo Long Sơn'] };
      assert.deepEqual((await core.replay.at(siren.time, elsewhere)).runs, []);
      const seenElsewhere = core.replay.timeline(before.time, after.time, elsewhere).marks;
      assert.ok(!seenElsewhere.some((m) => m.kind === 'scenario' || (m.kind === 'field-command' && m.what === 'siren')), 'no flood marks outside its communes');
      assert.ok(seenElsewhere.some((m) => m.kind === 'command'), 'wall commands are not about a commune: still marked');
    } finally {
      await d.close();
    }
  });
});
