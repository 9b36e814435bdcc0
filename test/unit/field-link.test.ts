/**
 * The field link end to end in one process: a gateway's readings reach the live state and the
 * telemetry cache; after a restart with the gateway gone, the last known state is drawn at once
 * from the cache, its link marked offline with the time it was last heard.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zmq from 'zeromq';
import { gatewaysConfig } from '../../native-bridge/contract.js';
import { startCore } from '../../electron/node/core.js';
import { startFieldLink } from '../../electron/node/field/field-link.js';
import { parseYamlFile } from '../../electron/node/layout-files.js';
import { SimGateway } from '../../sim/gateway.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';

describe('field link', () => {
  it('caches live readings and redraws them from the cache when every gateway is offline', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const keyPair = zmq.curveKeyPair();
    const file = join(dataDir, 'gateways.yaml');
    writeFileSync(file, `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\ngateways:\n  - { id: gw-a, name: Trạm A, publicKey: '${keyPair.publicKey}' }\n`);
    const config = parseYamlFile(file, gatewaysConfig);
    const quiet = () => {};

    const core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    const field = await startFieldLink(core, config, dataDir, quiet);
    const gateway = new SimGateway({ id: 'gw-a', name: 'Trạm A', endpoints: field.endpoints, hostPublicKey: field.hostPublicKey, keyPair });
    gateway.set({ type: 'sensor', id: 'muc-nuoc-1', kind: 'water-level', name: 'Mực nước cầu Hóa An', commune: 'Biên Hòa', location: { lat: 10.95, lon: 106.82 }, unit: 'm', thresholds: { warning: 2, critical: 3 } });
    await gateway.start();
    const readingAt = Date.now();
    gateway.set({ type: 'reading', id: 'muc-nuoc-1', at: readingAt, value: 2.35 });
    gateway.set({ type: 'event', id: 'ev-1', at: readingAt, severity: 'warning', category: 'flood', title: { vi: 'Mực nước vượt báo động 1', en: 'Water above alarm level 1' } });
    for (let i = 0; i < 100 && core.live.snapshot().readings.id.length === 0; i++) await sleep(100);
    core.live.flush();
    const live = core.live.snapshot();
    assert.deepEqual(live.readings, { id: ['muc-nuoc-1'], value: [2.35], at: [readingAt] });
    assert.equal(live.sensors[0]?.name, 'Mực nước cầu Hóa An');
    assert.equal(live.links.find((l) => l.gateway === 'gw-a')?.state, 'live');
    assert.ok(core.alerts.list().some((a) => a.id === 'gw-a/ev-1' && a.severity === 'warning'), 'gateway events become alerts');
    await gateway.stop();
    await field.close();
    await core.close();

    // Restart with the gateway gone.
    const core2 = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    const field2 = await startFieldLink(core2, config, dataDir, quiet);
    const cached = core2.live.snapshot();
    assert.deepEqual(cached.readings, { id: ['muc-nuoc-1'], value: [2.35], at: [readingAt] });
    assert.equal(cached.sensors[0]?.commune, 'Biên Hòa');
    const link = cached.links.find((l) => l.gateway === 'gw-a')!;
    assert.equal(link.state, 'offline');
    assert.ok(link.lastHeard !== null && link.lastHeard >= readingAt, 'the wall can say how old the data is');
    await field2.close();
    await core2.close();
  });
});
