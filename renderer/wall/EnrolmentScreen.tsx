/**
 * A display page the host does not know yet (no credential, or a revoked one): a technician reads
 * out the one-time code made in the console's Displays panel and types it here; the page keeps the
 * credential it gets and starts again as that display.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseDisplayWindowId } from '../../native-bridge/wall-geometry.js';
import type { WindowId } from '../../native-bridge/contract.js';
import { errorMessage, session } from '../session/session.js';

export function EnrolmentScreen({ windowId }: { windowId: WindowId }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const slot = parseDisplayWindowId(windowId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session().enrol(code);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <form className="enrolment panel" data-testid="enrolment" onSubmit={(e) => void submit(e)}>
      <h1 className="panel-title">{t('enrolment.title')}</h1>
      <p>{slot ? t('enrolment.which', { row: slot.row + 1, column: slot.column + 1 }) : null}</p>
      <p>{t('enrolment.hint')}</p>
      <label>
        {t('enrolment.code')}
        <input name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={11} placeholder="XXXXX-XXXXX" value={code} onChange={(e) => setCode(e.target.value)} required />
      </label>
      {error ? (
        <p className="sign-in-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {t('enrolment.submit')}
      </button>
    </form>
  );
}
