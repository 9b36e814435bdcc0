/**
 * Scenario safety on the real engine (a core on a SQLite file, the shipped scenario files, the
 * engine ticked by hand):
 * - a trigger that clears while procedure steps are open starts a countdown the commander is told
 *   of, instead of a silent revert; they may keep the wall, a firing that comes back cancels it, a
 *   pause holds it; with every step done the wall goes back at once, as before;
 * - a run that starts by itself is put in the charge of the person on duty — a signed-in
 *   commander before an operator, whose scope covers the incident — and with nobody on duty a
 *   critical alert asks someone to take it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ContractError, type Actor, type LiveSensor, type PersonRole, type Scope, type StateItem } from '../../native-bridge/contract.js';
import type { Core } from '../../electron/node/core.js';
import type { ItemChange } from '../../electron/node/gateway/gateway-hub.js';
import { layoutsDir } from '../../electron/node/project-paths.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { startScenarioCore } from '../support/scenario-core.js';
import { until } from '../support/page-wait.js';

const scenariosDir = join(layoutsDir, 'scenarios');
const GW = 'gw-demo-data';
const AN: Actor = { id: 'acct-an', role: 'commander', name: 'Nguyễn Văn An' };
const BINH: Actor = { id: 'acct-binh', role: 'commander', name: 'Trần Thị Bình' };
const station: LiveSensor = { id: 'mn-suoi-linh', gateway: GW, kind: 'water-level', name: 'Trạm mực nước suối Linh', commune: 'Phường Tam Hiệp', location: { lat: 10.927, lon: 106.87 }, unit: 'm', thresholds: { warning: 1.3, critical: 1.7 } };
const { gateway: _gateway, ...stationFields } = station;

function apply(core: Core, items: StateItem[]): void {
  core.live.apply(GW, items.map((item): ItemChange => ({ op: 'set', item })));
  core.live.flush();
}
const reading = (value: number, at: number): StateItem => ({ type: 'reading', id: station.id, value, at, extra: {} });
const fire = (cleared: boolean): StateItem => ({ type: 'event', id: 'ev-chay-1', at: Date.now(), severity: 'critical', category: 'fire', title: { vi: 'Cháy kho hàng', en: 'Warehouse fire' }, location: { lat: 10.9531, lon: 106.9048 }, cleared });

async function withEngine(test: (core: Core, engine: ScenarioEngine) => Promise<void>): Promise<void> {
  const { core, engine, close } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: tempDir(), host: 'chromium' }, { dir: scenariosDir, tickMs: 0, watch: false });
  try {
    await test(core, engine);
  } finally {
    await close();
  }
}

/** A flood run from the rising station (activated by An), the water then receding at t0 + 60 s. */
async function floodThatRecedes(core: Core, engine: ScenarioEngine, t0: number) {
  apply(core, [{ type: 'sensor', ...stationFields }, reading(1.5, t0)]);
  engine.tick(t0 + 31_000);
  const run = await engine.activate({ scenario: 'flood' }, AN);
  return {
    run,
    recede() {
      apply(core, [reading(0.8, t0 + 60_000)]);
      engine.tick(t0 + 61_000);
      return engine.picture().runs.find((r) => r.runId === run.runId)!;
    },
    state: () => engine.picture().runs.find((r) => r.runId === run.runId)!,
  };
}

/** An account signed in through the real sign-in (a session in the wall database). */
async function signedIn(core: Core, username: string, fullName: string, role: PersonRole, scope: Scope = { kind: 'province' }): Promise<void> {
  const password = `mật-khẩu-${username}-đủ-dài-lắm`;
  await core.auth.create({ username, fullName, role, scope, password }, { id: 'system', role: 'system' });
  const result = await core.auth.signIn({ username, password }, core.auth.newConnection());
  assert.equal(result.state, 'signed-in');
}

describe('scenario safety', () => {
  it('a trigger that clears with steps open counts down, told in an alert; a commander keeps the wall and it stays past the deadline until closed', { timeout: 30_000 }, async () => {
    await withEngine(async (core, engine) => {
      const t0 = Date.now();
      const flood = await floodThatRecedes(core, engine, t0);
      const revision = core.controller.currentRevision;
      const counting = flood.recede();
      assert.equal(counting.state, 'active');
      assert.equal(counting.revertAt, t0 + 61_000 + 120_000);
      const told = core.alerts.list().find((a) => a.source === 'scenario:flood' && a.title.vi.includes('bước chưa xong'));
      assert.ok(told, 'the commander is told');
      assert.match(told.title.vi, /còn 6 bước chưa xong: tường sẽ trở về bố cục trước sau 2 phút/);
      assert.equal(core.controller.currentRevision, revision, 'the wall stays during the countdown');

      const kept = engine.keep({ runId: flood.run.runId, note: 'Còn sơ tán' }, BINH);
      assert.equal(kept.state, 'awaiting-close');
      assert.equal(kept.revertAt, null);
      engine.tick(t0 + 61_000 + 200_000);
      assert.equal(flood.state().state, 'awaiting-close', 'kept: past the deadline it stays');
      assert.equal(core.controller.currentRevision, revision);
      // the checklist goes on: the open steps can still be done
      assert.equal(engine.step({ runId: flood.run.runId, stepId: 'verify', done: true }, AN).steps.find((s) => s.stepId === 'verify')?.state, 'done');
      assert.throws(() => engine.keep({ runId: flood.run.runId }, BINH), (e: unknown) => e instanceof ContractError && e.code === 'conflict');
      engine.close({ runId: flood.run.runId }, BINH);
      assert.equal(core.controller.currentRevision, revision + 1, 'closed: the wall goes back');
      const kinds = engine.log(flood.run.runId).map((e) => e.kind);
      assert.deepEqual(kinds.slice(kinds.indexOf('trigger-cleared')), ['trigger-cleared', 'revert-pending', 'wall-kept', 'awaiting-close', 'step-done', 'reverted', 'closed']);
      assert.equal(engine.log(flood.run.runId).find((e) => e.kind === 'wall-kept')?.actor, BINH.id);
    });
  });

  it('the countdown ends when the trigger fires again, a pause holds it, and with every step done the wall goes back at once', { timeout: 30_000 }, async () => {
    await withEngine(async (core, engine) => {
      const t0 = Date.now();
      const flood = await floodThatRecedes(core, engine, t0);
      assert.ok(flood.recede().revertAt);
      apply(core, [reading(1.6, t0 + 70_000)]);
      engine.tick(t0 + 71_000);
      engine.tick(t0 + 101_000); // held at warning for 30 s: the firing is back
      assert.equal(flood.state().revertAt, null, 'the water is back: no countdown');
      engine.tick(t0 + 500_000);
      assert.equal(flood.state().state, 'active');

      apply(core, [reading(0.7, t0 + 510_000)]);
      engine.tick(t0 + 511_000);
      assert.ok(flood.state().revertAt);
      engine.pause({ runId: flood.run.runId }, AN);
      assert.equal(flood.state().revertAt, null, 'a pause holds the automatic end');
      engine.tick(t0 + 900_000);
      assert.equal(flood.state().state, 'paused');
      const resumed = engine.resume({ runId: flood.run.runId }, AN);
      assert.ok(resumed.revertAt !== null && resumed.state === 'active', 'resumed with steps open: the countdown again');

      // every step done (the second person confirms), then the trigger clears: back at once
      for (const step of flood.state().steps) {
        if (step.state === 'pending') engine.step({ runId: flood.run.runId, stepId: step.stepId, done: true }, AN);
        if (flood.state().steps.find((s) => s.stepId === step.stepId)?.state === 'awaiting-confirmation') engine.confirm({ runId: flood.run.runId, stepId: step.stepId }, BINH);
      }
      apply(core, [reading(1.6, t0 + 920_000)]);
      engine.tick(t0 + 921_000);
      engine.tick(t0 + 951_000);
      assert.equal(flood.state().revertAt, null);
      apply(core, [reading(0.7, t0 + 960_000)]);
      engine.tick(t0 + 961_000);
      assert.equal(flood.state().state, 'cleared', 'nothing left open: no countdown');
    });
  });

  it('the procedure: a step done and reopened with its note, a two-person step confirmed only by another account, once', { timeout: 30_000 }, async () => {
    await withEngine(async (core, engine) => {
      const flood = await floodThatRecedes(core, engine, Date.now());
      const runId = flood.run.runId;
      const stepOf = (run: { steps: { stepId: string; state: string; doneBy: string | null; confirmedBy: string | null; note: string | null }[] }, id: string) => run.steps.find((s) => s.stepId === id)!;
      const kinds = () => engine.log(runId).map((l) => `${l.kind}${l.stepId ? `:${l.stepId}` : ''}`);

      const done = engine.step({ runId, stepId: 'verify', done: true, note: 'Đã kiểm tra tại chỗ' }, AN);
      assert.deepEqual([stepOf(done, 'verify').state, stepOf(done, 'verify').doneBy, stepOf(done, 'verify').note], ['done', AN.id, 'Đã kiểm tra tại chỗ']);
      const again = engine.step({ runId, stepId: 'verify', done: true }, BINH);
      assert.equal(stepOf(again, 'verify').doneBy, AN.id, 'a step done stays done by whoever did it');
      const reopened = engine.step({ runId, stepId: 'verify', done: false, note: 'Cần kiểm tra lại' }, BINH);
      assert.deepEqual([stepOf(reopened, 'verify').state, stepOf(reopened, 'verify').doneBy, stepOf(reopened, 'verify').note], ['pending', null, 'Cần kiểm tra lại']);
      const stillOpen = engine.step({ runId, stepId: 'verify', done: false }, BINH);
      assert.equal(stepOf(stillOpen, 'verify').note, 'Cần kiểm tra lại', 'reopening an open step changes nothing');

      assert.throws(() => engine.confirm({ runId, stepId: 'warn-residents' }, BINH), (e: unknown) => e instanceof ContractError && e.code === 'conflict', 'nothing to confirm before the step is done');
      const awaiting = engine.step({ runId, stepId: 'warn-residents', done: true }, AN);
      assert.equal(stepOf(awaiting, 'warn-residents').state, 'awaiting-confirmation');
      assert.throws(() => engine.confirm({ runId, stepId: 'warn-residents' }, AN), (e: unknown) => e instanceof ContractError && e.code === 'forbidden' && e.message.includes(AN.name!), 'who did it cannot confirm it');
      const confirmed = engine.confirm({ runId, stepId: 'warn-residents', note: 'Đã nghe loa' }, BINH);
      assert.deepEqual([stepOf(confirmed, 'warn-residents').state, stepOf(confirmed, 'warn-residents').doneBy, stepOf(confirmed, 'warn-residents').confirmedBy], ['done', AN.id, BINH.id]);
      assert.throws(() => engine.confirm({ runId, stepId: 'warn-residents' }, BINH), (e: unknown) => e instanceof ContractError && e.code === 'conflict', 'a step is confirmed once');
      assert.deepEqual(
        kinds().filter((k) => k.startsWith('step-')),
        ['step-done:verify', 'step-reopened:verify', 'step-done:warn-residents', 'step-confirmed:warn-residents'],
        'the log holds each change once, and none for a step left as it was',
      );
      const confirmedLine = engine.log(runId).find((l) => l.kind === 'step-confirmed')!;
      assert.deepEqual([confirmedLine.actor, (confirmedLine.data as { doneBy?: string }).doneBy], [BINH.id, AN.id]);
    });
  });

  it('a run that starts by itself is put in the charge of the signed-in commander on duty, told in an alert', { timeout: 30_000 }, async () => {
    await withEngine(async (core, engine) => {
      await signedIn(core, 'an.nv', 'Nguyễn Văn An', 'operator');
      await signedIn(core, 'chi.tt', 'Trần Thị Chi', 'commander', { kind: 'communes', communes: ['Phường Long Bình'] });
      await signedIn(core, 'binh.tt', 'Trần Thị Bình', 'commander');
      apply(core, [fire(false)]);
      engine.tick(Date.now());
      const run = await until(() => engine.picture().runs.find((r) => r.scenario === 'fire-rescue'), 'fire-rescue started by itself', 5000);
      assert.equal(run.activatedBy, 'system');
      assert.equal(run.handedTo, 'Trần Thị Bình', 'the province commander, not the operator nor the commune commander (the fire has no commune)');
      assert.ok(core.alerts.list().some((a) => a.title.vi.includes('tự kích hoạt: giao Trần Thị Bình (chỉ huy đang trực) phụ trách')));
      const line = engine.log(run.runId).find((e) => e.kind === 'handed-over');
      assert.equal(line?.actor, 'system');
      assert.match(line?.detail?.vi ?? '', /Trần Thị Bình/);
    });
  });

  it('with only an operator on duty the operator takes charge; with nobody, a critical alert asks someone to take it', { timeout: 30_000 }, async () => {
    await withEngine(async (core, engine) => {
      apply(core, [fire(false)]);
      engine.tick(Date.now());
      const run = await until(() => engine.picture().runs.find((r) => r.scenario === 'fire-rescue'), 'fire-rescue started by itself', 5000);
      assert.equal(run.handedTo, null);
      assert.ok(core.alerts.list().some((a) => a.severity === 'critical' && a.title.vi.includes('chưa có người phụ trách')), 'nobody on duty: a critical alert');
      const taken = engine.handover({ runId: run.runId, to: 'Trần Thị Bình' }, BINH);
      assert.equal(taken.handedTo, 'Trần Thị Bình', 'a commander takes it');
      engine.close({ runId: run.runId }, BINH);
    });
    await withEngine(async (core, engine) => {
      await signedIn(core, 'an.nv', 'Nguyễn Văn An', 'operator');
      apply(core, [fire(false)]);
      engine.tick(Date.now());
      const run = await until(() => engine.picture().runs.find((r) => r.scenario === 'fire-rescue'), 'fire-rescue started by itself', 5000);
      assert.equal(run.handedTo, 'Nguyễn Văn An');
      assert.ok(core.alerts.list().some((a) => a.title.vi.includes('Nguyễn Văn An (trực ban đang trực)')));
    });
  });
});
