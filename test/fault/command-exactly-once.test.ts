/**
 * Titanic delivery of field commands across a host crash: the host persists a command and sends
 * it; the gateway starts acting on it; the host is SIGKILLed before the acknowledgement arrives;
 * the restarted host resends the pending command and the gateway, seeing the id again, does not
 * act twice. Real host process, real ZeroMQ with CURVE, real SQLite.
 */
import { connectConsole } from '../support/accounts.js';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as zmq from 'zeromq';
import type { FieldCommand } from '../../native-bridge/contract.js';
import { SimGateway } from '../../sim/gateway.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { waitFor } from '../support/page-wait.js';


describe('field commands survive a host crash', () => {
  const dataDir = tempDir('ioc-wall-titanic-');
  let host: HostProcess | undefined;
  let gateway: SimGateway | undefined;
  after(async () => {
    await gateway?.stop();
    await host?.stop('SIGKILL');
  });

  it('is delivered exactly once when the host is SIGKILLed between persisted and acknowledged', { timeout: 120_000 }, async () => {
    const keyPair = zmq.curveKeyPair();
    const gatewaysFile = join(dataDir, 'gateways.yaml');
    const writeGateways = (updates: string, control: string) =>
      writeFileSync(
        gatewaysFile,
        [`bind: { updates: '${updates}', control: '${control}' }`, 'simulate: false', 'gateways:', `  - { id: gw-test, name: Cổng thử nghiệm, publicKey: '${keyPair.publicKey}' }`, ''].join('\n'),
      );
    writeGateways('tcp://127.0.0.1:*', 'tcp://127.0.0.1:*');
    host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });
    // The gateway keeps reconnecting to the address it knows, as a real one would: the restarted
    // host binds the ports this host chose (no port is picked and released before the first start).
    writeGateways(host.runtime.gateways.updates, host.runtime.gateways.control);

    const effects = new Map<string, number>();
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    gateway = new SimGateway({
      id: 'gw-test',
      name: 'Cổng thử nghiệm',
      endpoints: host.runtime.gateways,
      hostPublicKey: host.runtime.gateways.hostPublicKey,
      keyPair,
      onCommand: async (command: FieldCommand) => {
        effects.set(command.id, (effects.get(command.id) ?? 0) + 1);
        if (effects.size === 1) await firstHeld; // the siren sounds; the ack waits until the host is dead
        return { status: 'done' };
      },
    });
    await gateway.start();

    const { client, transport } = await connectConsole(host.runtime, dataDir);
    await waitFor('the gateway to be live', 20_000, async () => (await client.call('live.snapshot', {})).links.some((l) => l.gateway === 'gw-test' && l.state === 'live'));
    const { id } = await client.call('field.command', { gateway: 'gw-test', type: 'siren', target: 'siren-bien-hoa-1', params: { minutes: 5 } });
    transport.close();
    await waitFor('the gateway to act on the command', 20_000, async () => effects.get(id) === 1);

    await host.stop('SIGKILL');
    releaseFirst(); // the ACK goes to a dead host
    await waitFor('the gateway to send its acknowledgement', 10_000, async () => gateway!.stats.acks >= 1);
    host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });

    // the commander's session survives the crash: the new connection presents its token
    const second = await connectConsole(host.runtime, dataDir);
    // The restarted host finds the command in its outbox (persisted before the crash) and closes it.
    await waitFor('the restarted host to receive the acknowledgement', 30_000, async () =>
      (await second.client.call('alerts.list', {})).alerts.some((a) => a.source === 'field:gw-test' && a.title.vi === 'Lệnh hú còi tới siren-bien-hoa-1: đã thực hiện'),
    );
    second.transport.close();
    assert.equal(effects.get(id), 1, 'the gateway acted exactly once');
    assert.equal(effects.size, 1);
    // Whether the queued ACK reached the new host first or the host resent the command (and the
    // gateway answered it from its de-duplication memory), the effect happened once.
  });
});
