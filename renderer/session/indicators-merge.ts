/** Merging indicators.changed into what a window holds (pure, so it is tested in Node). */
import type { IndicatorGroup, IndicatorsChangedEvent, IndicatorView } from '../../native-bridge/contract.js';

/** Points kept per indicator: the list's plus those events add, for a sparkline of the last hours. */
export const HISTORY_KEPT = 240;

export interface IndicatorsState {
  /** In the host's order (files, then order within a file). */
  indicators: readonly IndicatorView[];
  groups: readonly IndicatorGroup[];
  /** False until the first list arrived. */
  loaded: boolean;
}

/** New values and statuses replace the old; a history point newer than the last is appended. Unchanged indicators keep their identity. */
export function applyIndicatorsChanged(state: IndicatorsState, event: IndicatorsChangedEvent): IndicatorsState {
  const changes = new Map(event.indicators.map((i) => [i.id, i]));
  const indicators = state.indicators.map((view) => {
    const change = changes.get(view.id);
    if (!change) return view;
    const { point, ...current } = change;
    const last = view.history[view.history.length - 1];
    const history = point && (!last || last[0] < point[0]) ? [...view.history, point].slice(-HISTORY_KEPT) : view.history;
    return { ...view, ...current, history };
  });
  return { ...state, indicators, groups: event.groups };
}
