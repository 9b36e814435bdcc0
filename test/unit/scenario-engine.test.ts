/**
 * The scenario engine on the real parts: a core (SQLite file, WallController, LiveState), the real
 * layouts/scenarios files, and a field link with a simulated gateway over ZeroMQ that acknowledges
 * commands. Field data is applied to the live state as a gateway's changes; the engine's clock is
 * driven by tick(now), so trigger timing is exact.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as zmq from 'zeromq';
import { ContractError, gatewaysConfig, type Actor, type LiveCamera, type LiveSensor, type StateItem, type Tile } from '../../native-bridge/contract.js';
import type { Core } from '../../electron/node/core.js';
import type { ScenarioTuning } from '../../electron/node/scenarios/start-scenarios.js';
import { startFieldLink, type FieldLink } from '../../electron/node/field/field-link.js';
import { startIndicators } from '../../electron/node/indicators/indicator-service.js';
import type { ItemChange } from '../../electron/node/gateway/gateway-hub.js';
import { parseYamlFile } from '../../electron/node/layout-files.js';
import { layoutsDir } from '../../electron/node/project-paths.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { loadScenarioDir } from '../../electron/node/scenarios/scenario-files.js';
import { SimGateway } from '../../sim/gateway.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { startFloodOnlyCore, startScenarioCore } from '../support/scenario-core.js';
import { until } from '../support/page-wait.js';

const scenariosDir = join(layoutsDir, 'scenarios');
const operator: Actor = { id: 'console', role: 'operator' };
/** A signed-in person: the engine records the account id and compares ids for the two-person rule. */
const person = (name: string): Actor => ({ id: name, role: 'commander', name });
const AN = 'Nguyễn Văn An';
const BINH = 'Trần Thị Bình';
const GW = 'gw-demo-data';

// The demo's suối Linh station and cameras around it (one far away, in Trị An).
const station: LiveSensor = { id: 'mn-suoi-linh', gateway: GW, kind: 'water-level', name: 'Trạm mực nước suối Linh', commune: 'Phường Tam Hiệp', location: { lat: 10.927, lon: 106.87 }, unit: 'm', thresholds: { warning: 1.3, critical: 1.7 } };
const camera = (id: string, lat: number, lon: number): LiveCamera => ({
  id,
  gateway: GW,
  name: `Camera ${id}`,
  commune: 'Phường Tam Hiệp',
  location: { lat, lon },
  streams: { main: { url: `http://127.0.0.1:1/${id}/main.m3u8`, width: 1920, height: 1080 }, sub: { url: `http://127.0.0.1:1/${id}/sub.m3u8`, width: 640, height: 360 } },
});
const cameras = [camera('cam-far', 11.0935, 106.9688), camera('cam-b', 10.9368, 106.8612), camera('cam-a', 10.9262, 106.8685), camera('cam-c', 10.9102, 106.8745)];

function apply(core: Core, items: StateItem[]): void {
  core.live.apply(GW, items.map((item): ItemChange => ({ op: 'set', item })));
  core.live.flush();
}
const sensorItem = ({ gateway: _g, ...rest }: LiveSensor): StateItem => ({ type: 'sensor', ...rest });
const cameraItem = ({ gateway: _g, ...rest }: LiveCamera): StateItem => ({ type: 'camera', ...rest });
const reading = (value: number, at: number): StateItem => ({ type: 'reading', id: station.id, value, at, extra: {} });

interface Rig {
  core: Core;
  engine: ScenarioEngine;
  field: FieldLink;
  gateway: SimGateway;
  commands: string[];
  close(): Promise<void>;
}

/** A core running the engine (ticked by hand) on dataDir, and a field link with a simulated gw-thuy-van that sounds sirens. */
async function rig(dataDir: string, keyPair: { publicKey: string; secretKey: string }, tuning: ScenarioTuning = {}, gatewaysFileExtra = ''): Promise<Rig> {
  const file = join(dataDir, 'gateways.yaml');
  writeFileSync(file, `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\n${gatewaysFileExtra}gateways:\n  - { id: gw-thuy-van, name: Cổng thủy văn, publicKey: '${keyPair.publicKey}' }\n`);
  const { core, engine, close: closeCore } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' }, { dir: scenariosDir, tickMs: 0, watch: false, ...tuning });
  const field = await startFieldLink(core, parseYamlFile(file, gatewaysConfig), dataDir, () => {});
  // the real indicator service on the shipped definitions: the report shows the scenario's indicators
  const indicators = startIndicators({ dir: join(layoutsDir, 'indicators'), db: core.db, live: core.live, alerts: core.alerts, log: () => {} });
  core.attachIndicators(indicators);
  const commands: string[] = [];
  const gateway = new SimGateway({
    id: 'gw-thuy-van',
    name: 'Cổng thủy văn (mô phỏng)',
    endpoints: field.endpoints,
    hostPublicKey: field.hostPublicKey,
    keyPair,
    onCommand: (command) => {
      commands.push(`${command.type}:${command.target}`);
      return { status: 'done', detail: `còi ${command.target} đã bật` };
    },
  });
  await gateway.start();
  return {
    core,
    engine,
    field,
    gateway,
    commands,
    async close() {
      await gateway.stop();
      await field.close();
      core.attachIndicators(null);
      indicators.close();
      await closeCore();
    },
  };
}


const floodTiles = (): Tile[] => {
  const flood = loadScenarioDir(scenariosDir).scenarios.find((x) => x.name === 'flood')!;
  assert.ok('tiles' in flood.layout);
  return flood.layout.tiles;
};

async function rejectsWith(action: () => unknown, code: string): Promise<void> {
  await assert.rejects(async () => action(), (error: unknown) => {
    assert.ok(error instanceof ContractError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

describe('scenario engine', () => {
  it('suggests flood on rising water, applies it as one revision, runs the procedure with a second person and a field command, and reverts on clear', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const r = await rig(dataDir, zmq.curveKeyPair());
    try {
      const { core, engine } = r;
      const before = structuredClone(core.controller.current);
      const revision0 = core.controller.currentRevision;
      const t0 = Date.now();
      apply(core, [sensorItem(station), ...cameras.map(cameraItem), reading(0.6, t0 - 1000), reading(1.45, t0)]);

      engine.tick(t0 + 29_000);
      assert.equal(engine.picture().suggestions.length, 0, 'the level must hold 30 s first');
      engine.tick(t0 + 31_000);
      const [suggestion, ...more] = engine.picture().suggestions;
      assert.ok(suggestion && more.length === 0, 'one flood suggestion');
      assert.equal(suggestion.scenario, 'flood');
      assert.deepEqual(suggestion.incident, { lon: 106.87, lat: 10.927, commune: 'Phường Tam Hiệp' });
      assert.equal(core.controller.currentRevision, revision0, 'a suggestion does not touch the wall');

      // A critical flood event 1.5 km away is the same incident: no second banner; being the field's own
      // incident (not one sensor's threshold), it places the incident better.
      apply(core, [{ type: 'event', id: 'ev-lu-1', at: t0 + 32_000, severity: 'critical', category: 'flood', title: { vi: 'Nguy cơ ngập', en: 'Flood risk' }, location: { lat: 10.938, lon: 106.862 }, cleared: false }]);
      engine.tick(t0 + 33_000);
      assert.equal(engine.picture().suggestions.length, 1);
      assert.deepEqual(engine.picture().suggestions[0]!.subjects, ['mn-suoi-linh', 'ev-lu-1']);
      assert.deepEqual(engine.picture().suggestions[0]!.incident, { lon: 106.862, lat: 10.938, eventId: 'ev-lu-1' });

      const run = await engine.activate({ scenario: 'flood', suggestionId: suggestion.suggestionId }, person(AN));
      assert.equal(core.controller.currentRevision, revision0 + 1, 'the whole layout in one revision');
      assert.equal(run.revision, revision0 + 1);
      const wall = core.controller.current;
      assert.deepEqual(
        wall.tiles.map((t) => t.id),
        floodTiles().map((t) => t.id),
      );
      const map = wall.tiles.find((t) => t.id === 'flood-map');
      assert.ok(map?.kind === 'map');
      assert.deepEqual(map.props.view, { longitude: 106.862, latitude: 10.938, zoom: 13, bearing: 0, pitch: 0 });
      const grid = wall.tiles.find((t) => t.id === 'flood-cameras');
      assert.ok(grid?.kind === 'camera-grid');
      assert.deepEqual(grid.props.cameras, ['cam-b', 'cam-a', 'cam-c'], 'the cameras within 5 km, nearest first');
      assert.deepEqual(engine.picture().suggestions, [], 'the banner is gone');
      assert.equal(run.activatedBy, AN);

      // One run per scenario and incident.
      const again = await engine.activate({ scenario: 'flood', incident: { lon: 106.871, lat: 10.928 } }, operator);
      assert.equal(again.runId, run.runId);
      assert.equal(core.controller.currentRevision, revision0 + 1);

      // The procedure: a plain step, then the siren (needs a second person, then its command).
      engine.step({ runId: run.runId, stepId: 'verify', done: true, note: 'Mực nước 1,45 m <script>alert(1)</script>' }, person(AN));
      await rejectsWith(() => engine.command({ runId: run.runId, stepId: 'sound-siren' }, person(AN)), 'conflict');
      let state = engine.step({ runId: run.runId, stepId: 'sound-siren', done: true }, person(AN));
      assert.equal(state.steps.find((s) => s.stepId === 'sound-siren')?.state, 'awaiting-confirmation');
      await rejectsWith(() => engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, person(AN)), 'forbidden');
      state = engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, person(BINH));
      const siren = state.steps.find((s) => s.stepId === 'sound-siren')!;
      assert.equal(siren.state, 'done');
      assert.equal(siren.confirmedBy, BINH);

      const { commandId } = await engine.command({ runId: run.runId, stepId: 'sound-siren' }, person(BINH));
      await until(() => engine.picture().runs[0]?.steps.find((s) => s.stepId === 'sound-siren')?.command?.state === 'done', 'the siren acknowledgement');
      assert.deepEqual(r.commands, ['siren:coi-tam-hiep']);
      await rejectsWith(() => engine.command({ runId: run.runId, stepId: 'sound-siren' }, person(BINH)), 'conflict');

      // The water recedes and the event clears with steps still open: the commander gets a countdown
      // (an alert, the run's revertAt), not a silent revert; then the wall gets its previous layout back, in one revision.
      apply(core, [reading(0.9, t0 + 60_000), { type: 'event', id: 'ev-lu-1', at: t0 + 61_000, severity: 'critical', category: 'flood', title: { vi: 'Nguy cơ ngập', en: 'Flood risk' }, location: { lat: 10.938, lon: 106.862 }, cleared: true }]);
      engine.tick(t0 + 62_000);
      const counting = engine.picture().runs.find((x) => x.runId === run.runId)!;
      assert.equal(counting.state, 'active');
      assert.equal(counting.revertAt, t0 + 62_000 + 120_000);
      assert.equal(core.controller.currentRevision, revision0 + 1, 'nothing reverted yet');
      assert.ok(core.alerts.list().some((a) => a.title.vi.includes('còn') && a.title.vi.includes('bước chưa xong')), 'the commander is told');
      engine.tick(t0 + 62_000 + 119_000);
      assert.equal(engine.picture().runs.find((x) => x.runId === run.runId)!.state, 'active', 'not before the countdown ends');
      engine.tick(t0 + 62_000 + 120_000);
      const over = engine.picture().runs.find((x) => x.runId === run.runId)!;
      assert.equal(over.state, 'cleared');
      assert.equal(core.controller.currentRevision, revision0 + 2);
      assert.deepEqual(core.controller.current.tiles, before.tiles);
      assert.equal(core.controller.current.activePreset, before.activePreset);

      const kinds = engine.log(run.runId).map((e) => e.kind);
      for (const kind of ['activated', 'trigger-fired', 'step-done', 'step-confirmed', 'command-sent', 'command-acknowledged', 'trigger-cleared', 'revert-pending', 'reverted'] as const) assert.ok(kinds.includes(kind), `the log has ${kind}: ${kinds.join(', ')}`);
      const ack = engine.log(run.runId).find((e) => e.kind === 'command-acknowledged')!;
      assert.equal(ack.actor, 'gateway:gw-thuy-van');
      assert.deepEqual(ack.data, { commandId });

      const { html, fileName } = await engine.report(run.runId);
      assert.match(fileName, /^bao-cao-flood-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.html$/);
      assert.match(html, /Diễn biến \/ Timeline/);
      assert.match(html, /Kích hoạt kịch bản/);
      assert.match(html, /Cổng kết nối xác nhận đã thực hiện lệnh/);
      assert.match(html, new RegExp(BINH));
      assert.match(html, /<svg [^>]*aria-label="Bản đồ sự cố/);
      // people read names in the report: the map's labels, the incident, the command and its state
      assert.match(html, /<text [^>]*>Trạm mực nước suối Linh<\/text>/, 'the map labels the station by its name');
      assert.doesNotMatch(html, /<text [^>]*>mn-suoi-linh</, 'never by its id');
      assert.doesNotMatch(html, /\(ev-lu-1\)/, 'the incident without the event id');
      assert.match(html, /hú còi \/ Siren command → coi-tam-hiep: hiện trường đã thực hiện \/ done/);
      assert.match(html, /\d,\d\d km<\/title>/, 'distances with the Vietnamese decimal comma');
      // the flood scenario's indicators, with the values and status the service had at activation
      assert.match(html, /Chỉ số lúc kích hoạt \/ Indicators at activation/);
      assert.match(html, /<tr class="indicator (met|at-risk|not-met|no-data)"><td>Tỷ lệ trạm đo mực nước dưới mức báo động/);
      assert.match(html, /<tr class="indicator [a-z-]+"><td>[^<]*mưa/i, 'the rain indicator too');
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;') && !html.includes('<script>'), 'text is escaped');
      assert.ok(!/https?:\/\//.test(html.replace('http://www.w3.org/2000/svg', '')), 'the report loads nothing');
    } finally {
      await r.close();
    }
  });

  it('keeps an active run across a host restart: the trigger rejoins it, and its clear restores the layout from before', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const keys = zmq.curveKeyPair();
    const first = await rig(dataDir, keys);
    const before = structuredClone(first.core.controller.current.tiles);
    const t0 = Date.now();
    apply(first.core, [sensorItem(station), ...cameras.map(cameraItem), reading(1.5, t0)]);
    first.engine.tick(t0 + 31_000);
    const run = await first.engine.activate({ scenario: 'flood' }, operator);
    assert.ok(run.trigger, 'the launcher took the banner\'s incident');
    first.engine.step({ runId: run.runId, stepId: 'verify', done: true }, person(AN));
    const scenarioTiles = structuredClone(first.core.controller.current.tiles);
    await first.close();

    const second = await rig(dataDir, keys);
    try {
      const { core, engine } = second;
      const resumed = engine.picture().runs.find((x) => x.runId === run.runId);
      assert.equal(resumed?.state, 'active');
      assert.equal(resumed.steps.find((s) => s.stepId === 'verify')?.doneBy, AN);
      assert.deepEqual(core.controller.current.tiles, scenarioTiles, 'the wall still shows the scenario');
      assert.ok(engine.log(run.runId).some((e) => e.kind === 'resumed-after-restart'));

      const t1 = Date.now();
      apply(core, [sensorItem(station), ...cameras.map(cameraItem), reading(1.5, t1)]);
      engine.tick(t1 + 31_000);
      assert.deepEqual(engine.picture().suggestions, [], 'the firing joins the resumed run');
      apply(core, [reading(0.8, t1 + 40_000)]);
      engine.tick(t1 + 41_000);
      assert.ok(engine.picture().runs.find((x) => x.runId === run.runId)?.revertAt, 'steps are open: a countdown first');
      engine.tick(t1 + 41_000 + 120_000);
      assert.equal(engine.picture().runs.find((x) => x.runId === run.runId)?.state, 'cleared');
      assert.deepEqual(core.controller.current.tiles, before);
    } finally {
      await second.close();
    }
  });

  it('lets a commander escalate, pause, hand over and close; a closed run refuses steps; an unseen trigger after a restart counts as cleared', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const r = await rig(dataDir, zmq.curveKeyPair(), { resumeGraceMs: 1000 });
    try {
      const { core, engine } = r;
      const before = structuredClone(core.controller.current.tiles);
      const run = await engine.activate({ scenario: 'fire-rescue', incident: { lon: 106.9048, lat: 10.9531 } }, person(AN));
      assert.equal(run.trigger, null);
      const alertsBefore = core.alerts.list().length;
      let state = engine.escalate({ runId: run.runId }, person(AN));
      assert.equal(state.escalationLevel, 1);
      assert.equal(core.alerts.list().length, alertsBefore + 1, 'escalation raises an alert');
      state = engine.escalate({ runId: run.runId }, person(AN));
      assert.equal(state.escalationLevel, 2);
      await rejectsWith(() => engine.escalate({ runId: run.runId }, person(AN)), 'conflict');
      state = engine.pause({ runId: run.runId, note: 'Chờ lực lượng' }, person(AN));
      assert.equal(state.state, 'paused');
      await rejectsWith(() => engine.command({ runId: run.runId, stepId: 'sound-siren' }, person(AN)), 'conflict');
      state = engine.resume({ runId: run.runId }, person(AN));
      assert.equal(state.state, 'active');
      state = engine.handover({ runId: run.runId, to: BINH }, person(AN));
      assert.equal(state.handedTo, BINH);
      state = engine.close({ runId: run.runId, note: 'Đã dập tắt' }, person(BINH));
      assert.equal(state.state, 'closed');
      assert.equal(state.closedBy, BINH);
      assert.deepEqual(core.controller.current.tiles, before);
      await rejectsWith(() => engine.step({ runId: run.runId, stepId: 'verify', done: true }, operator), 'conflict');
      assert.deepEqual(
        engine.log(run.runId).map((e) => e.kind),
        ['activated', 'figures', 'escalated', 'escalated', 'paused', 'resumed', 'handed-over', 'reverted', 'closed'],
      );

      // A run from a trigger, then a restart with no trigger any more: cleared after the grace time.
      const t0 = Date.now();
      apply(core, [sensorItem(station), ...cameras.map(cameraItem), reading(1.5, t0)]);
      engine.tick(t0 + 31_000);
      const flood = await engine.activate({ scenario: 'flood' }, operator);
      assert.ok(flood.trigger);
    } finally {
      await r.close();
    }
    const again = await rig(dataDir, zmq.curveKeyPair(), { resumeGraceMs: 1000 });
    try {
      const open = again.engine.picture().runs.find((x) => x.scenario === 'flood')!;
      assert.equal(open.state, 'active');
      const graceOver = Date.now() + 2000;
      again.engine.tick(graceOver);
      assert.equal(again.engine.picture().runs.find((x) => x.runId === open.runId)?.revertAt, graceOver + 120_000, 'steps are open: a countdown first');
      again.engine.tick(graceOver + 120_000);
      assert.equal(again.engine.picture().runs.find((x) => x.runId === open.runId)?.state, 'cleared');
    } finally {
      await again.close();
    }
  });

  it('a step\'s siren that expires undelivered shows as expired in the run, is logged, and may be sent again', { timeout: 60_000 }, async () => {
    const r = await rig(tempDir(), zmq.curveKeyPair(), {}, 'commandTtlSeconds: { siren: 1 }\n');
    try {
      const { engine } = r;
      await r.gateway.stop(); // the field gateway is away
      const run = await engine.activate({ scenario: 'fire-rescue', incident: { lon: 106.9048, lat: 10.9531 } }, person(AN));
      engine.step({ runId: run.runId, stepId: 'sound-siren', done: true }, person(AN));
      engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, person(BINH));
      const { commandId } = await engine.command({ runId: run.runId, stepId: 'sound-siren' }, person(BINH));
      const siren = () => engine.picture().runs.find((x) => x.runId === run.runId)?.steps.find((s) => s.stepId === 'sound-siren')?.command;
      await until(() => siren()?.state === 'expired', 'the siren to expire', 10_000);
      assert.equal(siren()?.id, commandId);
      assert.ok(engine.log(run.runId).some((e) => e.kind === 'command-expired' && e.actor === 'host'));
      assert.deepEqual(r.commands, [], 'the gateway never sounded it');
      const again = await engine.command({ runId: run.runId, stepId: 'sound-siren' }, person(BINH));
      assert.notEqual(again.commandId, commandId, 'sent again as a new command, with a new deadline');
      assert.equal(siren()?.state, 'sent');
    } finally {
      await r.close();
    }
  });

  it('activates and closes every built-in scenario, each in one revision and back', { timeout: 30_000 }, async () => {
    const { core, engine, close } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: tempDir(), host: 'chromium' }, { dir: scenariosDir, tickMs: 0, watch: false });
    try {
      const before = structuredClone(core.controller.current.tiles);
      for (const { name } of engine.list().scenarios) {
        const revision = core.controller.currentRevision;
        const run = await engine.activate({ scenario: name, incident: { lon: 106.862, lat: 10.938 } }, person(AN));
        assert.equal(core.controller.currentRevision, revision + 1, name);
        assert.equal(run.steps.length, engine.list().scenarios.find((x) => x.name === name)!.procedure.length);
        engine.close({ runId: run.runId }, person(AN));
        assert.equal(core.controller.currentRevision, revision + 2, name);
        assert.deepEqual(core.controller.current.tiles, before, name);
      }
    } finally {
      await close();
    }
  });

  it('the two-person rule is the account, never a name: the account that did a step cannot confirm it under any name', { timeout: 30_000 }, async () => {
    const { engine, close } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: tempDir(), host: 'chromium' }, { dir: scenariosDir, tickMs: 0, watch: false });
    try {
      const an: Actor = { id: 'acct-an', role: 'commander', name: AN };
      const run = await engine.activate({ scenario: 'flood', incident: { lon: 106.871, lat: 10.928 } }, an);
      engine.step({ runId: run.runId, stepId: 'sound-siren', done: true }, an);
      // the same account under every name it could be shown with: another person's, its own with a
      // trailing space, decomposed (NFD), lower-cased, none, the other account's id as a name
      for (const name of [BINH, `${AN} `, AN.normalize('NFD'), AN.toLowerCase(), undefined, 'acct-binh']) {
        await rejectsWith(() => engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, { ...an, name }), 'forbidden');
      }
      // another account is a second person even if it carries An's very name: the id is the identity
      const binhNamedAn: Actor = { id: 'acct-binh', role: 'commander', name: AN };
      const confirmed = engine.confirm({ runId: run.runId, stepId: 'sound-siren' }, binhNamedAn).steps.find((s) => s.stepId === 'sound-siren')!;
      assert.equal(confirmed.state, 'done');
      assert.equal(confirmed.doneBy, 'acct-an');
      assert.equal(confirmed.confirmedBy, 'acct-binh');
    } finally {
      await close();
    }
  });

  it('starts the Monday briefing by itself at 08:00 and keeps it until a person closes it', { timeout: 30_000 }, async () => {
    const { engine, close } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: tempDir(), host: 'chromium' }, { dir: scenariosDir, tickMs: 0, watch: false, resumeGraceMs: 1000 });
    try {
      const monday8 = Date.UTC(2025, 8, 15, 1, 0); // Monday 15/09/2025 08:00 in Asia/Ho_Chi_Minh
      engine.tick(monday8 - 60_000);
      engine.tick(monday8 + 30_000);
      const run = await until(() => engine.picture().runs.find((r) => r.scenario === 'monday-briefing'), 'the briefing run', 5000);
      assert.equal(run.activatedBy, 'system');
      assert.ok(run.trigger);
      // Past the grace a restart would give a trigger to fire again (the engine's clock is the real one).
      engine.tick(Date.now() + 10_000);
      assert.equal(engine.picture().runs.find((r) => r.runId === run.runId)?.state, 'active', 'a schedule has nothing to clear');
    } finally {
      await close();
    }
  });

  it('reloads edited scenario files: a broken edit keeps the previous version and raises an alert naming file, line and field', { timeout: 30_000 }, async () => {
    const { core, engine, close, dir } = await startFloodOnlyCore();
    try {
      assert.deepEqual(engine.list().scenarios.map((s) => s.name), ['flood']);
      const text = readFileSync(join(dir, 'flood.yaml'), 'utf8');
      writeFileSync(join(dir, 'flood.yaml'), text.replace('forSeconds: 30', 'forSeconds: -5').replace('vi: Cảnh báo, ứng phó ngập lụt', 'vi: Ngập lụt (sửa)'));
      const errors = await until(() => (engine.list().errors.length > 0 ? engine.list().errors : false), 'the reload after the edit');
      assert.equal(errors[0]!.field, 'triggers[0].forSeconds');
      assert.ok(errors[0]!.line !== null && errors[0]!.line > 10);
      const kept = engine.list().scenarios.find((s) => s.name === 'flood')!;
      assert.equal(kept.title.vi, 'Cảnh báo, ứng phó ngập lụt', 'the previous valid version stays');
      assert.ok(core.alerts.list().some((a) => a.severity === 'warning' && a.title.vi.includes('flood.yaml') && a.title.vi.includes('triggers[0].forSeconds')));

      writeFileSync(join(dir, 'flood.yaml'), text.replace('vi: Cảnh báo, ứng phó ngập lụt', 'vi: Ngập lụt (sửa)'));
      await until(() => engine.list().scenarios[0]?.title.vi === 'Ngập lụt (sửa)', 'the fixed file');
      assert.deepEqual(engine.list().errors, []);

      // A file added later watches the live picture as it is: a fire already burning starts it.
      apply(core, [{ type: 'event', id: 'ev-chay-1', at: Date.now(), severity: 'critical', category: 'fire', title: { vi: 'Cháy kho hàng', en: 'Warehouse fire' }, location: { lat: 10.9531, lon: 106.9048 }, cleared: false }]);
      copyFileSync(join(scenariosDir, 'fire-rescue.yaml'), join(dir, 'fire-rescue.yaml'));
      const fire = await until(() => engine.picture().runs.find((r) => r.scenario === 'fire-rescue'), 'fire-rescue started by the fire it learnt of', 10_000);
      assert.deepEqual(fire.incident, { lon: 106.9048, lat: 10.9531, eventId: 'ev-chay-1' });
    } finally {
      await close();
    }
  });
});
