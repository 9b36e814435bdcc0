/**
 * The host's wiring for tests that run the simulated province against it in one process: core
 * with its scenario engine, field link (ZeroMQ, telemetry cache), GIS, and the province as a
 * separate set of gateways whose scripted incidents run faster than real time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zmq from 'zeromq';
import { gatewaysConfig } from '../../native-bridge/contract.js';
import type { Core } from '../../electron/node/core.js';
import { startFieldLink, type FieldLink } from '../../electron/node/field/field-link.js';
import { startGis, type GisService } from '../../electron/node/gis/gis-service.js';
import { parseYamlFile } from '../../electron/node/layout-files.js';
import { testScenariosDir } from './test-scenarios.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { demoGatewayDefinitions, startProvince, type ProvinceHandle } from '../../sim/province.js';
import { demoPresetsDir, demoWallFile, tempDir } from './fixtures.js';
import { startScenarioCore } from './scenario-core.js';

export interface ProvinceDemo {
  core: Core;
  engine: ScenarioEngine;
  field: FieldLink;
  gis: GisService;
  province: ProvinceHandle;
  close(): Promise<void>;
}

/** The host's wiring (core with its scenario engine, field link, GIS) and the province as a separate set of gateways. */
export async function startProvinceDemo(incidentTimeScale: number): Promise<ProvinceDemo> {
  const dataDir = tempDir();
  const keys = Object.fromEntries(demoGatewayDefinitions().map((g) => [g.id, zmq.curveKeyPair()]));
  const file = join(dataDir, 'gateways.yaml');
  const list = demoGatewayDefinitions().map((g) => `  - { id: ${g.id}, name: '${g.name}', publicKey: '${keys[g.id]!.publicKey}' }`);
  writeFileSync(file, `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\ngateways:\n${list.join('\n')}\n`);
  const { core, engine, close: closeCore } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' }, { dir: testScenariosDir(), watch: false });
  const field = await startFieldLink(core, parseYamlFile(file, gatewaysConfig), dataDir, () => {});
  const gis = await startGis({ dataDir, live: core.live, seedDemoDatasets: true, log: () => {} });
  core.attachSpatial(gis.spatial);
  const province = await startProvince({ endpoints: field.endpoints, hostPublicKey: field.hostPublicKey, gatewayKeys: keys, incidentTimeScale, rateScale: 10, reportEverySeconds: 0 });
  return {
    core,
    engine,
    field,
    gis,
    province,
    async close() {
      await province.stop();
      await field.close();
      core.attachSpatial(null);
      await gis.close();
      await closeCore();
    },
  };
}

export async function until<T>(probe: () => T | undefined | false, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

