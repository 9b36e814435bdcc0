/**
 * Real processes, real faults: the simulated province runs as its own process (`npm run sim`)
 * against a real host process. SIGSTOP freezes it (the kernel stops every thread, ZeroMQ's too):
 * the host must mark the gateway stale within 4 s, and bring it back live after SIGCONT. A
 * SIGKILLed gateway restarted with a new epoch is re-snapshotted.
 */
import { connectConsole } from '../support/accounts.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zmq from 'zeromq';
import type { GatewayLink } from '../../native-bridge/contract.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { projectRoot, tempDir } from '../support/fixtures.js';

const GATEWAY = 'gw-thuy-van';


describe('a frozen or killed gateway process', () => {
  const dataDir = tempDir('ioc-wall-freeze-');
  let host: HostProcess | undefined;
  let sim: ChildProcess | undefined;
  after(async () => {
    sim?.kill('SIGCONT');
    sim?.kill('SIGKILL');
    await host?.stop();
  });

  it('is marked stale within 4 s of SIGSTOP, recovers after SIGCONT, and is re-snapshotted after a restart', { timeout: 120_000 }, async () => {
    const keys = zmq.curveKeyPair();
    const gatewaysFile = join(dataDir, 'gateways.yaml');
    writeFileSync(
      gatewaysFile,
      `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\nsimulate: false\ngateways:\n  - { id: ${GATEWAY}, name: Thủy văn, publicKey: '${keys.publicKey}' }\n`,
    );
    host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });
    // the ports the host bound (it chose them: no other process can be holding them)
    const { updates, control } = host.runtime.gateways;
    const keysFile = join(dataDir, 'sim-keys.json');
    writeFileSync(keysFile, JSON.stringify({ [GATEWAY]: keys }), { mode: 0o600 });
    const simConfig = join(dataDir, 'sim.yaml');
    writeFileSync(
      simConfig,
      `endpoints: { updates: '${updates}', control: '${control}' }\nhostPublicKey: '${host.runtime.gateways.hostPublicKey}'\ngatewayKeysFile: ${keysFile}\nonly: [${GATEWAY}]\nrateScale: 4\n`,
    );
    const startSim = () => spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'sim', 'main.ts'), '--config', simConfig], { cwd: projectRoot, stdio: 'ignore' });

    const { client, transport } = await connectConsole(host.runtime, dataDir, 'viewer');
    const link = async (): Promise<GatewayLink> => (await client.call('live.snapshot', {})).links.find((l) => l.gateway === GATEWAY)!;
    const waitFor = async (state: GatewayLink['state'], timeoutMs: number): Promise<number> => {
      const started = Date.now();
      while ((await link()).state !== state) {
        if (Date.now() - started > timeoutMs) throw new Error(`gateway not ${state} within ${timeoutMs} ms (is ${(await link()).state})`);
        await sleep(50);
      }
      return Date.now() - started;
    };

    sim = startSim();
    await waitFor('live', 30_000);
    const sensors = (await client.call('live.snapshot', {})).sensors.filter((s) => s.gateway === GATEWAY).length;
    assert.ok(sensors > 0, 'the gateway published its sensors');

    sim.kill('SIGSTOP');
    const detectedMs = await waitFor('stale', 6000);
    assert.ok(detectedMs <= 4000, `stale detected after ${detectedMs} ms`);
    const staleLink = await link();
    sim.kill('SIGCONT');
    await waitFor('live', 15_000);

    sim.kill('SIGKILL');
    await waitFor('stale', 6000);
    sim = startSim();
    await waitFor('live', 30_000);
    const restarted = await link();
    assert.notEqual(restarted.epoch, staleLink.epoch, 'a restarted gateway has a new epoch');
    assert.ok(restarted.snapshots > staleLink.snapshots, 'and was re-snapshotted');
    const { sensors: after } = await client.call('live.snapshot', {});
    assert.equal(after.filter((s) => s.gateway === GATEWAY).length, sensors, 'the wall holds the same sensors after the restart');
    transport.close();
  });
});
