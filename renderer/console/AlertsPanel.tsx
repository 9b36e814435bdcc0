/** Every alert, one group per source (expand to see and acknowledge each), the finished ones in a history. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../native-bridge/contract.js';
import { AlertRow } from '../components/AlertRow.js';
import { groupAlerts, type AlertGroup } from '../components/alert-groups.js';
import { session } from '../session/session.js';
import { useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';

export function AlertsPanel() {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const [acking, setAcking] = useState<ReadonlySet<string>>(new Set());
  const may = usePermissions();
  const { groups, history } = useMemo(() => groupAlerts(alerts), [alerts]);
  const open = alerts.filter((a) => a.ackedBy === null).length;

  const ack = async (ids: readonly string[]) => {
    setAcking((s) => new Set([...s, ...ids]));
    // one at a time: each acknowledgement is its own durable, audited act
    for (const id of ids) await session().ackAlert(id);
    setAcking((s) => new Set([...s].filter((id) => !ids.includes(id))));
  };
  const ackButton = (a: Alert) =>
    a.ackedBy === null && may.acknowledge(a) ? (
      <button type="button" className="btn btn-small" data-ack={a.id} disabled={acking.has(a.id)} onClick={() => void ack([a.id])}>
        {t('alerts.ack')}
      </button>
    ) : undefined;

  return (
    <section className="panel alerts-panel" data-testid="alerts-panel">
      <h2 className="panel-title">
        {t('alerts.title')} {open > 0 ? <span className="badge badge-critical">{t('alerts.open', { count: open })}</span> : null}
      </h2>
      {groups.length === 0 ? (
        <div className="muted">{t('alerts.empty')}</div>
      ) : (
        <ol className="alert-list console-alerts">
          {groups.map((g) => (
            <Group key={g.source} group={g} action={ackButton} mayAck={(a) => may.acknowledge(a)} onAckAll={(ids) => void ack(ids)} busy={g.alerts.some((a) => acking.has(a.id))} />
          ))}
        </ol>
      )}
      {history.length > 0 ? (
        <details className="alert-history" data-testid="alert-history">
          <summary>{t('alerts.history', { count: history.length })}</summary>
          <ol className="alert-list console-alerts">
            {history.map((a) => (
              <AlertRow key={a.id} alert={a} />
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function Group({ group, action, mayAck, onAckAll, busy }: { group: AlertGroup; action: (a: Alert) => ReturnType<typeof AlertRow> | undefined; mayAck: (a: Alert) => boolean; onAckAll: (ids: string[]) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const [latest, ...rest] = group.alerts;
  const unacked = group.alerts.filter((a) => a.ackedBy === null && mayAck(a)).map((a) => a.id);
  return (
    <li className="alert-group" data-alert-group={group.source} data-count={group.alerts.length}>
      <ol className="alert-group-rows">
        <AlertRow alert={latest!} more={expanded ? 0 : rest.length} action={action(latest!)} />
        {expanded ? rest.map((a) => <AlertRow key={a.id} alert={a} action={action(a)} />) : null}
      </ol>
      {rest.length > 0 ? (
        <div className="alert-group-tools">
          <button type="button" className="btn btn-small" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
            {expanded ? t('alerts.collapse') : t('alerts.expand', { count: rest.length })}
          </button>
          {unacked.length > 1 ? (
            <button type="button" className="btn btn-small" data-ack-group={group.source} disabled={busy} onClick={() => onAckAll(unacked)}>
              {t('alerts.ackAll', { count: unacked.length })}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
