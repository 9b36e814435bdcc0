/** A core with the scenario engine started on it, as the runtime starts it, for tests that need no GIS or gateways. */
import { startCore, type Core, type CoreOptions } from '../../electron/node/core.js';
import type { ScenarioEngine } from '../../electron/node/scenarios/scenario-engine.js';
import { startScenarios, type ScenarioTuning } from '../../electron/node/scenarios/start-scenarios.js';

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
