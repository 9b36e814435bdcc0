/**
 * Drills from the console: the duty operator or commander picks one of the embedded province's
 * simulated incidents and starts it after a confirmation; the wall shows it marked DIỄN TẬP until
 * it ends by itself. Shown only to those the policy lets start one.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drillIncident, type DrillIncident } from '../../native-bridge/contract.js';
import { DRILL_INCIDENT_TITLES } from '../../native-bridge/drills.js';
import { errorMessage, session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';
import { ConfirmDialog } from './scenarios/ConfirmDialog.js';

export function DrillPanel() {
  const { t, i18n } = useTranslation();
  const may = usePermissions();
  const drill = useAppStore((s) => s.status?.drill ?? null);
  const [incident, setIncident] = useState<DrillIncident>('flood');
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  if (!may.call('drill.start')) return null;
  const titleOf = (name: DrillIncident) => (i18n.language === 'en' ? DRILL_INCIDENT_TITLES[name].en : DRILL_INCIDENT_TITLES[name].vi);

  const start = async () => {
    setStarting(true);
    try {
      await session().client.call('drill.start', { incident });
      showToast(t('drill.started', { title: titleOf(incident) }), 'info');
    } catch (error) {
      showToast(t('drill.failed', { message: errorMessage(error) }));
    } finally {
      setStarting(false);
      setConfirming(false);
    }
  };

  return (
    <section className="panel drill-panel" data-testid="drill-panel">
      <h2 className="panel-title">{t('drill.title')}</h2>
      {drill ? (
        <p className="drill-running" data-testid="drill-running">
          {t('drill.running', { title: titleOf(drill.incident), name: drill.startedBy.name })}
        </p>
      ) : (
        <div className="drill-start">
          <label>
            {t('drill.incident')}
            <select name="drill-incident" value={incident} onChange={(e) => setIncident(drillIncident.parse(e.target.value))}>
              {drillIncident.options.map((name) => (
                <option key={name} value={name}>
                  {titleOf(name)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" data-testid="drill-start" disabled={starting} onClick={() => setConfirming(true)}>
            {t('drill.start')}
          </button>
        </div>
      )}
      {confirming ? (
        <ConfirmDialog title={t('drill.confirmTitle')} confirmLabel={t('drill.start')} confirmDisabled={starting} onConfirm={() => void start()} onCancel={() => (starting ? undefined : setConfirming(false))}>
          <p>{t('drill.confirmBody', { title: titleOf(incident) })}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
