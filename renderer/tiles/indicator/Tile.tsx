/**
 * Indicators (bộ chỉ số): value with unit, target, status colour (met / at risk / not met / no
 * data), a trend sparkline of the recent history, and the period or time of the data. One or
 * several indicators by id, a whole sector group, or all; a header counts their statuses.
 */
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorView } from '../../../native-bridge/contract.js';
import { Sparkline } from '../../components/Sparkline.js';
import { formatNumber, formatQuantity, formatSince } from '../../format.js';
import { useIndicators } from '../../session/indicators-store.js';
import type { TileProps } from '../types.js';
import { countByStatus, formatPeriod, pickIndicators, targetSign } from './view.js';

export default function IndicatorTile({ tile }: TileProps<'indicator'>) {
  const { t } = useTranslation();
  const { ids, sector, layout, sparkline, summary } = tile.props;
  const all = useIndicators((s) => s.indicators);
  const loaded = useIndicators((s) => s.loaded);
  // the wall state is immutable (immer): ids keeps its identity until the tile's props change
  const shown = useMemo(() => pickIndicators(all, ids, sector), [all, ids, sector]);

  if (!loaded) return <div className="indicators empty muted">{t('indicators.loading')}</div>;
  if (shown.length === 0) return <div className="indicators empty muted">{t('indicators.none')}</div>;
  const counts = countByStatus(shown);
  return (
    <div className={`indicators layout-${layout}`} data-layout={layout}>
      {summary ? (
        <div className="ind-summary" data-ind-summary>
          {sector ? <span className="ind-sector">{t(`indicators.sector.${sector}`, { defaultValue: sector })}</span> : null}
          {(['met', 'at-risk', 'not-met', 'no-data'] as const).map((status) =>
            counts[status] > 0 ? (
              <span key={status} className={`ind-count status-${status}`} data-count={status}>
                {t(`indicators.status.${status}`)}: {counts[status]}
              </span>
            ) : null,
          )}
        </div>
      ) : null}
      <div className="ind-items">
        {shown.map((view) => (
          <IndicatorItem key={view.id} view={view} sparkline={sparkline} />
        ))}
      </div>
    </div>
  );
}

const IndicatorItem = memo(function IndicatorItem({ view, sparkline }: { view: IndicatorView; sparkline: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const values = useMemo(() => view.history.map(([, v]) => v), [view.history]);
  const when = view.period ? formatPeriod(view.period, lang) : view.dataAt !== null ? formatSince(view.dataAt, Date.now()) : null;
  return (
    <article className={`ind-item status-${view.status}`} data-indicator-id={view.id} data-status={view.status} data-value={view.value ?? undefined}>
      <h3 className="ind-title" title={lang === 'en' ? view.title.en : view.title.vi}>
        {lang === 'en' ? view.title.en : view.title.vi}
      </h3>
      <div className="ind-value">
        <span className="ind-number">{view.value === null ? '—' : formatNumber(view.value, lang)}</span>
        {view.unit ? <span className="ind-unit">{view.unit}</span> : null}
      </div>
      <span className="ind-status">{t(`indicators.status.${view.status}`)}</span>
      <span className="ind-target">{t('indicators.target', { target: `${targetSign(view.direction)} ${formatQuantity(view.target, view.unit, lang)}` })}</span>
      {sparkline ? (
        <span className="ind-spark">
          <Sparkline values={values} />
        </span>
      ) : null}
      {when ? <span className="ind-when">{when}</span> : null}
    </article>
  );
});
