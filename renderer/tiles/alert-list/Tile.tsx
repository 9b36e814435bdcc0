/** Alerts from the host, one line per source (with how many more it raised), filtered by severity and acknowledgement. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertRow } from '../../components/AlertRow.js';
import { groupAlerts, severityRank } from '../../components/alert-groups.js';
import { useAppStore } from '../../session/store.js';
import type { TileProps } from '../types.js';

export default function AlertListTile({ tile }: TileProps<'alert-list'>) {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const { minSeverity, showAcknowledged, maxItems } = tile.props;
  const { groups, over } = useMemo(() => {
    const min = severityRank[minSeverity];
    const { groups, history } = groupAlerts(alerts.filter((a) => severityRank[a.severity] >= min && (showAcknowledged || a.ackedBy === null)));
    return { groups: groups.slice(0, maxItems), over: history.length };
  }, [alerts, minSeverity, showAcknowledged, maxItems]);
  if (groups.length === 0) return <div className="alert-list empty">{t('alerts.empty')}</div>;
  return (
    <ol className="alert-list">
      {groups.map((g) => (
        <AlertRow key={g.source} alert={g.alerts[0]!} more={g.alerts.length - 1} />
      ))}
      {over > 0 ? <li className="alert-history-count muted">{t('alerts.historyCount', { count: over })}</li> : null}
    </ol>
  );
}
