/**
 * DỰ PHÒNG / STANDBY across a window whose node is the pair's standby: the window runs hot (the
 * wall replicated, players playing) so it can show the wall the moment its node takes over, and
 * the mark goes at that moment. Lets clicks through: the content under it is the real wall.
 */
import { useTranslation } from 'react-i18next';
import { nodeLabel, pairView } from '../session/pair-view.js';
import { useAppStore } from '../session/store.js';

export function StandbyMark() {
  const { t, i18n } = useTranslation();
  const status = useAppStore((s) => s.status);
  const config = useAppStore((s) => s.wall?.wall.pair);
  const link = useAppStore((s) => s.link);
  const view = link === 'up' ? pairView(status) : null;
  if (!view?.standby) return null;
  return (
    <div className="standby-mark" data-testid="standby-mark" role="status" aria-live="polite">
      <span className="standby-mark-word">{t('standby.mark')}</span>
      <span className="standby-mark-detail">{t('standby.detail', { node: nodeLabel(config, view.thisNode.id, i18n.language) })}</span>
    </div>
  );
}
