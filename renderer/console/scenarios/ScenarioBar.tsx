/**
 * Top of the console: a countdown banner for each run about to give the wall back with steps
 * still open (RevertCountdown), one banner per suggestion (what, why, where, when) with one-click
 * "Kích hoạt" and "Bỏ qua", and the last scenario action's error. Nothing when all is quiet.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioRun, ScenarioSuggestion } from '../../../native-bridge/scenario-run.js';
import { formatTime } from '../../format.js';
import { act, clearError } from './actions.js';
import { usePermissions } from '../permissions.js';
import { RevertCountdown } from './RevertCountdown.js';
import { showRun, useScenarios } from './scenarios-store.js';
import { pick } from './text.js';
import { formatPlace } from './view.js';

export function ScenarioBar() {
  const suggestions = useScenarios((s) => s.suggestions);
  const runs = useScenarios((s) => s.runs);
  const error = useScenarios((s) => s.error);
  const countingDown = runs.filter((r): r is ScenarioRun & { revertAt: number } => r.revertAt !== null && r.state === 'active');
  if (suggestions.length === 0 && countingDown.length === 0 && !error) return null;
  return (
    <div className="scenario-bar" data-testid="scenario-bar">
      {countingDown.map((r) => (
        <RevertCountdown key={r.runId} run={r} />
      ))}
      {suggestions.map((s) => (
        <SuggestionBanner key={s.suggestionId} suggestion={s} />
      ))}
      {error ? <ScenarioErrorLine /> : null}
    </div>
  );
}

function SuggestionBanner({ suggestion }: { suggestion: ScenarioSuggestion }) {
  const { t, i18n } = useTranslation();
  const may = usePermissions();
  const [busy, setBusy] = useState<'activate' | 'dismiss' | null>(null);
  const title = pick(suggestion.title, i18n.language);
  const place = formatPlace(suggestion.incident, i18n.language);

  const activate = async () => {
    setBusy('activate');
    const result = await act('scenarios.activate', { scenario: suggestion.scenario, suggestionId: suggestion.suggestionId }, t('scenarios.actions.activate', { title }));
    setBusy(null);
    if (result) showRun(result.run.runId);
  };
  const dismiss = async () => {
    setBusy('dismiss');
    await act('scenarios.dismiss', { suggestionId: suggestion.suggestionId }, t('scenarios.actions.dismiss', { title }));
    setBusy(null);
  };

  return (
    <section className="suggestion-banner" role="alert" data-testid="suggestion-banner" data-suggestion-id={suggestion.suggestionId} data-scenario={suggestion.scenario}>
      <div className="suggestion-icon" aria-hidden="true">
        !
      </div>
      <div className="suggestion-text">
        <div className="suggestion-kicker">{t('scenarios.banner.kicker', { time: formatTime(suggestion.firedAt) })}</div>
        <div className="suggestion-title">{title}</div>
        <div className="suggestion-why" data-testid="suggestion-why">
          <span className="muted">{t('scenarios.banner.why')}:</span> {pick(suggestion.detail, i18n.language)}
        </div>
        {place ? (
          <div className="suggestion-where" data-testid="suggestion-where">
            <span className="muted">{t('scenarios.banner.where')}:</span> {place}
          </div>
        ) : null}
      </div>
      <div className="suggestion-actions">
        {may.scenario('activate') ? (
          <button type="button" className="btn btn-primary btn-large" data-testid="suggestion-activate" disabled={busy !== null} onClick={() => void activate()}>
            {busy === 'activate' ? t('scenarios.activating') : t('scenarios.activate')}
          </button>
        ) : (
          <span className="muted">{t('scenarios.banner.commanderDecides')}</span>
        )}
        {may.scenario('dismiss') ? (
          <button type="button" className="btn" data-testid="suggestion-dismiss" disabled={busy !== null} onClick={() => void dismiss()}>
            {t('scenarios.dismiss')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** The contract's own message, with what was being done and a translated headline for its code. */
export function ScenarioErrorLine() {
  const { t } = useTranslation();
  const error = useScenarios((s) => s.error);
  if (!error) return null;
  return (
    <div className="scenario-error" role="alert" data-testid="scenario-error" data-code={error.code}>
      <div>
        <strong>{t(`scenarios.errors.${error.code}`, { defaultValue: t('scenarios.errors.internal') })}</strong> — {error.action}
        <div className="scenario-error-message">{error.message}</div>
      </div>
      <button type="button" className="btn btn-small" onClick={clearError} aria-label={t('common.close')}>
        ×
      </button>
    </div>
  );
}
