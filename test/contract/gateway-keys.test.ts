/**
 * The gateways' allow-list at run time, through a host runtime composed as the hosts compose it:
 * a technician (a real account) reads the host key and the gateways' key fingerprints by name,
 * rotates a gateway's key by editing the gateways file and reloading it (gateways.reload, and
 * SIGHUP) without a restart; a malformed file is refused with an error naming it, the old list
 * stays; an operator may do neither.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as zmq from 'zeromq';
import { keyFingerprint } from '../../native-bridge/gateway-auth/message-mac.js';
import type { Runtime } from '../../electron/node/runtime.js';
import { SimGateway } from '../../sim/gateway.js';
import { createAccount, helloAsConsole } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith, type Connection } from '../support/harness.js';
import { oneGatewayHost, type OneGatewayHost } from '../support/one-gateway-runtime.js';

async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('gateway keys and reloading the allow-list', () => {
  let host: OneGatewayHost;
  let runtime: Runtime;
  let technician: Connection;
  let operator: Connection;
  const gateways: SimGateway[] = [];
  before(async () => {
    host = oneGatewayHost(tempDir('ioc-wall-gateway-keys-'));
    runtime = await host.start();
    technician = connectInMemory(runtime.core);
    await helloAsConsole(technician.client, await createAccount(host.dataDir, 'technician'));
    operator = connectInMemory(runtime.core);
    await helloAsConsole(operator.client, await createAccount(host.dataDir, 'operator'));
  });
  after(async () => {
    for (const gateway of gateways) await gateway.stop();
    await runtime.close();
  });
  const gatewayOn = (keyPair: { publicKey: string; secretKey: string }) => {
    const sim = new SimGateway({ id: host.gateway.id, name: host.gateway.name, endpoints: runtime.field.endpoints, hostPublicKey: runtime.field.hostPublicKey, keyPair, helloRepeatMs: 300 });
    gateways.push(sim);
    return sim;
  };
  const linkState = () => runtime.field.hub.links().find((l) => l.gateway === host.gateway.id)?.state;

  it('a technician sees the host key and each gateway by name with its key fingerprint; an operator is refused', async () => {
    const keys = await technician.client.call('gateways.keys', {});
    assert.equal(keys.host.publicKey, runtime.field.hostPublicKey);
    assert.equal(keys.host.fingerprint, keyFingerprint(runtime.field.hostPublicKey));
    assert.deepEqual(keys.gateways, [{ gateway: host.gateway.id, name: host.gateway.name, state: 'offline', keys: [{ role: 'current', fingerprint: keyFingerprint(host.gateway.publicKey) }] }]);
    await rejectsWith(operator.client.call('gateways.keys', {}), 'forbidden');
    await rejectsWith(operator.client.call('gateways.reload', {}), 'forbidden');
  });

  it('rotates a key without a restart (console reload, then SIGHUP); a malformed file is refused and the old list stays', { timeout: 60_000 }, async () => {
    const old = gatewayOn(host.gateway);
    await old.start();
    await waitFor(() => linkState() === 'live', 'live on the current key');
    const original = readFileSync(host.gatewaysFile, 'utf8');
    // a function, not a string: Z85 keys hold '$', and "$'" or "$&" in a replacement string would be expanded
    const withKeys = (text: string, keys: string) => text.replace(`publicKey: '${host.gateway.publicKey}'`, () => keys);
    const next = zmq.curveKeyPair();
    // 1. a typo: refused, naming the file; nothing changes
    writeFileSync(host.gatewaysFile, withKeys(original, `publicKey: '${host.gateway.publicKey}', nextPublicKy: '${next.publicKey}'`));
    await assert.rejects(technician.client.call('gateways.reload', {}), (error: Error) => /gateways\.yaml.*stay as they were/.test(error.message));
    assert.equal((await technician.client.call('gateways.keys', {})).gateways[0]!.keys.length, 1);
    assert.ok(runtime.core.alerts.list().some((a) => a.title.vi.startsWith('Không nạp lại được danh sách cổng kết nối')));
    // 2. the next key registered alongside the current one
    writeFileSync(host.gatewaysFile, withKeys(original, `publicKey: '${host.gateway.publicKey}', nextPublicKey: '${next.publicKey}'`));
    const reloaded = await technician.client.call('gateways.reload', {});
    assert.deepEqual(reloaded, { added: [], removed: [], changed: [{ gateway: host.gateway.id, name: host.gateway.name }] });
    const during = await technician.client.call('gateways.keys', {});
    assert.deepEqual(
      during.gateways[0]!.keys.map((k) => k.role),
      ['current', 'next'],
    );
    assert.equal(during.gateways[0]!.state, 'live', 'the gateway on its old key goes on');
    // 3. the gateway switches to its next key
    await old.stop();
    const rotated = gatewayOn({ publicKey: next.publicKey, secretKey: next.secretKey });
    rotated.set({ type: 'sensor', id: 'rain-rotated', kind: 'rain', name: 'Trạm mưa sau đổi khóa', commune: 'Phường Trấn Biên', location: { lat: 10.95, lon: 106.82 }, unit: 'mm/h' });
    await rotated.start();
    await waitFor(() => runtime.field.hub.items(host.gateway.id).some((i) => i.id === 'rain-rotated'), 'live on the next key');
    // 4. the old key dropped, by SIGHUP this time
    writeFileSync(host.gatewaysFile, withKeys(original, `publicKey: '${next.publicKey}'`));
    process.kill(process.pid, 'SIGHUP');
    await waitFor(async () => (await technician.client.call('gateways.keys', {})).gateways[0]!.keys[0]!.fingerprint === keyFingerprint(next.publicKey), 'the SIGHUP reload');
    const refusals = runtime.field.hub.stats().zapRefusals;
    const stale = gatewayOn(host.gateway);
    await stale.start();
    await waitFor(() => runtime.field.hub.stats().zapRefusals > refusals, 'the old key refused');
    assert.equal(linkState(), 'live');
    // every reload is in the audit log: who (the technician, or the host for SIGHUP) and what changed
    const reloads = runtime.core.audit.list({ action: 'gateway.reload', limit: 10 }).entries.reverse();
    assert.deepEqual(
      reloads.map((e) => [e.action, e.actor.kind, e.actor.role]),
      [
        ['gateway.reload.refused', 'account', 'technician'],
        ['gateway.reload', 'account', 'technician'],
        ['gateway.reload', 'system', null],
      ],
    );
    assert.deepEqual(reloads[1]!.details?.changed, [host.gateway.id]);
  });
});
