/**
 * The console's picture of the scenario engine: definitions (scenarios.list, with file errors),
 * suggestions and runs (scenarios.runs, then every scenarios.changed), and the last error an
 * action got back. Loaded once the first scenario component has mounted and this window's hello
 * has succeeded, and again after every reconnect's hello.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ScenarioSummary } from '../../../native-bridge/contract.js';
import type { ScenarioFileError, ScenarioRun, ScenarioSuggestion } from '../../../native-bridge/scenario-run.js';
import { HelloFeed } from '../../session/session.js';

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

const feed = new HelloFeed(
  'scenarios.list/runs',
  (client) => client.on('scenarios.changed', ({ suggestions, runs }) => scenariosStore.setState({ suggestions, runs })),
  async (client) => {
    const [list, picture] = await Promise.all([client.call('scenarios.list', {}), client.call('scenarios.runs', {})]);
    scenariosStore.setState({ scenarios: list.scenarios, fileErrors: list.errors, suggestions: picture.suggestions, runs: picture.runs, loaded: true });
  },
);

/** Starts the feed once per window. */
export function startScenarioFeed(): void {
  feed.start();
}

/** Reloads the definitions (a scenario file edited on the host does not send an event). */
export function reloadScenarios(): Promise<void> {
  return feed.reload();
}

export function useScenarios<T>(selector: (state: ScenariosState) => T): T {
  startScenarioFeed();
  return useStore(scenariosStore, selector);
}
