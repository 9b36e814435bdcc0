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
import { until } from '../support/page-wait.js';

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
    await until(() => core.live.snapshot().readings.id.length > 0, 'the reading in the live picture', 10_000);
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

  it('a siren that outlives its TTL while the gateway is away is never sounded, and the operator is told by name', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const keyPair = zmq.curveKeyPair();
    const file = join(dataDir, 'gateways.yaml');
    writeFileSync(
      file,
      `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\ncommandTtlSeconds: { siren: 1 }\ngateways:\n  - { id: gw-a, name: Trạm Biên Hòa, publicKey: '${keyPair.publicKey}' }\n`,
    );
    const config = parseYamlFile(file, gatewaysConfig);
    const core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    const field = await startFieldLink(core, config, dataDir, () => {});
    const gatewayAt = () => new SimGateway({ id: 'gw-a', name: 'Trạm Biên Hòa', endpoints: field.endpoints, hostPublicKey: field.hostPublicKey, keyPair });
    const link = () => core.live.snapshot().links.find((l) => l.gateway === 'gw-a')?.state;
    // The gateway tells the host the siren's name, then goes away.
    const first = gatewayAt();
    first.set({ type: 'sensor', id: 'coi-hoa-an', kind: 'fire-alarm', name: 'Còi báo động cầu Hóa An', commune: 'Biên Hòa', location: { lat: 10.95, lon: 106.82 }, unit: '' });
    await first.start();
    await until(() => link() === 'live', 'the gateway live', 10_000);
    await first.stop();
    await until(() => link() !== 'live', 'the gateway gone', 10_000);

    const port = core.attached.field()!;
    const outcomes: string[] = [];
    port.onAck((_gw, ack) => outcomes.push(ack.status));
    const siren = { id: 'siren-00000001', type: 'siren' as const, target: 'coi-hoa-an', params: { durationS: 300 }, issuedAt: Date.now(), issuedBy: 'truc-ban-01' };
    await port.send('gw-a', siren);
    const expiredAlert = () => core.alerts.list().find((a) => a.source === 'field:gw-a' && a.title.vi.includes('quá hạn'));
    await until(expiredAlert, 'the expiry alert', 5_000);
    assert.deepEqual(expiredAlert()?.title, {
      vi: 'Lệnh hú còi tới Còi báo động cầu Hóa An qua Trạm Biên Hòa không được gửi: quá hạn 1 giây',
      en: 'Siren command to Còi báo động cầu Hóa An via Trạm Biên Hòa not delivered: expired after 1 second',
    });
    assert.equal(expiredAlert()?.severity, 'warning');
    assert.equal(port.ackOf(siren.id)?.status, 'expired');
    assert.deepEqual(outcomes, ['expired']);

    // Back again: the hub sweeps every 250 ms, the siren stays silent.
    const second = gatewayAt();
    await second.start();
    await until(() => link() === 'live', 'the gateway live again', 10_000);
    // a sleep, not a wait: the siren staying silent is nothing happening; four of the hub's 250 ms sweeps pass
    await sleep(1000);
    assert.equal(second.stats.commands, 0, 'the gateway never got the late siren');
    await second.stop();
    await field.close();
    await core.close();
  });
});
