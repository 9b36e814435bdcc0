/**
 * The built-in flood, fire-rescue and traffic scenarios against the simulated province's scripted
 * incidents, end to end in one process: province gateways over ZeroMQ → field link → live state →
 * scenario engine (ticking every second, as in the host) with the GIS spatial index attached.
 * The incidents run faster than real time (incidentTimeScale); the triggers' own durations do not,
 * which is why traffic (30 s of congestion) runs at half speed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Actor, Tile } from '../../native-bridge/contract.js';
import { startProvinceDemo as demo, until } from '../support/province-demo.js';

/** A signed-in person: the engine records the account id and compares ids for the two-person rule. */
const person = (name: string): Actor => ({ id: name, role: 'commander', name });

const tileIds = (tiles: readonly Tile[]) => tiles.map((t) => t.id);
const camerasOf = (tiles: readonly Tile[], id: string) => {
  const grid = tiles.find((t) => t.id === id);
  assert.ok(grid?.kind === 'camera-grid', `the layout has camera grid ${id}`);
  return grid.props.cameras;
};

describe('built-in scenarios against the simulated province', () => {
  it('flood: rising rivers suggest it, a commander activates it, the siren is confirmed and acknowledged, the wall reverts when the water recedes; then a fire activates fire-rescue by itself', { timeout: 180_000 }, async () => {
    const d = await demo(1 / 10);
    try {
      const { core, engine, province } = d;
      // Wait for the province's picture (sensors and cameras) before the incident.
      await until(() => core.live.cameraList().length >= 16, 'the cameras', 20_000);
      const before = structuredClone(core.controller.current.tiles);

      const flood = province.trigger('flood');
      const first = await until(() => engine.picture().suggestions.find((s) => s.scenario === 'flood'), 'a flood suggestion', 20_000);
      assert.ok(first.incident, 'placed where the first rain gauge or station crossed its threshold');
      // The hydrology gateway's own incident event follows and places the banner at Tam Hiệp.
      const suggestion = await until(() => engine.picture().suggestions.find((s) => s.scenario === 'flood' && s.incident?.eventId?.startsWith('ev-lu-')), 'the flood event placing the incident', 20_000);
      assert.equal(suggestion.suggestionId, first.suggestionId, 'one banner for one flood');
      assert.equal(engine.picture().suggestions.filter((s) => s.scenario === 'flood').length, 1);

      const run = await engine.activate({ scenario: 'flood', suggestionId: suggestion.suggestionId }, person('Nguyễn Văn An'));
      const wall = core.controller.current;
      assert.equal(wall.tiles.find((t) => t.kind === 'map')?.id, 'flood-map');
      const cameras = camerasOf(wall.tiles, 'flood-cameras');
      assert.ok(cameras.length >= 6 && cameras.length <= 9, `the demo cameras within 5 km of Tam Hiệp, 9 at most: ${cameras.join(', ')}`);
      assert.equal(cameras[0], 'cam-01', 'the Tam Hiệp roundabout camera first');

      engine.step({ runId: run.runId, stepId: 'sound-siren', done: true }, person('Nguyễn Văn An'));
      engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, person('Trần Thị Bình'));
      await engine.command({ runId: run.runId, stepId: 'sound-siren' }, person('Trần Thị Bình'));
      await until(() => engine.log(run.runId).some((e) => e.kind === 'command-acknowledged'), 'the siren acknowledged by gw-thuy-van', 15_000);

      await flood;
      // steps are still open: the commander gets a countdown before the wall goes back
      const counting = await until(() => engine.picture().runs.find((r) => r.runId === run.runId && r.revertAt !== null), 'the countdown to the revert', 30_000);
      assert.equal(counting.state, 'active');
      const ended = await until(() => engine.picture().runs.find((r) => r.runId === run.runId && r.state === 'cleared'), 'the flood run cleared', 30_000);
      assert.ok(ended.clearedAt! >= run.activatedAt);
      assert.deepEqual(tileIds(core.controller.current.tiles), tileIds(before), 'the wall is back to what it was');
      await engine.idle();
      const { html } = await engine.report(run.runId);
      assert.match(html, /Trạm đo trong bán kính 5 km/, 'the panel query figures');
      assert.doesNotMatch(html, /Không tính được/, 'every figure was computed through the spatial index');

      const fire = province.trigger('fire');
      const fireRun = await until(() => engine.picture().runs.find((r) => r.scenario === 'fire-rescue' && r.state === 'active'), 'fire-rescue activated automatically', 20_000);
      assert.equal(fireRun.activatedBy, 'system');
      const fireCameras = camerasOf(core.controller.current.tiles, 'fire-cameras');
      assert.equal(fireCameras[0], 'cam-15', 'the Amata gate camera is the nearest to the warehouse');
      await fire;
      await until(() => engine.picture().runs.find((r) => r.runId === fireRun.runId && r.state === 'cleared'), 'the fire run cleared', 60_000);
      assert.deepEqual(tileIds(core.controller.current.tiles), tileIds(before));
    } finally {
      await d.close();
    }
  });

  it('traffic: a jam on QL1A held for 30 s suggests it; the signal plan is acknowledged; the wall reverts when traffic flows again', { timeout: 180_000 }, async () => {
    const d = await demo(1 / 2);
    try {
      const { core, engine, province } = d;
      await until(() => core.live.cameraList().length >= 16, 'the cameras', 20_000);
      const before = structuredClone(core.controller.current.tiles);
      const traffic = province.trigger('traffic');
      const suggestion = await until(() => engine.picture().suggestions.find((s) => s.scenario === 'traffic'), 'a traffic suggestion', 90_000);
      const run = await engine.activate({ scenario: 'traffic', suggestionId: suggestion.suggestionId }, person('Lê Minh Tuấn'));
      assert.ok(camerasOf(core.controller.current.tiles, 'traffic-cameras').length >= 3);
      await engine.command({ runId: run.runId, stepId: 'signal-plan' }, person('Lê Minh Tuấn'));
      await until(() => engine.log(run.runId).some((e) => e.kind === 'command-acknowledged'), 'the signal plan acknowledged', 15_000);
      await traffic;
      await until(() => engine.picture().runs.find((r) => r.runId === run.runId && r.state === 'cleared'), 'the traffic run cleared', 90_000);
      assert.deepEqual(tileIds(core.controller.current.tiles), tileIds(before));
    } finally {
      await d.close();
    }
  });
});
