/** Active and recent runs (the host keeps the last 20 over): state, place, times; pick one to see its checklist, or export its report. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatStamp } from '../../format.js';
import { exportReport } from './actions.js';
import { showRun, useScenarios } from './scenarios-store.js';
import { pick } from './text.js';
import { endedAt, formatPlace, incidentList } from './view.js';

export function IncidentList() {
  const { t, i18n } = useTranslation();
  const runs = useScenarios((s) => s.runs);
  const [busy, setBusy] = useState<string | null>(null);
  const list = incidentList(runs);
  if (list.length === 0) return <div className="muted">{t('scenarios.incidents.empty')}</div>;
  return (
    <ul className="incident-list" data-testid="incident-list">
      {list.map((run) => {
        const ended = endedAt(run);
        const title = pick(run.title, i18n.language);
        return (
          <li key={run.runId} className={`incident state-${run.state}`} data-incident-run={run.runId} data-run-state={run.state} data-scenario={run.scenario}>
            <button type="button" className="incident-open" onClick={() => showRun(run.runId)}>
              <span className="incident-title">{title}</span>
              <span className="incident-meta">
                <span className={`badge run-state state-${run.state}`}>{t(`scenarios.state.${run.state}`)}</span> {formatStamp(run.activatedAt)}
                {ended !== null ? ` → ${formatStamp(ended)}` : ''}
              </span>
              {run.incident ? <span className="incident-place muted">{formatPlace(run.incident, i18n.language)}</span> : null}
            </button>
            <button
              type="button"
              className="btn btn-small"
              data-incident-report={run.runId}
              disabled={busy !== null}
              onClick={() => {
                setBusy(run.runId);
                void exportReport(run.runId, 'html', t('scenarios.actions.report', { title })).finally(() => setBusy(null));
              }}
            >
              {t('scenarios.run.report')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
