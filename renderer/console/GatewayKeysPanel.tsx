/**
 * Gateway keys, for technicians: the host's public key to hand to gateway vendors, each gateway's
 * registered key fingerprints (current, and next during a rotation) and link state, by name; and
 * reloading the gateways file after editing it (no restart). Hidden from roles the policy refuses.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GatewayKeysAnswer, GatewaysReloadAnswer } from '../../native-bridge/contract.js';
import { errorMessage, session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';

const namesOf = (list: GatewaysReloadAnswer['added']) => list.map((g) => g.name).join(', ') || '—';

export function GatewayKeysPanel() {
  const { t } = useTranslation();
  const actor = useAppStore((s) => s.actor);
  const may = usePermissions();
  const allowed = may.call('gateways.keys');
  const [answer, setAnswer] = useState<GatewayKeysAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);

  const load = useCallback(async () => {
    try {
      setAnswer(await session().client.call('gateways.keys', {}));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  // a new actor means a (re)connected session: the keys may have changed meanwhile
  useEffect(() => {
    if (allowed) void load();
  }, [actor, allowed, load]);

  if (!allowed) return null;

  const reload = async () => {
    setReloading(true);
    try {
      const result = await session().client.call('gateways.reload', {});
      showToast(t('gatewayKeys.reloaded', { added: namesOf(result.added), removed: namesOf(result.removed), changed: namesOf(result.changed) }), 'info', 8000);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setReloading(false);
    }
  };

  return (
    <section className="panel gateway-keys-panel" data-testid="gateway-keys-panel">
      <h2 className="panel-title">{t('gatewayKeys.title')}</h2>
      {answer === null ? (
        <div className="muted">{t('common.loading')}</div>
      ) : (
        <>
          <div className="gateway-host-key">
            <div className="muted">{t('gatewayKeys.hostKey')}</div>
            <code data-testid="host-public-key">{answer.host.publicKey}</code>
            <div className="muted">{answer.host.fingerprint}</div>
          </div>
          {answer.gateways.length === 0 ? (
            <div className="muted">{t('live.noLinks')}</div>
          ) : (
            <ul className="gateway-key-list">
              {answer.gateways.map((g) => (
                <li key={g.gateway} data-gateway={g.gateway}>
                  <strong>{g.name}</strong> <span className={`badge link-${g.state}`}>{t(`live.linkState.${g.state}`)}</span>
                  {g.keys.map((k) => (
                    <div key={k.fingerprint} className="gateway-key" data-role={k.role}>
                      {t(`gatewayKeys.role.${k.role}`)}: <code>{k.fingerprint}</code>
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
      {may.call('gateways.reload') ? (
        <>
          <button type="button" className="btn" data-testid="gateways-reload" disabled={reloading} onClick={() => void reload()}>
            {reloading ? t('gatewayKeys.reloading') : t('gatewayKeys.reload')}
          </button>
          <p className="hint muted">{t('gatewayKeys.hint')}</p>
        </>
      ) : null}
    </section>
  );
}
