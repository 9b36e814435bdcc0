/**
 * Both hosts start through one runtime, composed exactly as their entries compose it: the command
 * line parsed by the one parser, turned into options by launch/compose.ts (where the simulated
 * province is plugged in), then startRuntime — the Electron shell adds only windows and IPC, the
 * Chromium host windows and its WebSocket. For each host, gateway data, GIS, indicators and
 * scenarios must all answer a window through that host's own transport.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractClient } from '../../native-bridge/channel.js';
import { startChromiumHost } from '../../electron/node/chromium-host/host.js';
import { layoutsDir, rendererDist } from '../../electron/node/project-paths.js';
import { parseHostArgs } from '../../electron/node/runtime-options.js';
import { startRuntime } from '../../electron/node/runtime.js';
import { createAccount, helloAsConsole } from '../support/accounts.js';
import { chromiumHostOptions, electronRuntimeOptions } from '../../launch/compose.js';
import { simulatedGatewaysFile, tempDir } from '../support/fixtures.js';
import { connectAsElectronWindow } from '../support/harness.js';
import { connectNodeClient } from '../support/ws-client.js';
import { waitFor } from '../support/page-wait.js';
import { testScenariosDir } from '../support/test-scenarios.js';

/** What every wall host must answer once its runtime runs on the simulated province. */
async function everyServiceAnswers(client: ContractClient, dataDir: string): Promise<void> {
  const hello = await helloAsConsole(client, await createAccount(dataDir, 'viewer'));
  assert.equal(hello.actor?.role, 'viewer');
  // gateway data: the simulated gateways' sensors and cameras reach the live picture through the ZeroMQ link
  const live = await waitFor('gateway data in the live picture', 60_000, async () => {
    const snapshot = await client.call('live.snapshot', {});
    return snapshot.sensors.length > 20 && snapshot.cameras.length >= 16 && snapshot.links.some((l) => l.state === 'live') ? snapshot : undefined;
  });
  assert.ok(live.readings.id.length > 0, 'readings');
  // GIS: the demo datasets (seeded because the gateways file simulates) and the spatial index over the field
  const { datasets } = await client.call('gis.datasets', {});
  assert.ok(datasets.some((d) => d.name === 'communes'), datasets.map((d) => d.name).join());
  const camera = live.cameras[0]!;
  const nearby = await waitFor('the spatial index knowing the cameras', 60_000, async () => {
    const result = await client.call('gis.query', { shape: { type: 'radius', lon: camera.location.lon, lat: camera.location.lat, radiusM: 500 }, filter: { layers: ['camera'] }, groupBy: [], limit: 10 });
    return result.items.length > 0 ? result : undefined;
  });
  assert.ok(nearby.items.some((i) => i.id === `camera:${camera.id}`));
  // indicators and scenarios
  const { indicators } = await client.call('indicators.list', {});
  assert.ok(indicators.length > 0);
  const { scenarios } = await client.call('scenarios.list', {});
  assert.ok(scenarios.some((s) => s.name === 'flood'));
  // from the folder --scenarios named (the tests' own, without the clock-started briefing)
  assert.ok(!scenarios.some((s) => s.name === 'monday-briefing'), 'the --scenarios folder, not layouts/scenarios');
}

describe('one runtime for both hosts', () => {
  it('the Electron entry: same options as npm start, the simulated province from the gateways file, served over IPC', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    // argv as Electron gives it past the app path; defaults as the unpackaged shell passes them
    const args = parseHostArgs(['--gateways', simulatedGatewaysFile, '--scenarios', testScenariosDir(), '--data-dir', dataDir], {}, { layoutsDir, dataDir: '/nowhere/userData' });
    const runtime = await startRuntime(electronRuntimeOptions(args, rendererDist, () => {}));
    try {
      assert.equal(runtime.core.status().host, 'electron');
      assert.equal(runtime.server, null, 'no HTTP unless --listen asks for it');
      assert.ok(runtime.simulation, 'the simulated province runs because the gateways file says so');
      const win = connectAsElectronWindow(runtime.core, 'console');
      await everyServiceAnswers(win.client, dataDir);
      win.relay.close();
    } finally {
      await runtime.close();
    }
  });

  it('the Chromium host entry: the same runtime, served over WebSocket', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const args = parseHostArgs(['--gateways', simulatedGatewaysFile, '--scenarios', testScenariosDir(), '--data-dir', dataDir, '--windows', 'none'], {});
    const host = await startChromiumHost(chromiumHostOptions(args, rendererDist, () => {}));
    try {
      assert.equal(host.core.status().host, 'chromium');
      assert.ok(host.simulation);
      const { client, transport } = await connectNodeClient(host.baseUrl);
      await everyServiceAnswers(client, dataDir);
      transport.close();
    } finally {
      await host.close();
    }
  });

  it('a runtime started without a simulated province refuses a gateways file that asks for one, naming the file', async () => {
    const dataDir = tempDir();
    const args = parseHostArgs(['--gateways', simulatedGatewaysFile, '--data-dir', dataDir], {}, { layoutsDir, dataDir });
    await assert.rejects(startRuntime({ ...electronRuntimeOptions(args, rendererDist, () => {}), simulator: undefined }), (error: Error) => error.message.includes('simulate: true') && error.message.includes(simulatedGatewaysFile));
  });
});
