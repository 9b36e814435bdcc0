/**
 * Technicians and administrators: the enrolled display windows (name, who enrolled them, last
 * seen, connected), revoking one, and making the one-time code a display PC's enrolment screen
 * asks for. People see names: a window by its row and column, an account by its full name.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplaySummary, ResponseOf } from '../../native-bridge/contract.js';
import { mayCall } from '../../native-bridge/policy.js';
import { displaySlots } from '../../native-bridge/wall-geometry.js';
import { formatStamp, formatTime } from '../format.js';
import { errorMessage, session } from '../session/session.js';
import { useAppStore } from '../session/store.js';

export function DisplaysPanel() {
  const actor = useAppStore((s) => s.actor);
  if (!mayCall(actor?.role, 'displays.list')) return null;
  return <DisplaysList />;
}

function DisplaysList() {
  const { t } = useTranslation();
  const actor = useAppStore((s) => s.actor);
  const wall = useAppStore((s) => s.wall?.wall ?? null);
  const [displays, setDisplays] = useState<DisplaySummary[] | null>(null);
  const [people, setPeople] = useState<ReadonlyMap<string, string>>(new Map());
  const [code, setCode] = useState<ResponseOf<'displays.enrolmentCode'> | null>(null);
  const [window, setWindow] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [list, names] = await Promise.all([session().client.call('displays.list', {}), session().client.call('accounts.names', {})]);
      setDisplays(list.displays);
      setPeople(new Map(names.people.map((p) => [p.id, p.fullName])));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    if (actor) void refresh();
  }, [actor, refresh]);

  const slots = wall ? displaySlots(wall) : [];
  const windowName = (id: string) => {
    const slot = slots.find((s) => s.windowId === id);
    return slot ? t('displays.window', { row: slot.row + 1, column: slot.column + 1 }) : t('displays.unknownWindow');
  };
  const enrolledBy = (id: string) => (id === 'system' ? t('displays.byHost') : (people.get(id) ?? t('displays.unknownPerson')));

  const makeCode = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setCode(await session().client.call('displays.enrolmentCode', name.trim() ? { window, name: name.trim() } : { window }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const revoke = async (display: DisplaySummary) => {
    if (!globalThis.confirm(t('displays.revokeConfirm', { name: display.name }))) return;
    setError(null);
    try {
      await session().client.call('displays.revoke', { window: display.windowId });
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="panel displays-panel" data-testid="displays-panel">
      <h2 className="panel-title">{t('displays.title')}</h2>
      {displays === null ? (
        <div className="muted">{t('common.loading')}</div>
      ) : displays.length === 0 ? (
        <div className="muted">{t('displays.empty')}</div>
      ) : (
        <ul className="displays-list">
          {displays.map((d) => (
            <li key={d.windowId} data-display={d.windowId}>
              <strong>{d.name}</strong> <span className="muted">({windowName(d.windowId)})</span>{' '}
              <span className={d.connected ? 'badge badge-ok' : 'badge'}>{d.connected ? t('displays.connected') : t('displays.offline')}</span>
              <div className="muted">
                {t('displays.enrolled', { by: enrolledBy(d.enrolledBy), at: formatStamp(d.enrolledAt) })}
                {' · '}
                {d.lastSeenAt === null ? t('displays.neverSeen') : t('displays.lastSeen', { at: formatStamp(d.lastSeenAt) })}
              </div>
              <button type="button" className="btn btn-small" onClick={() => void revoke(d)}>
                {t('displays.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="displays-enrol" onSubmit={(e) => void makeCode(e)}>
        <label>
          {t('displays.which')}
          <select name="window" value={window} onChange={(e) => setWindow(e.target.value)} required>
            <option value="" disabled>
              {t('displays.pick')}
            </option>
            {slots.map((s) => (
              <option key={s.windowId} value={s.windowId}>
                {windowName(s.windowId)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('displays.name')}
          <input name="name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="btn">
          {t('displays.makeCode')}
        </button>
      </form>
      {code ? (
        <p className="displays-code" data-testid="enrolment-code">
          {t('displays.code', { name: code.name, until: formatTime(code.expiresAt, false) })} <code>{code.code}</code>
        </p>
      ) : null}
      {error ? (
        <p className="sign-in-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
