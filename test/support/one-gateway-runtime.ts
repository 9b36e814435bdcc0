/**
 * A wall host's runtime composed as the hosts compose it (startRuntime), with a gateways file
 * naming one test gateway on ephemeral ports, and a CURVE key pair for that gateway: for tests and
 * benchmarks that drive the host through a real gateway socket.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { defaultIndicatorsDir, defaultPresetsDir, defaultWallFile } from '../../electron/node/project-paths.js';
import { testScenariosDir } from './test-scenarios.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../electron/node/runtime.js';
import { SimGateway } from '../../sim/gateway.js';

export interface OneGatewayHost {
  gateway: { id: string; name: string; publicKey: string; secretKey: string };
  gatewaysFile: string;
  dataDir: string;
  /** `serve`: also serve HTTP and /ws (default none). */
  start(options?: Pick<RuntimeOptions, 'serve'>): Promise<Runtime>;
}

/** Writes the gateways file into dataDir; start() may be called again (a restart on the same data). */
export function oneGatewayHost(dataDir: string, id = 'gw-test'): OneGatewayHost {
  const gateway = { id, name: `Cổng thử ${id}`, ...zmq.curveKeyPair() };
  const gatewaysFile = join(dataDir, 'gateways.yaml');
  writeFileSync(
    gatewaysFile,
    [`bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }`, 'simulate: false', 'gateways:', `  - { id: ${id}, name: '${gateway.name}', publicKey: '${gateway.publicKey}' }`, ''].join('\n'),
  );
  return {
    gateway,
    gatewaysFile,
    dataDir,
    start: (options) =>
      startRuntime({
        host: 'chromium',
        wallFile: defaultWallFile,
        presetsDir: defaultPresetsDir,
        indicatorsDir: defaultIndicatorsDir,
        scenariosDir: testScenariosDir(),
        gatewaysFile,
        dataDir,
        serve: options?.serve ?? null,
        log: () => {},
      }),
  };
}

/** N rain gauges spread over a box around Biên Hòa, each a point of the map. */
export function manySensors(n: number, prefix = 's'): { type: 'sensor'; id: string; kind: 'rain'; name: string; commune: string; location: { lat: number; lon: number }; unit: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'sensor' as const,
    id: `${prefix}-${i}`,
    kind: 'rain' as const,
    name: `Trạm mưa ${i}`,
    commune: 'Phường Trấn Biên',
    location: { lat: 10.8 + ((i * 7919) % 1000) / 5000, lon: 106.7 + ((i * 104729) % 1000) / 5000 },
    unit: 'mm/h',
  }));
}

/** The reference gateway (sim/gateway.ts) holding `items` before it connects: its first snapshot carries them all. */
export function gatewayWith(host: OneGatewayHost, runtime: Runtime, items: ReturnType<typeof manySensors>): SimGateway {
  const sim = new SimGateway({
    id: host.gateway.id,
    name: host.gateway.name,
    endpoints: runtime.field.endpoints,
    hostPublicKey: runtime.field.hostPublicKey,
    keyPair: { publicKey: host.gateway.publicKey, secretKey: host.gateway.secretKey },
    helloRepeatMs: 500,
  });
  for (const item of items) sim.set(item);
  return sim;
}
