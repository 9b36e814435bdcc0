/**
 * The built-in flood, fire-rescue and traffic scenarios against the simulated province's scripted
 * incidents, end to end in one process: province gateways over ZeroMQ → field link → live state →
 * scenario engine (ticking every second, as in the host) with the GIS spatial index attached.
 * The incidents run faster than real time (incidentTimeScale); the triggers' own durations do not,
 * which is why traffic (30 s of congestion) runs at half speed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zmq from 'zeromq';
import { gatewaysConfig, type Actor, type Tile } from '../../native-bridge/contract.js';
import type { Core } from '../../electron/node/core.js';
import { startFieldLink, type FieldLink } from '../../electron/node/field/field-link.js';
import { startGis, type GisService } from '../../electron/node/gis/gis-service.js';
import { parseYamlFile } from '../../electron/node/layout-files.js';
import { defaultScenariosDir } from '../../electron/node/project-paths.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { demoGatewayDefinitions, startProvince, type ProvinceHandle } from '../../sim/province.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { startScenarioCore } from '../support/scenario-core.js';

/** A signed-in person: the engine records the account id and compares ids for the two-person rule. */
const person = (name: string): Actor => ({ id: name, role: 'commander', name });

interface Demo {
  core: Core;
  engine: ScenarioEngine;
  field: FieldLink;
  gis: GisService;
  province: ProvinceHandle;
  close(): Promise<void>;
}

/** The host's wiring (core with its scenario engine, field link, GIS) and the province as a separate set of gateways. */
async function demo(incidentTimeScale: number): Promise<Demo> {
  const dataDir = tempDir();
  const keys = Object.fromEntries(demoGatewayDefinitions().map((g) => [g.id, zmq.curveKeyPair()]));
  const file = join(dataDir, 'gateways.yaml');
  const list = demoGatewayDefinitions().map((g) => `  - { id: ${g.id}, name: '${g.name}', publicKey: '${keys[g.id]!.publicKey}' }`);
  writeFileSync(file, `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\ngateways:\n${list.join('\n')}\n`);
  const { core, engine, close: closeCore } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' }, { dir: defaultScenariosDir, watch: false });
  const field = await startFieldLink(core, parseYamlFile(file, gatewaysConfig), dataDir, () => {});
  const gis = await startGis({ dataDir, live: core.live, seedDemoDatasets: true, log: () => {} });
  core.attachSpatial(gis.spatial);
  const province = await startProvince({ endpoints: field.endpoints, hostPublicKey: field.hostPublicKey, gatewayKeys: keys, incidentTimeScale, rateScale: 10, reportEverySeconds: 0 });
  return {
    core,
    engine,
    field,
    gis,
    province,
    async close() {
      await province.stop();
      await field.close();
      core.attachSpatial(null);
      await gis.close();
      await closeCore();
    },
  };
}

async function until<T>(probe: () => T | undefined | false, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const tileIds = (tiles: readonly Tile[]) => tiles.map((t) => t.id);
const camerasOf = (tiles: readonly Tile[], id: string) => {
  const grid = tiles.find((t) => t.id === id);
  assert.ok(grid?.kind === 'camera-grid', `the layout has camera grid ${id}`);
  return grid.props.cameras;
};

describe('built-in scenarios against the simulated province', () => {
  it('flood: rising rivers suggest it, a commander activates it, the siren is confirmed and acknowledged, the wall reverts when the water recedes; then a fire activates fire-rescue by itself', { timeout: 120_000 }, async () => {
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
      await until(() => engine.picture().runs.find((r) => r.runId === fireRun.runId && r.state === 'cleared'), 'the fire run cleared', 30_000);
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
      await until(() => engine.picture().runs.find((r) => r.runId === run.runId && r.state === 'cleared'), 'the traffic run cleared', 60_000);
      assert.deepEqual(tileIds(core.controller.current.tiles), tileIds(before));
    } finally {
      await d.close();
    }
  });
});
