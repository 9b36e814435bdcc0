/**
 * The commander's panel: the duty person's name, then three tabs — the live run(s) with their
 * procedure, the launcher, the incident list. A run that starts (from the banner, the launcher or
 * by itself) opens in the first tab.
 */
import './scenarios.css';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { IncidentList } from './IncidentList.js';
import { RunView } from './RunView.js';
import { ScenarioLauncher } from './ScenarioLauncher.js';
import { scenariosStore, showRun, useScenarios, type ScenarioTab } from './scenarios-store.js';
import { pick } from './text.js';
import { openRuns } from './view.js';

const TABS: ScenarioTab[] = ['runs', 'launcher', 'incidents'];

export function ScenarioPanel() {
  const { t } = useTranslation();
  const tab = useScenarios((s) => s.tab);
  const runs = useScenarios((s) => s.runs);
  const loaded = useScenarios((s) => s.loaded);
  const open = openRuns(runs);
  const openKey = JSON.stringify(open.map((r) => r.runId));
  const seen = useRef<Set<string> | null>(null);

  // open each run that appears (activated anywhere, or automatically by its trigger) once
  useEffect(() => {
    if (!loaded) return;
    const ids = JSON.parse(openKey) as string[];
    if (seen.current === null) {
      seen.current = new Set(ids);
      if (ids.length > 0) showRun(ids[0]!);
      return;
    }
    const fresh = ids.find((id) => !seen.current!.has(id));
    ids.forEach((id) => seen.current!.add(id));
    if (fresh) showRun(fresh);
  }, [loaded, openKey]);

  return (
    <section className="panel scenario-panel" data-testid="scenario-panel" data-tab={tab}>
      <h2 className="panel-title">
        {t('scenarios.title')} {open.length > 0 ? <span className="badge badge-critical">{t('scenarios.activeCount', { count: open.length })}</span> : null}
      </h2>
      <div className="scenario-tabs" role="tablist">
        {TABS.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={`btn btn-small${tab === id ? ' active' : ''}`} data-scenario-tab={id} onClick={() => scenariosStore.setState({ tab: id })}>
            {t(`scenarios.tabs.${id}`)}
            {id === 'runs' && open.length > 0 ? ` (${open.length})` : ''}
          </button>
        ))}
      </div>
      <div className="scenario-tab-body" role="tabpanel">
        {tab === 'runs' ? <RunsTab /> : tab === 'launcher' ? <ScenarioLauncher /> : <IncidentList />}
      </div>
    </section>
  );
}

function RunsTab() {
  const { t, i18n } = useTranslation();
  const runs = useScenarios((s) => s.runs);
  const selectedRunId = useScenarios((s) => s.selectedRunId);
  const open = openRuns(runs);
  const selected = runs.find((r) => r.runId === selectedRunId) ?? open[0] ?? null;
  return (
    <div className="runs-tab">
      {open.length > 1 ? (
        <div className="run-chooser" role="group" aria-label={t('scenarios.tabs.runs')}>
          {open.map((r) => (
            <button key={r.runId} type="button" className={`btn btn-small${r.runId === selected?.runId ? ' active' : ''}`} data-choose-run={r.runId} onClick={() => showRun(r.runId)}>
              {pick(r.title, i18n.language)}
            </button>
          ))}
        </div>
      ) : null}
      {selected ? <RunView run={selected} /> : <div className="muted">{t('scenarios.runs.empty')}</div>}
    </div>
  );
}
