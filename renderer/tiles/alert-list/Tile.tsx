/** Alerts from the host, newest first, filtered by severity and acknowledgement. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertRow, severityRank } from '../../components/AlertRow.js';
import { useAppStore } from '../../session/store.js';
import type { TileProps } from '../types.js';

export default function AlertListTile({ tile }: TileProps<'alert-list'>) {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const { minSeverity, showAcknowledged, maxItems } = tile.props;
  const shown = useMemo(() => {
    const min = severityRank[minSeverity];
    return alerts
      .filter((a) => severityRank[a.severity] >= min && (showAcknowledged || a.ackedBy === null))
      .sort((a, b) => b.at - a.at)
      .slice(0, maxItems);
  }, [alerts, minSeverity, showAcknowledged, maxItems]);
  if (shown.length === 0) return <div className="alert-list empty">{t('alerts.empty')}</div>;
  return (
    <ol className="alert-list">
      {shown.map((a) => (
        <AlertRow key={a.id} alert={a} />
      ))}
    </ol>
  );
}
