/** A core with the scenario engine started on it, as the runtime starts it, for tests that need no GIS or gateways. */
import { startCore, type Core, type CoreOptions } from '../../electron/node/core.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { startScenarios, type ScenarioTuning } from '../../electron/node/scenarios/start-scenarios.js';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultScenariosDir } from '../../electron/node/project-paths.js';
import { demoPresetsDir, demoWallFile, tempDir } from './fixtures.js';

export interface ScenarioCore {
  core: Core;
  engine: ScenarioEngine;
  close(): Promise<void>;
}

export async function startScenarioCore(options: CoreOptions, scenarios: { dir: string } & ScenarioTuning): Promise<ScenarioCore> {
  const core = await startCore(options);
  const engine = startScenarios(core, scenarios);
  return {
    core,
    engine,
    async close() {
      core.attachScenarios(null);
      engine.dispose();
      await core.close();
    },
  };
}

/** A scenario core on the demo wall in a new data folder whose own scenarios folder holds only a copy of flood.yaml (for tests that edit the folder). */
export async function startFloodOnlyCore(): Promise<ScenarioCore & { dir: string }> {
  const dataDir = tempDir();
  const dir = join(dataDir, 'scenarios');
  mkdirSync(dir);
  copyFileSync(join(defaultScenariosDir, 'flood.yaml'), join(dir, 'flood.yaml'));
  return { dir, ...(await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' }, { dir })) };
}
