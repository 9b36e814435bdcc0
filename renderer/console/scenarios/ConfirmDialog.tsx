/** A modal "are you sure?" for the few scenario actions that change the whole wall by hand. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onCancel }: { title: string; children?: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
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
          <button type="button" ref={ok} className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} data-testid="confirm-ok" onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
