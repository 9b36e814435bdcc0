/**
 * Health of every gateway link the host keeps: state badge, when it was last heard from, last
 * heartbeat, the gateway's epoch and sequence, and the sync counters. Ages tick every second.
 */
import { useTranslation } from 'react-i18next';
import type { GatewayLink } from '../../../native-bridge/contract.js';
import { formatAge, formatNumber } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { useLive } from '../../session/live-hooks.js';
import type { TileProps } from '../types.js';

export default function LinkHealthTile({ tile }: TileProps<'link-health'>) {
  const { t } = useTranslation();
  const links = useLive((s) => s.links);
  const { showCounters } = tile.props;
  if (links.length === 0) {
    return (
      <div className="link-health empty" data-no-gateways>
        {t('live.noLinks')}
      </div>
    );
  }
  return (
    <table className={`link-health${showCounters ? ' with-counters' : ''}`}>
      <thead>
        <tr>
          <th>{t('live.link.gateway')}</th>
          <th>{t('live.link.state')}</th>
          <th>{t('live.link.lastHeard')}</th>
          <th>{t('live.link.lastHeartbeat')}</th>
          <th>{t('live.link.epoch')}</th>
          {showCounters ? (
            <>
              <th className="num">{t('live.link.seq')}</th>
              <th className="num">{t('live.link.gaps')}</th>
              <th className="num">{t('live.link.snapshots')}</th>
              <th className="num">{t('live.link.rejected')}</th>
            </>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {links.map((link) => (
          <LinkRow key={link.gateway} link={link} showCounters={showCounters} />
        ))}
      </tbody>
    </table>
  );
}

function LinkRow({ link, showCounters }: { link: GatewayLink; showCounters: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const age = (at: number | null) => (at === null ? t('live.link.never') : now - at < 1000 ? t('live.justNow') : formatAge(now - at, i18n.language));
  return (
    <tr className={`link-row link-state-${link.state}`} data-gateway={link.gateway} data-link-state={link.state}>
      <td className="link-name" title={link.gateway}>
        {link.name}
      </td>
      <td>
        <span className={`link-badge badge-${link.state}`}>{t(`live.linkState.${link.state}`)}</span>
      </td>
      <td className="link-age" data-last-heard={link.lastHeard ?? undefined}>
        {age(link.lastHeard)}
      </td>
      <td className="link-age">{age(link.lastHeartbeat)}</td>
      <td>
        <code title={link.epoch ?? undefined}>{link.epoch ? shortEpoch(link.epoch) : '—'}</code>
      </td>
      {showCounters ? (
        <>
          <td className="num">{formatNumber(link.seq, i18n.language)}</td>
          <td className={`num${link.gaps > 0 ? ' warn' : ''}`}>{formatNumber(link.gaps, i18n.language)}</td>
          <td className="num">{formatNumber(link.snapshots, i18n.language)}</td>
          <td className={`num${link.rejected > 0 ? ' warn' : ''}`}>{formatNumber(link.rejected, i18n.language)}</td>
        </>
      ) : null}
    </tr>
  );
}

/** First 8 characters of an epoch id (UUIDs, hex, timestamps all stay recognisable). */
function shortEpoch(epoch: string): string {
  return epoch.length > 8 ? `${epoch.slice(0, 8)}…` : epoch;
}
