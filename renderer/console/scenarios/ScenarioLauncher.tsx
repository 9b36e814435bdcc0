/**
 * Every scenario the host knows, by category: level, how it starts, what it watches; a preview of
 * the wall it will produce and its procedure; activation in one action (plus a confirmation where
 * needsActivationConfirm says so). Files the host could not load are listed with file and line.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioSummary } from '../../../native-bridge/contract.js';
import { act } from './actions.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { usePermissions } from '../permissions.js';
import { showRun, useScenarios } from './scenarios-store.js';
import { pick } from './text.js';
import { groupByCategory, needsActivationConfirm, openRuns } from './view.js';
import { WallPreview } from './WallPreview.js';

export function ScenarioLauncher() {
  const { t } = useTranslation();
  const scenarios = useScenarios((s) => s.scenarios);
  const fileErrors = useScenarios((s) => s.fileErrors);
  const loaded = useScenarios((s) => s.loaded);
  const [expanded, setExpanded] = useState<string | null>(null);
  if (!loaded) return <div className="muted">{t('common.loading')}</div>;
  return (
    <div className="scenario-launcher" data-testid="scenario-launcher">
      {scenarios.length === 0 ? <div className="muted">{t('scenarios.launcher.empty')}</div> : null}
      {groupByCategory(scenarios).map(({ category, scenarios: list }) => (
        <div key={category} className="scenario-category" data-category={category}>
          <h3 className="panel-subtitle">{t(`scenarios.category.${category}`, { defaultValue: category })}</h3>
          <ul className="scenario-list">
            {list.map((s) => (
              <LauncherItem key={s.name} scenario={s} expanded={expanded === s.name} onToggle={() => setExpanded((e) => (e === s.name ? null : s.name))} />
            ))}
          </ul>
        </div>
      ))}
      {fileErrors.length > 0 ? (
        <div className="scenario-file-errors" data-testid="scenario-file-errors">
          <h3 className="panel-subtitle">{t('scenarios.launcher.fileErrors')}</h3>
          <ul>
            {fileErrors.map((e, i) => (
              <li key={i}>
                <code>
                  {e.file}
                  {e.line !== null ? `:${e.line}` : ''}
                  {e.field ? ` ${e.field}` : ''}
                </code>{' '}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function LauncherItem({ scenario, expanded, onToggle }: { scenario: ScenarioSummary; expanded: boolean; onToggle: () => void }) {
  const { t, i18n } = useTranslation();
  const may = usePermissions();
  const running = useScenarios((s) => openRuns(s.runs).find((r) => r.scenario === scenario.name) ?? null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const title = pick(scenario.title, i18n.language);

  const activate = async () => {
    setAsking(false);
    setBusy(true);
    const result = await act('scenarios.activate', { scenario: scenario.name }, t('scenarios.actions.activate', { title }));
    setBusy(false);
    if (result) showRun(result.run.runId);
  };
  const start = () => (needsActivationConfirm(scenario) ? setAsking(true) : void activate());

  return (
    <li className={`scenario-item${expanded ? ' expanded' : ''}`} data-scenario-item={scenario.name}>
      <div className="scenario-item-head">
        <button type="button" className="scenario-item-title" aria-expanded={expanded} data-testid="scenario-preview-toggle" onClick={onToggle}>
          <span className="scenario-item-name">{title}</span>
          <span className="scenario-item-meta">
            <span className={`badge level-${scenario.level}`}>{t(`scenarios.level.${scenario.level}`)}</span>
            <span className="badge">{t(`scenarios.activation.${scenario.activation}`)}</span>
            {running ? <span className="badge badge-active">{t(`scenarios.state.${running.state}`)}</span> : null}
          </span>
        </button>
        {running ? (
          <button type="button" className="btn btn-small" onClick={() => showRun(running.runId)}>
            {t('scenarios.launcher.open')}
          </button>
        ) : may.scenario('activate') ? (
          <button type="button" className="btn btn-primary btn-small" data-activate={scenario.name} disabled={busy} onClick={start}>
            {busy ? t('scenarios.activating') : t('scenarios.activate')}
          </button>
        ) : null}
      </div>
      {expanded ? <ScenarioDetails scenario={scenario} /> : null}
      {asking ? (
        <ConfirmDialog title={t('scenarios.launcher.confirmTitle', { title })} confirmLabel={t('scenarios.activate')} onConfirm={() => void activate()} onCancel={() => setAsking(false)}>
          <p>{t(scenario.level === 'ad-hoc' ? 'scenarios.launcher.confirmAdHoc' : 'scenarios.launcher.confirmAuto')}</p>
          <p className="muted">{t('scenarios.launcher.confirmWall', { count: scenario.tiles.length })}</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

function ScenarioDetails({ scenario }: { scenario: ScenarioSummary }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="scenario-details" data-testid="scenario-details">
      <WallPreview scenario={scenario} />
      <dl className="scenario-facts">
        <dt>{t('scenarios.launcher.triggers')}</dt>
        <dd>{scenario.triggers.map((x) => t(`scenarios.trigger.${x}`, { defaultValue: x })).join(', ')}</dd>
        <dt>{t('scenarios.launcher.onClear')}</dt>
        <dd>{t(`scenarios.onClear.${scenario.onClear}`)}</dd>
        {scenario.cameras ? (
          <>
            <dt>{t('scenarios.launcher.cameras')}</dt>
            <dd>{t('scenarios.preview.cameras', { count: scenario.cameras.nearest, km: scenario.cameras.withinKm })}</dd>
          </>
        ) : null}
      </dl>
      {scenario.procedure.length > 0 ? (
        <ol className="scenario-procedure-preview">
          {scenario.procedure.map((step) => (
            <li key={step.id}>
              {pick(step.title, i18n.language)} <span className="badge">{t(`scenarios.role.${step.role}`)}</span>
              {step.needsConfirmation ? <span className="badge badge-warn">{t('scenarios.step.twoPerson')}</span> : null}
              {step.command ? <span className="badge badge-command">{t('scenarios.step.hasCommand')}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
