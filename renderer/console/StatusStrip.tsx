/** Top strip: node, windows connected, revision, link, operator, the audit log (for the roles the policy lets in), language switch. */
import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from '../i18n/index.js';
import { useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';
import { SignedInAs } from './SignIn.js';

export function StatusStrip({ onOpenAudit }: { onOpenAudit: () => void }) {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.status);
  const revision = useAppStore((s) => s.revision);
  const link = useAppStore((s) => s.link);
  const actor = useAppStore((s) => s.actor);
  const can = usePermissions();
  const lang = useAppStore((s) => s.lang);
  const wallTitle = useAppStore((s) => (s.wall ? (lang === 'en' ? s.wall.wall.title.en : s.wall.wall.title.vi) : null));
  const windows = status?.windows ?? [];
  const connected = windows.filter((w) => w.connected).length;
  return (
    <header className="status-strip" data-testid="status-strip">
      <div className="strip-brand">
        <strong>{t('app.console')}</strong>
        {wallTitle ? <span className="muted"> · {wallTitle}</span> : null}
      </div>
      {can.call('audit.list') || can.call('audit.verify') ? (
        <button type="button" className="btn btn-small strip-item" data-testid="open-audit" onClick={onOpenAudit}>
          {t('audit.title')}
        </button>
      ) : null}
      <div className="strip-item" data-testid="status-node">
        {status ? t('clock.node', { role: t(`role.${status.role}`), host: t(`host.${status.host}`) }) : t('clock.nodeUnknown')}
        {status ? <span className="muted"> ({status.nodeId})</span> : null}
      </div>
      <div className="strip-item" data-testid="status-windows">
        {t('console.windows', { connected, total: windows.length })}
      </div>
      <div className="strip-item" data-testid="status-revision" data-revision={revision}>
        {t('console.revision', { revision })}
      </div>
      <div className={`strip-item link-${link}`} data-testid="status-link" data-link={link}>
        <span className={`dot dot-${link === 'up' ? 'up' : link === 'down' ? 'down' : 'stale'}`} />
        {t(`link.state.${link}`)}
      </div>
      {actor ? <SignedInAs /> : null}
      <div className="strip-lang" role="group" aria-label={t('console.language')}>
        {languages.map((l) => (
          <button key={l} type="button" className={`btn btn-small${l === lang ? ' active' : ''}`} data-lang={l} aria-pressed={l === lang} onClick={() => setLanguage(l)}>
            {l.toUpperCase()}
          </button>
        ))}
      </div>
    </header>
  );
}
