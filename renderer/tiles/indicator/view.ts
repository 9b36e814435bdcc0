/** Pure helpers of the indicator and chart tiles: which indicators a tile shows, counts, and labels. */
import type { IndicatorState, IndicatorView } from '../../../native-bridge/contract.js';

/** By id in the tile's order; else the sector's (or all) in the host's order. */
export function pickIndicators(all: readonly IndicatorView[], ids: readonly string[], sector: string | undefined): IndicatorView[] {
  if (ids.length > 0) {
    const byId = new Map(all.map((v) => [v.id, v]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
  return all.filter((v) => sector === undefined || v.sector === sector);
}

export function countByStatus(views: readonly IndicatorView[]): Record<IndicatorState, number> {
  const counts: Record<IndicatorState, number> = { met: 0, 'at-risk': 0, 'not-met': 0, 'no-data': 0 };
  for (const v of views) counts[v.status]++;
  return counts;
}

/** "09/2025", "Quý 3/2025", "Tuần 37/2025", "15/09/2025", "Năm 2025" (and the English). */
export function formatPeriod(period: string, lang: string): string {
  const en = lang === 'en';
  const match = /^(\d{4})(?:-(?:Q([1-4])|W(\d{2})|(\d{2})(?:-(\d{2}))?))?$/.exec(period);
  if (!match) return period;
  const [, year, quarter, week, month, day] = match;
  if (quarter) return en ? `Q${quarter} ${year}` : `Quý ${quarter}/${year}`;
  if (week) return en ? `Week ${Number(week)}, ${year}` : `Tuần ${Number(week)}/${year}`;
  if (day) return `${day}/${month}/${year}`;
  if (month) return `${month}/${year}`;
  return en ? `${year}` : `Năm ${year}`;
}

/** "≥ 95 %" / "≤ 50 AQI": which side of the target is met. */
export function targetSign(direction: IndicatorView['direction']): string {
  return direction === 'higher-better' ? '≥' : '≤';
}

/** A commune's name for a narrow axis: without the trailing "(mô phỏng)" of demo data. */
export function shortArea(area: string): string {
  return area.replace(/\s*\([^)]*\)\s*$/, '');
}

export const STATUS_COLORS: Record<IndicatorState, string> = {
  met: '#2fd27a',
  'at-risk': '#ffb020',
  'not-met': '#ff3b3b',
  'no-data': '#9aa8bd',
};
