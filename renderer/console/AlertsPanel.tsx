/** Every alert, newest first, with acknowledge buttons. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertRow } from '../components/AlertRow.js';
import { session } from '../session/session.js';
import { useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';

export function AlertsPanel() {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const [acking, setAcking] = useState<ReadonlySet<string>>(new Set());
  const may = usePermissions();
  const sorted = useMemo(() => [...alerts].sort((a, b) => b.at - a.at), [alerts]);
  const open = alerts.filter((a) => a.ackedBy === null).length;

  const ack = async (id: string) => {
    setAcking((s) => new Set(s).add(id));
    await session().ackAlert(id);
    setAcking((s) => {
      const next = new Set(s);
      next.delete(id);
      return next;
    });
  };

  return (
    <section className="panel alerts-panel" data-testid="alerts-panel">
      <h2 className="panel-title">
        {t('alerts.title')} {open > 0 ? <span className="badge badge-critical">{t('alerts.open', { count: open })}</span> : null}
      </h2>
      {sorted.length === 0 ? (
        <div className="muted">{t('alerts.empty')}</div>
      ) : (
        <ol className="alert-list console-alerts">
          {sorted.map((a) => (
            <AlertRow
              key={a.id}
              alert={a}
              action={
                a.ackedBy === null && may.acknowledge(a) ? (
                  <button type="button" className="btn btn-small" data-ack={a.id} disabled={acking.has(a.id)} onClick={() => void ack(a.id)}>
                    {t('alerts.ack')}
                  </button>
                ) : undefined
              }
            />
          ))}
        </ol>
      )}
    </section>
  );
}
