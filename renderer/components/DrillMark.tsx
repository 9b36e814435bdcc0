/**
 * DIỄN TẬP / DRILL across the foot of every window (wall displays and the console) while a drill
 * runs on the host: what is on the wall is a simulated incident, and nobody in the room or looking
 * at a screenshot may take it for a real one. Lets clicks through.
 */
import { useTranslation } from 'react-i18next';
import { DRILL_INCIDENT_TITLES } from '../../native-bridge/drills.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../session/store.js';

export function DrillMark() {
  const { t, i18n } = useTranslation();
  const drill = useAppStore((s) => s.status?.drill ?? null);
  if (!drill) return null;
  const title = DRILL_INCIDENT_TITLES[drill.incident];
  return (
    <div className="drill-mark" data-testid="drill-mark" data-incident={drill.incident} role="status" aria-live="polite">
      <span className="drill-mark-word">{t('drill.mark')}</span>
      <span className="drill-mark-detail">{t('drill.detail', { title: i18n.language === 'en' ? title.en : title.vi, name: drill.startedBy.name, time: formatTime(drill.startedAt) })}</span>
    </div>
  );
}
