/**
 * Indicators in this window: indicators.list when the first indicator or chart tile mounts and
 * after every reconnect, then indicators.changed events merged in (value, status, communes, and
 * the history point each added). Started lazily, so windows without such tiles never ask.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { ContractError } from '../../native-bridge/contract.js';
import { applyIndicatorsChanged, type IndicatorsState } from './indicators-merge.js';
import { session } from './session.js';

/** Points the list brings per indicator for sparklines (events add to them). */
const HISTORY_POINTS = 120;

export type { IndicatorsState } from './indicators-merge.js';

export const indicatorsStore = createStore<IndicatorsState>()(() => ({ indicators: [], groups: [], loaded: false }));

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
