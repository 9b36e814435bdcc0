/** One alert line, shared by the alert-list tile and the console's alert panel. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../native-bridge/contract.js';
import { formatStamp } from '../format.js';

/** `more`: how many other alerts its source raised (the row stands for its group). */
export function AlertRow({ alert, action, more = 0 }: { alert: Alert; action?: ReactNode; more?: number }) {
  const { t, i18n } = useTranslation();
  const acked = alert.ackedBy !== null;
  const resolved = alert.resolvedAt !== null;
  // a condition that has ended no longer pulses; it still waits for its acknowledgement
  const urgent = alert.severity === 'critical' && !acked && !resolved;
  return (
    <li
      className={`alert-row sev-${alert.severity}${acked ? ' acked' : ''}${resolved ? ' resolved' : ''}${urgent ? ' urgent' : ''}`}
      data-alert-id={alert.id}
      data-severity={alert.severity}
      data-acked={acked ? 'true' : 'false'}
      data-resolved={resolved ? 'true' : 'false'}
    >
      <span className="alert-sev">{t(`severity.${alert.severity}`)}</span>
      <span className="alert-time">{formatStamp(alert.at)}</span>
      <span className="alert-title">
        {i18n.language === 'en' ? alert.title.en : alert.title.vi}
        {more > 0 ? (
          <span className="alert-more" data-more={more} title={t('alerts.moreTitle', { count: more })}>
            {t('alerts.more', { count: more })}
          </span>
        ) : null}
      </span>
      {resolved ? <span className="alert-resolved">{t('alerts.resolvedAt', { time: formatStamp(alert.resolvedAt!) })}</span> : null}
      {acked ? <span className="alert-ack">{t('alerts.ackedBy', { who: alert.ackedBy })}</span> : null}
      {action ? <span className="alert-action">{action}</span> : null}
    </li>
  );
}
