/**
 * Indicators in this window: indicators.list when the first indicator or chart tile mounts and
 * after every reconnect, then indicators.changed events merged in (value, status, communes, and
 * the history point each added). Started lazily, so windows without such tiles never ask.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { ContractError, type IndicatorGroup, type IndicatorsChangedEvent, type IndicatorView } from '../../native-bridge/contract.js';
import { session } from './session.js';

/** Points kept per indicator for sparklines (the list brings HISTORY_POINTS; events add to them). */
const HISTORY_POINTS = 120;
const HISTORY_KEPT = 240;

export interface IndicatorsState {
  /** In the host's order (files, then order within a file). */
  indicators: readonly IndicatorView[];
  groups: readonly IndicatorGroup[];
  /** False until the first list arrived. */
  loaded: boolean;
}

export const indicatorsStore = createStore<IndicatorsState>()(() => ({ indicators: [], groups: [], loaded: false }));

export function applyIndicatorsChanged(state: IndicatorsState, event: IndicatorsChangedEvent): IndicatorsState {
  const changes = new Map(event.indicators.map((i) => [i.id, i]));
  const indicators = state.indicators.map((view) => {
    const change = changes.get(view.id);
    if (!change) return view;
    const { point, ...current } = change;
    const history = point && (view.history.length === 0 || view.history[view.history.length - 1]![0] < point[0]) ? [...view.history, point].slice(-HISTORY_KEPT) : view.history;
    return { ...view, ...current, history };
  });
  return { ...state, indicators, groups: event.groups };
}

let started = false;

async function load(attempt = 0): Promise<void> {
  try {
    const { indicators, groups } = await session().client.call('indicators.list', { historyPoints: HISTORY_POINTS });
    indicatorsStore.setState({ indicators, groups, loaded: true });
  } catch (error) {
    // 'forbidden' while this window's hello is still on its way; 'internal' while the host starts its service
    const retry = error instanceof ContractError && (error.code === 'forbidden' || error.code === 'internal');
    if (retry && attempt < 20) setTimeout(() => void load(attempt + 1), 500);
    else if (!(error instanceof ContractError && error.code === 'disconnected')) console.warn('ioc-wall: indicators.list failed', error);
  }
}

/** Starts the feed once per window. */
export function startIndicatorFeed(): void {
  if (started) return;
  started = true;
  const { client } = session();
  client.on('indicators.changed', (event) => {
    if (indicatorsStore.getState().loaded) indicatorsStore.setState((state) => applyIndicatorsChanged(state, event));
  });
  client.onLink((up) => {
    if (up) void load();
  });
  void load();
}

/** Selects from the indicators (starting the feed on first use). */
export function useIndicators<T>(selector: (state: IndicatorsState) => T): T {
  startIndicatorFeed();
  return useStore(indicatorsStore, selector);
}
