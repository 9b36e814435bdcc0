/**
 * Shown over any window while its link to the host is down (or not yet up): the last picture
 * stays visible underneath, dimmed, so the room sees both the content and that it is not live.
 */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../session/store.js';

export function LinkOverlay() {
  const { t } = useTranslation();
  const link = useAppStore((s) => s.link);
  const hasPicture = useAppStore((s) => s.wall !== null);
  if (link === 'up') return null;
  const text = link === 'down' ? t('link.down') : t('link.connecting');
  return (
    <div className={`link-overlay link-overlay-${link}${hasPicture ? '' : ' opaque'}`} data-testid="link-overlay" data-link={link} role="alert" aria-live="assertive">
      <div className="link-banner">
        <span className="link-banner-icon" aria-hidden="true">
          ⚠
        </span>
        <span>{text}</span>
      </div>
    </div>
  );
}
