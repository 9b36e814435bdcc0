/**
 * Clock and status: time in Asia/Ho_Chi_Minh (only the clock face re-renders each second), date
 * with weekday, node role/host, which node of a pair drives the wall, windows connected, whether
 * this window's map renders in software, gateway links, and this window's own link. Across
 * displays each display's part holds its own share of them, clear of the bezel.
 */
import { useTranslation } from 'react-i18next';
import { formatDate, formatTime, formatWeekday } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import type { NodeStatus } from '../../../native-bridge/contract.js';
import { nodeLabel, pairView } from '../../session/pair-view.js';
import { useAppStore } from '../../session/store.js';
import { useGlRenderer } from '../../map/gl-renderer.js';
import { useTileColumnSpans } from '../bezel-spans.js';
import type { TileProps } from '../types.js';

/** A gateway link's state as the status line says it: the same words as the link tiles and the console (live.linkState). */
const LINK_STATE_WORD: Record<NodeStatus['links'][number]['state'], 'live' | 'stale' | 'offline'> = { up: 'live', stale: 'stale', down: 'offline' };

export default function ClockStatusTile({ tile }: TileProps<'clock-status'>) {
  const { showSeconds, showDate, showLinks } = tile.props;
  const spans = useTileColumnSpans();
  const face = <ClockFace showSeconds={showSeconds} showDate={showDate} />;
  if (!spans) {
    return (
      <div className="clock-status">
        {face}
        <div className="clock-status-lines">
          <NodeStatusLines />
          {showLinks ? <LinkLines part={0} parts={1} /> : null}
        </div>
      </div>
    );
  }
  // Across displays, each display's part lays out its own share (the clock and this node first,
  // the gateway links over the rest), so no line runs under a bezel.
  const nodeSpan = showLinks ? 0 : 1;
  return (
    <>
      {spans.map((span, i) => (
        // the body sits inside the frame's 1 px border: tile pixels less one
        <div key={i} className="clock-status-span" style={{ left: span.start - 1, width: span.end - span.start }}>
          <div className="clock-status">
            {i === 0 ? face : null}
            <div className="clock-status-lines">
              {i === nodeSpan ? <NodeStatusLines /> : null}
              {showLinks && i > 0 ? <LinkLines part={i - 1} parts={spans.length - 1} /> : null}
            </div>
          </div>
        </div>
      ))}
    </>
  );
}

function ClockFace({ showSeconds, showDate }: { showSeconds: boolean; showDate: boolean }) {
  const now = useNow();
  const { i18n } = useTranslation();
  return (
    <div className="clock-face">
      <div className="clock-time" data-clock-time>
        {formatTime(now, showSeconds)}
      </div>
      {showDate ? (
        <div className="clock-date" data-clock-date>
          {formatWeekday(now, i18n.language)}, {formatDate(now)}
        </div>
      ) : null}
    </div>
  );
}

function NodeStatusLines() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.status);
  const link = useAppStore((s) => s.link);
  // without a GPU the map runs on a CPU budget (renderer/map/window-deck.ts): say so, video comes first
  const gl = useGlRenderer();
  const windows = status?.windows ?? [];
  const connected = windows.filter((w) => w.connected).length;
  return (
    <>
      <div className="status-line" data-status-node>
        {status
          ? t('clock.node', { role: t(`role.${status.role}`), host: t(`host.${status.host}`) })
          : t('clock.nodeUnknown')}
      </div>
      <PairLines status={status} />
      <div className="status-line">{t('clock.windows', { connected, total: windows.length })}</div>
      {gl?.software ? (
        <div className="status-line muted" data-map-software={gl.software}>
          {t('clock.mapSoftware')}
        </div>
      ) : null}
      <div className={`status-line link-${link}`} data-local-link={link}>
        <span className={`dot dot-${link === 'up' ? 'up' : link === 'down' ? 'down' : 'stale'}`} />
        {t('clock.localLink', { state: t(`link.state.${link}`) })}
      </div>
    </>
  );
}

/** The gateway links, or the `part`-th of `parts` even shares of them when the tile is laid out per display. */
function LinkLines({ part, parts }: { part: number; parts: number }) {
  const { t } = useTranslation();
  const links = useAppStore((s) => s.status?.links ?? null);
  if (!links || links.length === 0) {
    return part === 0 ? (
      <div className="status-links">
        <div className="status-line muted" data-no-links>
          {t('clock.noLinks')}
        </div>
      </div>
    ) : null;
  }
  const share = links.slice(Math.ceil((links.length * part) / parts), Math.ceil((links.length * (part + 1)) / parts));
  return (
    <div className="status-links">
      {share.map((l) => (
        <div key={l.id} className={`status-line link-${l.state}`} data-link-id={l.id}>
          <span className={`dot dot-${l.state}`} />
          {l.name}: {t(`live.linkState.${LINK_STATE_WORD[l.state]}`)}
        </div>
      ))}
    </div>
  );
}

/** A pair's wall: which node drives it, and the node this window is on when that is the standby. */
function PairLines({ status }: { status: NodeStatus | null }) {
  const { t, i18n } = useTranslation();
  const config = useAppStore((s) => s.wall?.wall.pair ?? null);
  const view = pairView(status);
  if (!view) return null;
  const { driving, thisNode } = view;
  const node = (id: string) => nodeLabel(config, id, i18n.language);
  return (
    <>
      <div className="status-line" data-status-driving={driving?.id ?? ''}>
        {driving ? t('clock.drives', { node: node(driving.id), state: t(`standby.state.${driving.state}`) }) : t('clock.drivesUnknown')}
      </div>
      {view.standby ? (
        <div className="status-line link-stale" data-status-this-node={thisNode.id}>
          {t('clock.thisNode', { node: node(thisNode.id), state: t(`standby.state.${thisNode.state}`) })}
        </div>
      ) : null}
    </>
  );
}
