/**
 * Alerts as a control room reads them: one line per source (a gateway, a scenario, the displays…)
 * with how many more it raised, the most urgent source first; alerts that are over (resolved and
 * acknowledged) leave the list for the history. One flood's 25–30 alerts become a few lines.
 */
import type { Alert, Severity } from '../../native-bridge/contract.js';

export const severityRank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export interface AlertGroup {
  source: string;
  /** Newest first; `alerts[0]` is the line shown for the group. */
  alerts: Alert[];
  /** The highest severity among the group's alerts still going on (unresolved), else among all. */
  severity: Severity;
  unacknowledged: number;
  /** Something in the group still going on (not resolved). */
  ongoing: boolean;
}

/** Over: its condition ended and a person acknowledged it. */
export const isHistory = (alert: Alert): boolean => alert.resolvedAt !== null && alert.ackedBy !== null;

export function groupAlerts(alerts: readonly Alert[]): { groups: AlertGroup[]; history: Alert[] } {
  const bySource = new Map<string, Alert[]>();
  const history: Alert[] = [];
  for (const alert of alerts) {
    if (isHistory(alert)) {
      history.push(alert);
      continue;
    }
    const list = bySource.get(alert.source);
    if (list) list.push(alert);
    else bySource.set(alert.source, [alert]);
  }
  const groups = [...bySource].map(([source, list]): AlertGroup => {
    list.sort((a, b) => b.at - a.at);
    const ongoing = list.filter((a) => a.resolvedAt === null);
    const ranked = ongoing.length > 0 ? ongoing : list;
    const severity = ranked.reduce<Severity>((top, a) => (severityRank[a.severity] > severityRank[top] ? a.severity : top), 'info');
    return { source, alerts: list, severity, unacknowledged: list.filter((a) => a.ackedBy === null).length, ongoing: ongoing.length > 0 };
  });
  // going on before over, then the most severe, then the newest
  groups.sort((a, b) => Number(b.ongoing) - Number(a.ongoing) || severityRank[b.severity] - severityRank[a.severity] || b.alerts[0]!.at - a.alerts[0]!.at);
  history.sort((a, b) => b.at - a.at);
  return { groups, history };
}
