/**
 * A data folder as a wall leaves it after running on the simulated province: the host with the
 * demo gateways (the embedded province, faster than real time) fills its telemetry cache, then
 * stops. A gateways file naming the same gateways without running them brings a host up on that
 * folder with every link down: what it shows is the cache (cold-start bench, cached-live e2e).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChromiumHost } from '../../electron/node/chromium-host/host.js';
import { loadOrCreateKeyPair } from '../../electron/node/gateway/keys.js';
import { defaultPresetsDir, defaultWallFile, rendererDist } from '../../electron/node/project-paths.js';
import { embeddedProvince } from '../../sim/embedded.js';
import { demoGatewayDefinitions, demoSensors } from '../../sim/province/inventory.js';
import { testScenariosDir } from './test-scenarios.js';

/** Readings the demo province's sensors publish in an hour at the real rate (each sensor every periodMs). */
export const demoReadingsPerHour = (): number => Math.round(demoSensors().reduce((n, s) => n + 3_600_000 / s.periodMs, 0));

export interface DemoTraffic {
  /** Rows of the cache's readings time series, and sensors with a latest reading in the host's picture. */
  readings: number;
  sensors: number;
  seconds: number;
  rate: number;
}

export interface DemoTrafficOptions {
  /** Readings to wait for in the cache's time series. */
  readings: number;
  /** The gateways file's `simulationRate` (sensors publish this many times as often). */
  rate: number;
  /** Headless windows leave their profiles (with each display's credential) in the folder, as a running wall does. */
  windows: 'headless' | 'none';
  timeoutMs: number;
  progress?: (line: string) => void;
}

/** Runs the host on `dataDir` with the simulated province until its cache holds `readings` readings, then stops it cleanly. */
export async function fillFromDemoTraffic(dataDir: string, gatewaysDir: string, options: DemoTrafficOptions): Promise<DemoTraffic> {
  const gatewaysFile = join(gatewaysDir, 'gateways-demo-traffic.yaml');
  // no cameras served: the cache records the cameras the gateways declare, not their footage
  writeFileSync(gatewaysFile, ["bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }", 'simulate: true', `simulationRate: ${options.rate}`, ''].join('\n'));
  const started = Date.now();
  const host = await startChromiumHost({
    wallFile: defaultWallFile,
    presetsDir: defaultPresetsDir,
    scenariosDir: testScenariosDir(),
    gatewaysFile,
    simulator: embeddedProvince,
    dataDir,
    rendererDir: rendererDist,
    windows: options.windows,
    log: () => {},
  });
  try {
    let readings = 0;
    for (;;) {
      readings = (await host.field.cache.stats()).rows.readings;
      if (readings >= options.readings) break;
      if (Date.now() - started > options.timeoutMs) throw new Error(`the cache held ${readings} of ${options.readings} readings after ${options.timeoutMs} ms of demo traffic`);
      options.progress?.(`demo traffic: ${readings}/${options.readings} readings cached`);
      // nothing tells when a batch commits from outside the cache; its stats every second are cheap
      await sleep(1000);
    }
    await host.field.cache.flush();
    const sensors = host.core.live.snapshot().readings.id.length;
    return { readings: (await host.field.cache.stats()).rows.readings, sensors, seconds: Math.round((Date.now() - started) / 1000), rate: options.rate };
  } finally {
    await host.close();
  }
}

/** A gateways file naming the demo gateways with the keys the filled folder gave them, none of them running: every link is down. */
export function offlineDemoGatewaysFile(dataDir: string, gatewaysDir: string): string {
  const file = join(gatewaysDir, 'gateways-offline.yaml');
  const list = demoGatewayDefinitions().map(({ id, name }) => `  - { id: ${id}, name: '${name}', publicKey: '${loadOrCreateKeyPair(join(dataDir, 'keys', 'sim', `${id}.json`)).publicKey}' }`);
  writeFileSync(file, ["bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }", 'simulate: false', 'gateways:', ...list, ''].join('\n'));
  return file;
}
