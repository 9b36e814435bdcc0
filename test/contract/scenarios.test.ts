/**
 * The scenario methods and events over the in-memory and the WebSocket transports, against a real
 * core running the scenario engine on layouts/scenarios (real SQLite file). Display windows read,
 * the console acts; every window hears scenarios.changed.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type EventOf, type WallPatchEvent } from '../../native-bridge/contract.js';
import { testScenariosDir } from '../support/test-scenarios.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { inMemoryHarness, nextEvent, rejectsWith, webSocketHarness, type Harness } from '../support/harness.js';
import { startScenarioCore } from '../support/scenario-core.js';
import { chromiumPdfPrinter } from '../../electron/node/chromium-host/pdf-printer.js';
import { createAccount, helloAsConsole } from '../support/accounts.js';

async function inMemoryScenarioCore(): Promise<Harness> {
  const dataDir = tempDir();
  const { core, close } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium', pdfPrinter: chromiumPdfPrinter() }, { dir: testScenariosDir(), watch: false });
  return inMemoryHarness(core, close, dataDir);
}

for (const [name, make] of [
  ['in-memory', inMemoryScenarioCore],
  ['websocket', webSocketHarness],
] as const) {
  describe(`scenario contract over ${name}`, () => {
    let harness: Harness;
    before(async () => (harness = await make()));
    after(async () => harness.close());

    it('lists the built-in scenarios with their procedure and the layout each applies', async () => {
      const { client, transport } = await harness.display('r0c0');
      const { scenarios, errors } = await client.call('scenarios.list', {});
      assert.deepEqual(errors, []);
      assert.equal(scenarios.length, readdirSync(testScenariosDir()).length, 'every scenario of the folder');
      const flood = scenarios.find((s) => s.name === 'flood')!;
      assert.equal(flood.title.vi, 'Cảnh báo, ứng phó ngập lụt');
      assert.equal(flood.activation, 'suggest');
      assert.equal(flood.onClear, 'revert');
      assert.deepEqual(flood.cameras, { tileId: 'flood-cameras', nearest: 9, withinKm: 5 });
      assert.ok(flood.tiles.some((t) => t.id === 'flood-map' && t.kind === 'map'));
      const siren = flood.procedure.find((s) => s.id === 'sound-siren')!;
      assert.equal(siren.needsConfirmation, true);
      assert.deepEqual(siren.command, { gateway: 'gw-thuy-van', type: 'siren', target: 'coi-tam-hiep', params: { durationS: 300 } });
      assert.equal(scenarios.find((s) => s.name === 'fire-rescue')?.activation, 'auto');
      assert.deepEqual(await client.call('scenarios.runs', {}), { suggestions: [], runs: [] });
      transport.close();
    });

    it('lets the console run a scenario that every window hears about; display windows may only read; the two-person rule is two accounts', async () => {
      const an = await createAccount(harness.dataDir, 'commander', { fullName: 'Nguyễn Văn An' });
      const binh = await createAccount(harness.dataDir, 'commander', { fullName: 'Trần Thị Bình' });
      const console_ = await harness.connect();
      const second = await harness.connect();
      const display = await harness.display('r1c0');
      await helloAsConsole(console_.client, an);
      await helloAsConsole(second.client, binh);

      await rejectsWith(display.client.call('scenarios.activate', { scenario: 'fire-rescue' }), 'forbidden');
      await rejectsWith(console_.client.call('scenarios.activate', { scenario: 'no-such' }), 'not-found', 'scenario');
      await rejectsWith(console_.transport.invoke('scenarios.activate', { scenario: 'flood', incident: { lon: 200, lat: 10 } }), 'invalid', 'payload.incident.lon');

      const heard = nextEvent<EventOf<'scenarios.changed'>>((cb) => display.client.on('scenarios.changed', cb), (p) => p.runs.length > 0);
      const patched = nextEvent<WallPatchEvent>((cb) => display.client.on('wall.patch', cb));
      const incident = { lon: 106.9048, lat: 10.9531, commune: 'Phường Long Bình' };
      const { run } = await console_.client.call('scenarios.activate', { scenario: 'fire-rescue', incident });
      assert.equal(run.state, 'active');
      assert.equal(run.activatedBy, an.id);
      assert.deepEqual(run.incident, incident);
      assert.equal((await patched).revision, run.revision, 'one revision for the whole layout');
      assert.equal((await heard).runs[0]?.runId, run.runId);

      await rejectsWith(display.client.call('scenarios.step', { runId: run.runId, stepId: 'verify', done: true }), 'forbidden');
      const { run: stepped } = await console_.client.call('scenarios.step', { runId: run.runId, stepId: 'close-out', done: true });
      assert.equal(stepped.steps.find((s) => s.stepId === 'close-out')?.state, 'awaiting-confirmation');
      // the attack: the same socket confirms under another typed name; the name is no longer part of any request
      for (const field of ['operator', 'actor', 'by', 'name', 'person', 'confirmedBy', 'user', 'accountId']) {
        for (const typed of ['Trần Thị Bình', 'Trần Thị Bình'.normalize('NFD'), 'Trần Thị Bình ', binh.id, { id: binh.id, role: 'commander' }]) {
          await rejectsWith(console_.transport.invoke('scenarios.confirm', { runId: run.runId, stepId: 'close-out', [field]: typed }), 'invalid');
        }
      }
      // nor can the connection say who it is in another hello
      await rejectsWith(console_.transport.invoke('session.hello', { window: 'console', actor: { id: binh.id, role: 'commander' } }), ['invalid', 'forbidden']);
      await rejectsWith(console_.client.call('scenarios.confirm', { runId: run.runId, stepId: 'close-out' }), 'forbidden', 'stepId');
      // nor does a second session of the same account count as a second person
      const anAgain = await harness.connect();
      await helloAsConsole(anAgain.client, { ...an, token: null });
      await rejectsWith(anAgain.client.call('scenarios.confirm', { runId: run.runId, stepId: 'close-out' }), 'forbidden', 'stepId');
      anAgain.transport.close();
      const { run: confirmed } = await second.client.call('scenarios.confirm', { runId: run.runId, stepId: 'close-out' });
      assert.equal(confirmed.steps.find((s) => s.stepId === 'close-out')?.confirmedBy, binh.id);
      await rejectsWith(console_.client.call('scenarios.step', { runId: run.runId, stepId: 'no-such-step', done: true }), 'not-found', 'stepId');
      // No gateway answers here: the command is refused, and the run says so.
      await rejectsWith(console_.client.call('scenarios.command', { runId: run.runId, stepId: 'dispatch-fire-trucks' }), 'invalid', 'stepId');
      await console_.client.call('scenarios.step', { runId: run.runId, stepId: 'sound-siren', done: true });
      await second.client.call('scenarios.confirm', { runId: run.runId, stepId: 'sound-siren' });
      await rejectsWith(second.client.call('scenarios.command', { runId: run.runId, stepId: 'sound-siren' }), ['not-found', 'invalid']);

      const { run: escalated } = await second.client.call('scenarios.escalate', { runId: run.runId });
      assert.equal(escalated.escalationLevel, 1);
      assert.equal((await console_.client.call('scenarios.pause', { runId: run.runId })).run.state, 'paused');
      assert.equal((await console_.client.call('scenarios.resume', { runId: run.runId })).run.state, 'active');
      assert.equal((await console_.client.call('scenarios.handover', { runId: run.runId, to: 'Lê Minh Tuấn' })).run.handedTo, 'Lê Minh Tuấn');
      const { run: closed } = await console_.client.call('scenarios.close', { runId: run.runId });
      assert.equal(closed.state, 'closed');
      await rejectsWith(console_.client.call('scenarios.pause', { runId: run.runId }), 'conflict', 'runId');

      const { entries } = await display.client.call('scenarios.log', { runId: run.runId });
      assert.equal(entries[0]?.kind, 'activated');
      // the figures are gathered after activation (spatial queries): steps done meanwhile may come first
      assert.ok(entries.some((e) => e.kind === 'figures'), 'the figures taken at activation are in the log');
      assert.ok(entries.some((e) => e.kind === 'step-confirmed' && e.actor === binh.id));
      assert.equal(entries.at(-1)?.kind, 'closed');
      const { html, fileName } = await display.client.call('scenarios.report', { runId: run.runId });
      assert.match(fileName, /^bao-cao-fire-rescue-/);
      assert.match(html, /<html lang="vi">/);
      assert.match(html, /Báo cáo sau sự cố: Cháy nổ, cứu nạn cứu hộ/);
      assert.match(html, /Diễn biến \/ Timeline/);
      // the revision it names is said to be the one that applied the scenario's layout (not the wall's latest)
      assert.ok(html.includes(`Wall revision that applied the scenario layout</th><td>${run.revision}</td>`), 'the report names the revision that applied the layout, as such');

      // the same report printed to PDF by the host's own Chromium, for people only
      const printed = await console_.client.call('scenarios.reportPdf', { runId: run.runId });
      const pdf = Buffer.from(printed.pdf, 'base64');
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
      assert.ok(/\/Type\s*\/Page[^s]/.test(pdf.toString('latin1')), 'with at least one page');
      assert.equal(printed.fileName, fileName.replace(/\.html$/, '.pdf'));
      await rejectsWith(display.client.call('scenarios.reportPdf', { runId: run.runId }), 'forbidden');
      await rejectsWith(console_.client.call('scenarios.reportPdf', { runId: 'no-such' }), 'not-found', 'runId');

      await rejectsWith(console_.client.call('scenarios.dismiss', { suggestionId: 'no-such' }), 'not-found', 'suggestionId');
      await rejectsWith(console_.client.call('scenarios.report', { runId: 'no-such' }), 'not-found', 'runId');
      const { runs } = await display.client.call('scenarios.runs', {});
      assert.equal(runs.find((r) => r.runId === run.runId)?.state, 'closed');
      console_.transport.close();
      second.transport.close();
      display.transport.close();
    });
  });
}
