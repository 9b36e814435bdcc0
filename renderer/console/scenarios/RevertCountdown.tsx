/**
 * A run whose trigger cleared while procedure steps were still open: the host counts down to
 * giving the wall back (ScenarioRun.revertAt). The commander sees it at the top of the console,
 * with the time left and the open steps, and decides: *Giữ tường* (the run stays until closed) or
 * *Trở về ngay* (close it now). Nothing reverts silently.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioRun } from '../../../native-bridge/scenario-run.js';
import { useNow } from '../../hooks/useNow.js';
import { usePermissions } from '../permissions.js';
import { act } from './actions.js';
import { showRun } from './scenarios-store.js';
import { pick } from './text.js';

/** m:ss left, never below zero (the host's tick ends the run a moment after). */
export function timeLeft(revertAt: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((revertAt - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function RevertCountdown({ run }: { run: ScenarioRun & { revertAt: number } }) {
  const { t, i18n } = useTranslation();
  const may = usePermissions();
  const now = useNow();
  const [busy, setBusy] = useState<'keep' | 'close' | null>(null);
  const title = pick(run.title, i18n.language);
  const open = run.steps.filter((s) => s.state !== 'done').length;
  const due = now >= run.revertAt;
  const decide = async (what: 'keep' | 'close') => {
    setBusy(what);
    if (what === 'keep') await act('scenarios.keep', { runId: run.runId }, t('scenarios.actions.keep', { title }));
    else await act('scenarios.close', { runId: run.runId }, t('scenarios.actions.revertNow', { title }));
    setBusy(null);
  };
  return (
    <section className="suggestion-banner revert-countdown" role="alert" data-testid="revert-countdown" data-run-id={run.runId} data-scenario={run.scenario}>
      <div className="suggestion-icon" aria-hidden="true">
        !
      </div>
      <div className="suggestion-text">
        <div className="suggestion-kicker">{t('scenarios.countdown.kicker')}</div>
        <button type="button" className="suggestion-title link-button" onClick={() => showRun(run.runId)}>
          {title}
        </button>
        <div className="suggestion-why" data-testid="revert-countdown-text">
          {due ? t('scenarios.countdown.due') : t('scenarios.countdown.text', { count: open, left: timeLeft(run.revertAt, now) })}
        </div>
      </div>
      <div className="suggestion-actions">
        {may.scenario('keep') ? (
          <>
            <button type="button" className="btn btn-primary btn-large" data-testid="revert-keep" title={t('scenarios.countdown.keepHint')} disabled={busy !== null} onClick={() => void decide('keep')}>
              {t('scenarios.countdown.keep')}
            </button>
            <button type="button" className="btn" data-testid="revert-now" disabled={busy !== null} onClick={() => void decide('close')}>
              {t('scenarios.countdown.revertNow')}
            </button>
          </>
        ) : (
          <span className="muted">{t('scenarios.countdown.commanderDecides')}</span>
        )}
      </div>
    </section>
  );
}
