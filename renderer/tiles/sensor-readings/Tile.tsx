/**
 * Live sensor readings grouped by kind, critical first: name, commune, value with unit, state
 * against thresholds, a sparkline of recent values and the reading's age, flagged "CŨ" when it is
 * older than a minute or its gateway is not live. The tile re-renders only when the list it
 * shows changes; each row re-renders on its own sensor's readings (and once a second for its age).
 */
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveSensor, SensorKind } from '../../../native-bridge/contract.js';
import { Sparkline } from '../../components/Sparkline.js';
import { formatAge, formatQuantity, formatSince } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { useGatewayLinkState, useLive, useSensorSeries } from '../../session/live-hooks.js';
import { isStale, liveData, readingState } from '../../session/live-store.js';
import { useAppStore } from '../../session/store.js';
import type { TileProps } from '../types.js';
import { createSensorViewSelector } from './view.js';

export default function SensorReadingsTile({ tile }: TileProps<'sensor-readings'>) {
  const { t } = useTranslation();
  const { kinds, commune, layout, maxRows, sparkline } = tile.props;
  const kindsKey = kinds.join(',');
  const selector = useMemo(
    () => createSensorViewSelector({ kinds: kindsKey ? (kindsKey.split(',') as SensorKind[]) : [], commune, maxRows }, liveData),
    [kindsKey, commune, maxRows],
  );
  const view = useLive(selector);

  if (view.shown === 0) {
    return (
      <div className="sensor-readings empty" data-sensor-empty>
        {t('live.noSensors')}
      </div>
    );
  }
  return (
    <div className={`sensor-readings layout-${layout}`} data-layout={layout}>
      {view.groups.map((group) => (
        <section key={group.kind} className={`sr-group worst-${group.worst}`} data-sensor-kind={group.kind}>
          <h3 className="sr-group-title">
            {t(`sensorKind.${group.kind}`)}
            <span className="sr-group-count">{group.rows.length}</span>
          </h3>
          <div className="sr-rows">
            {group.rows.map(({ sensor }) => (
              <SensorRow key={sensor.id} sensor={sensor} sparkline={sparkline} />
            ))}
          </div>
        </section>
      ))}
      {view.total > view.shown ? <div className="sr-more muted">{t('live.more', { count: view.total - view.shown })}</div> : null}
    </div>
  );
}

const SensorRow = memo(function SensorRow({ sensor, sparkline }: { sensor: LiveSensor; sparkline: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const { series, version } = useSensorSeries(sensor.id);
  const linkState = useGatewayLinkState(sensor.gateway);
  const hostDown = useAppStore((s) => s.link === 'down');
  const lang = i18n.language;

  const hasReading = series !== undefined && series.size > 0;
  const at = hasReading ? series.at : null;
  const state = hasReading ? readingState(series.value, sensor.thresholds) : 'normal';
  const stale = isStale(at, now, linkState, hostDown);
  // recent values change only with the version; the per-second re-render reuses them
  const recent = useMemo(() => (series ? series.recent() : []), [series, version]);

  return (
    <div
      className={`sr-row state-${state}${stale ? ' stale' : ''}`}
      data-sensor-id={sensor.id}
      data-state={state}
      data-stale={stale ? 'true' : 'false'}
    >
      <span className="sr-name" title={sensor.name}>
        {sensor.name}
      </span>
      <span className="sr-commune">{sensor.commune}</span>
      <span className="sr-value" data-value={hasReading ? series.value : undefined}>
        {hasReading ? formatQuantity(series.value, sensor.unit, lang) : '—'}
      </span>
      {sparkline ? (
        <span className="sr-spark">
          <Sparkline values={recent} />
        </span>
      ) : null}
      <span className="sr-age">
        {at === null ? (
          <span className="muted">{t('live.noReading')}</span>
        ) : (
          <>
            <span className="sr-age-text">{now - at < 1000 ? t('live.justNow') : formatAge(now - at, lang)}</span>
            {stale ? (
              <span className="stale-badge" data-stale-badge>
                {t('live.staleSince', { time: formatSince(at, now) })}
              </span>
            ) : null}
          </>
        )}
      </span>
    </div>
  );
});
