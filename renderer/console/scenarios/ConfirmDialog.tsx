/** A modal "are you sure?" for the few console actions that change the whole wall by hand (scenarios, moving the wall between the pair's nodes). */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** `confirmDisabled`: the action cannot go yet (a reason still to type, the action under way). */
export function ConfirmDialog({ title, children, confirmLabel, danger, confirmDisabled, onConfirm, onCancel }: { title: string; children?: ReactNode; confirmLabel: string; danger?: boolean; confirmDisabled?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    ok.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="scenario-dialog-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="scenario-dialog" role="dialog" aria-modal="true" aria-label={title} data-testid="confirm-dialog">
        <h3>{title}</h3>
        {children}
        <div className="scenario-dialog-actions">
          <button type="button" className="btn" data-testid="confirm-cancel" onClick={onCancel}>
            {t('scenarios.cancel')}
          </button>
          <button type="button" ref={ok} className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} data-testid="confirm-ok" disabled={confirmDisabled} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
