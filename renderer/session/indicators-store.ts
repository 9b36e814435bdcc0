/**
 * Indicators in this window: indicators.list once the first indicator or chart tile has mounted
 * and this window's hello has succeeded, again after every reconnect's hello, and indicators.changed
 * events merged in (value, status, communes, and the history point each added). Started lazily, so
 * windows without such tiles never ask.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { applyIndicatorsChanged, type IndicatorsState } from './indicators-merge.js';
import { HelloFeed } from './session.js';

/** Points the list brings per indicator for sparklines (events add to them). */
const HISTORY_POINTS = 120;

export type { IndicatorsState } from './indicators-merge.js';

export const indicatorsStore = createStore<IndicatorsState>()(() => ({ indicators: [], groups: [], loaded: false }));

const feed = new HelloFeed(
  'indicators.list',
  (client) =>
    client.on('indicators.changed', (event) => {
      if (indicatorsStore.getState().loaded) indicatorsStore.setState((state) => applyIndicatorsChanged(state, event));
    }),
  async (client) => {
    const { indicators, groups } = await client.call('indicators.list', { historyPoints: HISTORY_POINTS });
    indicatorsStore.setState({ indicators, groups, loaded: true });
  },
);

/** Starts the feed once per window. */
export function startIndicatorFeed(): void {
  feed.start();
}

/** Selects from the indicators (starting the feed on first use). */
export function useIndicators<T>(selector: (state: IndicatorsState) => T): T {
  startIndicatorFeed();
  return useStore(indicatorsStore, selector);
}
