/** Visible feedback for failed commands (and a few confirmations). Errors are never silent. */
import { useTranslation } from 'react-i18next';
import { dismissToast, useAppStore } from '../session/store.js';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useAppStore((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" aria-live="assertive">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={toast.kind}>
          <span className="toast-message">{toast.message}</span>
          <button type="button" className="toast-close" onClick={() => dismissToast(toast.id)} aria-label={t('common.close')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
