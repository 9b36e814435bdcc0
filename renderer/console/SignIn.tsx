/**
 * The console's sign-in: password, then the TOTP (or a recovery) code when the account has one;
 * an administrator's or technician's first sign-in enrols TOTP and shows the recovery codes once.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../native-bridge/contract.js';
import { errorMessage, session } from '../session/session.js';
import { useAppStore } from '../session/store.js';

type Step = 'password' | 'code' | 'enrol';

export function SignIn() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<Step>('password');
  const [enrolment, setEnrolment] = useState<ResponseOf<'auth.enrolTotp'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (step === 'enrol') {
        const { recoveryCodes } = await session().confirmTotp(code);
        window.alert(t('signIn.recoveryCodes', { codes: recoveryCodes.join('\n') }));
        return;
      }
      const answer = await session().signIn(username, password, step === 'code' ? code : undefined);
      if (answer.state === 'second-factor-needed') setStep('code');
      if (answer.state === 'enrolment-needed') {
        setEnrolment(await session().enrolTotp());
        setStep('enrol');
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sign-in panel" data-testid="sign-in" onSubmit={(e) => void submit(e)}>
      <h1 className="panel-title">{t('signIn.title')}</h1>
      {step === 'password' && (
        <>
          <label>
            {t('signIn.username')}
            <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          </label>
          <label>
            {t('signIn.password')}
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
        </>
      )}
      {step === 'enrol' && enrolment && (
        <div className="sign-in-enrol">
          <p>{t('signIn.enrolHint')}</p>
          <code data-testid="totp-secret">{enrolment.secret}</code>
          <code className="muted">{enrolment.uri}</code>
        </div>
      )}
      {step !== 'password' && (
        <label>
          {t('signIn.code')}
          <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
        </label>
      )}
      {error && (
        <p className="sign-in-error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}

/** Who is signed in at the console, with their role and scope, and sign-out. */
export function SignedInAs() {
  const { t } = useTranslation();
  const actor = useAppStore((s) => s.actor);
  const scope = useAppStore((s) => s.scope);
  const scopeLabel = scope === null ? null : scope.kind === 'province' ? t('signIn.scopeProvince') : t('signIn.scopeCommunes', { communes: scope.communes.join(', ') });
  return (
    <button title={[actor?.name ?? actor?.id, scopeLabel].filter(Boolean).join(' · ')} type="button" className="btn btn-small strip-item signed-in-as" data-testid="sign-out" data-role={actor?.role} onClick={() => void session().signOut()}>
      {actor?.name ?? actor?.id}
      {actor ? ` (${t(`actorRole.${actor.role}`)})` : ''}
      {scopeLabel ? <span data-testid="signed-in-scope"> · {scopeLabel}</span> : null} · {t('signIn.signOut')}
    </button>
  );
}
