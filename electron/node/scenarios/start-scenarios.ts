/**
 * Starts the scenario engine on a scenario folder over a running core and attaches it, so the
 * core answers scenarios.* with it. Whoever starts it disposes it (after core.attachScenarios(null)).
 * The runtime calls this, and so do tests that need an engine without GIS or gateways.
 */
import type { Core } from '../core.js';
import { ScenarioEngine, type ScenarioEngineOptions } from './scenario-engine.js';

/** The engine's timing (tests tick it by hand). */
export type ScenarioTuning = Pick<ScenarioEngineOptions, 'tickMs' | 'watch' | 'resumeGraceMs' | 'joinKm' | 'clock'>;

export function startScenarios(core: Core, options: { dir: string } & ScenarioTuning): ScenarioEngine {
  const { wall, controller, live, db, alerts, audit, attached, auth } = core;
  const engine = new ScenarioEngine({
    ...options,
    wall,
    controller,
    live,
    db,
    alerts,
    audit,
    duty: auth,
    field: attached.field,
    spatial: attached.spatial,
    indicators: attached.indicators,
    serving: () => attached.pair()?.serving() ?? true,
  });
  core.attachScenarios(engine);
  return engine;
}
