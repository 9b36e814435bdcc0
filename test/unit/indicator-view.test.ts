/** The windows' side of indicators: merging indicators.changed, picking a tile's indicators, period labels. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndicatorView } from '../../native-bridge/contract.js';
import { applyIndicatorsChanged, HISTORY_KEPT, type IndicatorsState } from '../../renderer/session/indicators-merge.js';
import { countByStatus, formatPeriod, pickIndicators, shortArea } from '../../renderer/tiles/indicator/view.js';

const view = (id: string, sector: string, history: [number, number][] = []): IndicatorView => ({
  id,
  value: 1,
  status: 'met',
  statusSince: 0,
  dataAt: 0,
  period: null,
  communes: [],
  title: { vi: `Chỉ số ${id}`, en: `Indicator ${id}` },
  unit: '%',
  target: 1,
  direction: 'higher-better',
  atRisk: { percent: 10 },
  frequency: 'realtime',
  sector,
  adminLevel: 'province',
  source: 'sensors',
  history,
});

describe('indicators in a window', () => {
  it('merges a change: new value and status, a newer point appended, others untouched', () => {
    const a = view('a', 'env', [[1000, 1]]);
    const b = view('b', 'env');
    const state: IndicatorsState = { indicators: [a, b], groups: [], loaded: true };
    const groups = [{ sector: 'env', total: 2, met: 1, atRisk: 0, notMet: 1, noData: 0 }];
    const next = applyIndicatorsChanged(state, {
      at: 2000,
      groups,
      indicators: [{ id: 'a', value: 40, status: 'not-met', statusSince: 2000, dataAt: 2000, period: null, communes: [], point: [2000, 40] }],
    });
    assert.deepEqual([next.indicators[0]!.value, next.indicators[0]!.status, next.indicators[0]!.history], [40, 'not-met', [[1000, 1], [2000, 40]]]);
    assert.equal(next.indicators[1], b, 'an unchanged indicator keeps its identity (no re-render)');
    assert.deepEqual(next.groups, groups);
    const again = applyIndicatorsChanged(next, { at: 2000, groups, indicators: [{ ...next.indicators[0]!, point: [2000, 40] }] });
    assert.equal(again.indicators[0]!.history.length, 2, 'a point already held is not added twice');
  });

  it('keeps a bounded history', () => {
    const long = view('a', 'env', Array.from({ length: HISTORY_KEPT }, (_, i): [number, number] => [i, i]));
    const next = applyIndicatorsChanged({ indicators: [long], groups: [], loaded: true }, {
      at: 1,
      groups: [],
      indicators: [{ id: 'a', value: 9, status: 'met', statusSince: 0, dataAt: 0, period: null, communes: [], point: [HISTORY_KEPT, 9] }],
    });
    assert.equal(next.indicators[0]!.history.length, HISTORY_KEPT);
    assert.deepEqual(next.indicators[0]!.history.at(-1), [HISTORY_KEPT, 9]);
  });

  it('picks by id in the tile order, else by group, and counts statuses', () => {
    const all = [view('a', 'env'), { ...view('b', 'transport'), status: 'at-risk' as const }, view('c', 'env')];
    assert.deepEqual(pickIndicators(all, ['c', 'missing', 'a'], 'transport').map((v) => v.id), ['c', 'a']);
    assert.deepEqual(pickIndicators(all, [], 'env').map((v) => v.id), ['a', 'c']);
    assert.equal(pickIndicators(all, [], undefined).length, 3);
    assert.deepEqual(countByStatus(all), { met: 2, 'at-risk': 1, 'not-met': 0, 'no-data': 0 });
  });

  it('labels periods in Vietnamese and English, and shortens demo commune names', () => {
    assert.equal(formatPeriod('2025-09', 'vi'), '09/2025');
    assert.equal(formatPeriod('2025-Q3', 'vi'), 'Quý 3/2025');
    assert.equal(formatPeriod('2025-Q3', 'en'), 'Q3 2025');
    assert.equal(formatPeriod('2025-W07', 'vi'), 'Tuần 7/2025');
    assert.equal(formatPeriod('2025-09-15', 'en'), '15/09/2025');
    assert.equal(formatPeriod('2024', 'vi'), 'Năm 2024');
    assert.equal(shortArea('Phường Trấn Biên (mô phỏng)'), 'Phường Trấn Biên');
  });
});
