/**
 * The console's picture of the scenario engine: definitions (scenarios.list, with file errors),
 * suggestions and runs (scenarios.runs, then every scenarios.changed), and the last error an
 * action got back. Loaded when the first scenario component mounts and after every reconnect.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { ContractError, type ScenarioSummary } from '../../../native-bridge/contract.js';
import type { ScenarioFileError, ScenarioRun, ScenarioSuggestion } from '../../../native-bridge/scenario-run.js';
import { session } from '../../session/session.js';

export interface ScenarioActionError {
  /** The contract's error code ('conflict', 'forbidden', …) or 'internal' for anything else. */
  code: string;
  message: string;
  /** What the operator was doing, already translated. */
  action: string;
  at: number;
}

export type ScenarioTab = 'runs' | 'launcher' | 'incidents';

export interface ScenariosState {
  scenarios: ScenarioSummary[];
  fileErrors: ScenarioFileError[];
  suggestions: ScenarioSuggestion[];
  runs: ScenarioRun[];
  loaded: boolean;
  error: ScenarioActionError | null;
  /** The panel's tab and the run it shows (the banner and the launcher open a run they started). */
  tab: ScenarioTab;
  selectedRunId: string | null;
}

export const scenariosStore = createStore<ScenariosState>()(() => ({ scenarios: [], fileErrors: [], suggestions: [], runs: [], loaded: false, error: null, tab: 'launcher', selectedRunId: null }));

/** Shows a run's checklist in the panel. */
export function showRun(runId: string): void {
  scenariosStore.setState({ tab: 'runs', selectedRunId: runId });
}

let started = false;

async function load(attempt = 0): Promise<void> {
  try {
    const { client } = session();
    const [list, picture] = await Promise.all([client.call('scenarios.list', {}), client.call('scenarios.runs', {})]);
    scenariosStore.setState({ scenarios: list.scenarios, fileErrors: list.errors, suggestions: picture.suggestions, runs: picture.runs, loaded: true });
  } catch (error) {
    // 'forbidden' while this window's hello is still on its way; 'internal' while the host starts its engine
    const retry = error instanceof ContractError && (error.code === 'forbidden' || error.code === 'internal');
    if (retry && attempt < 20) setTimeout(() => void load(attempt + 1), 500);
    else if (!(error instanceof ContractError && error.code === 'disconnected')) console.warn('ioc-wall: scenarios.list/runs failed', error);
  }
}

/** Starts the feed once per window. */
export function startScenarioFeed(): void {
  if (started) return;
  started = true;
  const { client } = session();
  client.on('scenarios.changed', ({ suggestions, runs }) => scenariosStore.setState({ suggestions, runs }));
  client.onLink((up) => {
    if (up) void load();
  });
  void load();
}

/** Reloads the definitions (a scenario file edited on the host does not send an event). */
export function reloadScenarios(): Promise<void> {
  return load(20);
}

export function useScenarios<T>(selector: (state: ScenariosState) => T): T {
  startScenarioFeed();
  return useStore(scenariosStore, selector);
}
