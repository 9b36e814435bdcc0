/**
 * Accounts, for administrators: who may sign in at the console, with which role and over which
 * communes; create, change role or scope, reset a password, disable or re-enable. The host checks
 * every change (policy table, password rules); a refusal is shown as the host said it.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AUTH_LIMITS, type AccountSummary, type PersonRole, type Scope } from '../../native-bridge/auth.js';
import { PERSON_ROLES } from '../../native-bridge/policy.js';
import { errorMessage, session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';

/** "Biên Hòa, Trảng Bom" ⇄ a scope: an empty list is the whole province. */
export function scopeFromText(text: string): Scope {
  const communes = [...new Set(text.split(/[,;\n]/).map((c) => c.trim().replace(/\s+/g, ' ')).filter((c) => c !== ''))];
  return communes.length === 0 ? { kind: 'province' } : { kind: 'communes', communes };
}
export const scopeText = (scope: Scope): string => (scope.kind === 'province' ? '' : scope.communes.join(', '));

async function change(task: () => Promise<unknown>, done: string, setError: (message: string | null) => void): Promise<boolean> {
  try {
    await task();
    setError(null);
    showToast(done, 'info');
    return true;
  } catch (error) {
    setError(errorMessage(error));
    return false;
  }
}

export function AccountsPanel() {
  const { t } = useTranslation();
  const actor = useAppStore((s) => s.actor);
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    session()
      .client.call('accounts.list', {})
      .then((r) => setAccounts(r.accounts))
      .catch((e: unknown) => setError(errorMessage(e)));

  useEffect(() => {
    if (actor) void reload();
  }, [actor]);

  return (
    <section className="panel accounts-panel" data-testid="accounts-panel">
      <h2 className="panel-title">{t('accounts.title')}</h2>
      {accounts === null ? (
        <div className="muted">{t('common.loading')}</div>
      ) : (
        <ul className="account-list">
          {accounts.map((a) => (
            <AccountRow key={a.id} account={a} self={a.id === actor?.id} onChanged={reload} setError={setError} />
          ))}
        </ul>
      )}
      {error ? (
        <div className="field-error" data-testid="accounts-error">
          {error}
        </div>
      ) : null}
      <CreateAccountForm onCreated={reload} setError={setError} />
    </section>
  );
}

function RoleSelect({ value, onChange, name }: { value: PersonRole; onChange: (role: PersonRole) => void; name: string }) {
  const { t } = useTranslation();
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value as PersonRole)}>
      {PERSON_ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`actorRole.${r}`)}
        </option>
      ))}
    </select>
  );
}

function CommunesInput({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      <span>{t('accounts.communes')}</span>
      <input name="communes" value={value} onChange={(e) => onChange(e.target.value)} placeholder={t('accounts.communesHint')} lang="vi" />
    </label>
  );
}

function AccountRow({ account, self, onChanged, setError }: { account: AccountSummary; self: boolean; onChanged: () => void; setError: (m: string | null) => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [role, setRole] = useState(account.role);
  const [communes, setCommunes] = useState(scopeText(account.scope));
  const [password, setPassword] = useState('');
  const act = async (task: () => Promise<unknown>, done: string) => {
    if (await change(task, done, setError)) {
      setEditing(false);
      setPassword('');
      onChanged();
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void act(() => session().client.call('accounts.update', { id: account.id, role, scope: scopeFromText(communes) }), t('accounts.saved', { name: account.fullName }));
  };
  return (
    <li className={`account-item${account.disabled ? ' disabled' : ''}`} data-account={account.username} data-role={account.role} data-disabled={account.disabled ? 'true' : 'false'}>
      <div className="account-text">
        <div className="account-name">{account.fullName}</div>
        <div className="account-meta muted">
          {account.username} · {t(`actorRole.${account.role}`)} · {account.scope.kind === 'province' ? t('accounts.province') : account.scope.communes.join(', ')}
          {account.totpEnrolled ? ` · ${t('accounts.totp')}` : ''}
          {account.disabled ? <span className="badge badge-warn"> {t('accounts.disabledBadge')}</span> : null}
        </div>
      </div>
      {self ? null : (
        <div className="account-actions">
          <button type="button" className="btn btn-small" data-account-action="edit" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
            {t('accounts.edit')}
          </button>
          <button
            type="button"
            className={`btn btn-small${account.disabled ? '' : ' btn-danger'}`}
            data-account-action={account.disabled ? 'enable' : 'disable'}
            onClick={() =>
              void act(() => session().client.call('accounts.disable', { id: account.id, disabled: !account.disabled }), t(account.disabled ? 'accounts.enabled' : 'accounts.disabled', { name: account.fullName }))
            }
          >
            {account.disabled ? t('accounts.enable') : t('accounts.disable')}
          </button>
        </div>
      )}
      {editing ? (
        <form className="account-edit" onSubmit={save}>
          <label>
            <span>{t('accounts.role')}</span>
            <RoleSelect name="role" value={role} onChange={setRole} />
          </label>
          <CommunesInput value={communes} onChange={setCommunes} />
          <button type="submit" className="btn btn-small btn-primary" data-account-action="save">
            {t('accounts.save')}
          </button>
          <label>
            <span>{t('accounts.newPassword')}</span>
            <input name="new-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button
            type="button"
            className="btn btn-small"
            data-account-action="reset-password"
            disabled={password.length < AUTH_LIMITS.passwordMin}
            onClick={() => void act(() => session().client.call('accounts.resetPassword', { id: account.id, password }), t('accounts.passwordReset', { name: account.fullName }))}
          >
            {t('accounts.resetPassword')}
          </button>
        </form>
      ) : null}
    </li>
  );
}

function CreateAccountForm({ onCreated, setError }: { onCreated: () => void; setError: (m: string | null) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [role, setRole] = useState<PersonRole>('operator');
  const [communes, setCommunes] = useState('');
  const [password, setPassword] = useState('');
  const ready = username !== '' && fullName.trim() !== '' && password.length >= AUTH_LIMITS.passwordMin;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const request = { username: username.trim(), fullName: fullName.trim(), role, scope: scopeFromText(communes), password };
    if (await change(() => session().client.call('accounts.create', request), t('accounts.created', { name: request.fullName }), setError)) {
      setUsername('');
      setFullName('');
      setCommunes('');
      setPassword('');
      onCreated();
    }
  };
  return (
    <form className="account-create" data-testid="account-create" onSubmit={(e) => void submit(e)}>
      <h3 className="panel-subtitle">{t('accounts.createTitle')}</h3>
      <label>
        <span>{t('accounts.fullName')}</span>
        <input name="full-name" value={fullName} onChange={(e) => setFullName(e.target.value)} lang="vi" autoComplete="off" />
      </label>
      <label>
        <span>{t('signIn.username')}</span>
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value.toLowerCase())} autoComplete="off" spellCheck={false} placeholder="nguyenvanan" />
      </label>
      <label>
        <span>{t('accounts.role')}</span>
        <RoleSelect name="role" value={role} onChange={setRole} />
      </label>
      <CommunesInput value={communes} onChange={setCommunes} />
      <label>
        <span>{t('accounts.password', { min: AUTH_LIMITS.passwordMin })}</span>
        <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-primary" data-testid="account-create-submit" disabled={!ready}>
        {t('accounts.create')}
      </button>
    </form>
  );
}
