/** The staged-editing switch and, while a draft has edits, what it holds and how to apply or drop it (staging.ts). */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../session/store.js';
import { applyDraft, discardDraft, draftOutdated, setStaging, useStaging } from './staging.js';

export function StagedEditing() {
  const { t } = useTranslation();
  const { enabled, draft, applying } = useStaging();
  const revision = useAppStore((s) => s.revision);
  const edits = draft?.commands.length ?? 0;
  const outdated = draft !== null && edits > 0 && draftOutdated(draft, revision);
  return (
    <div className={`staged-editing${edits > 0 ? ' has-draft' : ''}`} data-testid="staged-editing" data-edits={edits}>
      <label title={t('staging.hint')}>
        <input type="checkbox" data-testid="staging-toggle" checked={enabled} disabled={edits > 0} onChange={(e) => setStaging(e.target.checked)} />
        <span>{t('staging.toggle')}</span>
      </label>
      {enabled && edits > 0 ? (
        <>
          <span className="staged-count" data-testid="staged-count">
            {t('staging.edits', { count: edits })}
          </span>
          {outdated ? (
            <span className="staged-outdated" role="alert" data-testid="staged-outdated">
              {t('staging.outdated', { from: draft.baseRevision, to: revision })}
            </span>
          ) : null}
          <button type="button" className="btn btn-primary" data-testid="staged-apply" disabled={applying} onClick={() => void applyDraft(outdated)}>
            {t(outdated ? 'staging.applyOver' : 'staging.apply')}
          </button>
          <button type="button" className="btn" data-testid="staged-discard" disabled={applying} onClick={discardDraft}>
            {t('staging.discard')}
          </button>
        </>
      ) : enabled ? (
        <span className="muted">{t('staging.empty')}</span>
      ) : null}
    </div>
  );
}
