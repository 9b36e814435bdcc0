/**
 * Operator alerts for gateway links: a gateway that was live and has said nothing for longer than
 * the alert delay raises a warning naming it, and its return resolves that warning and says how
 * long it was gone. The hub marks a link stale after 3 s of silence (its own resync rule); the
 * alert waits longer so a hiccup on a busy network does not fill the wall with alerts.
 */
import type { GatewayLink } from '../../../native-bridge/contract.js';
import type { AlertService } from '../alert-service.js';

export const LINK_ALERT_DELAY_MS = 30_000;

interface Watch {
  /** Heard live at least once since the host started (a gateway never seen is not "lost"). */
  wasLive: boolean;
  /** The open silence alert while one is up, and when the gateway was last heard before it. */
  openAlert: { id: string; lastHeard: number } | null;
}

/** "1 giờ 2 phút 5 giây" / "1 h 2 min 5 s": how long a link was gone, in the wall's words. */
export function durationText(ms: number): { vi: string; en: string } {
  const total = Math.max(1, Math.round(ms / 1000));
  const parts: [number, string, string][] = [
    [Math.floor(total / 3600), 'giờ', 'h'],
    [Math.floor((total % 3600) / 60), 'phút', 'min'],
    [total % 60, 'giây', 's'],
  ];
  const shown = parts.filter(([n]) => n > 0);
  return { vi: shown.map(([n, vi]) => `${n} ${vi}`).join(' '), en: shown.map(([n, , en]) => `${n} ${en}`).join(' ') };
}

export class LinkAlerts {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly alerts: AlertService,
    private readonly delayMs = LINK_ALERT_DELAY_MS,
  ) {}

  /** Looks at every link once (called each second with the hub's links). */
  check(links: readonly GatewayLink[], now: number): void {
    for (const link of links) {
      let watch = this.watches.get(link.gateway);
      if (!watch) {
        watch = { wasLive: false, openAlert: null };
        this.watches.set(link.gateway, watch);
      }
      if (link.state === 'live') {
        if (watch.openAlert) this.recovered(link, watch.openAlert, now);
        watch.openAlert = null;
        watch.wasLive = true;
        continue;
      }
      const silentMs = link.lastHeard === null ? 0 : now - link.lastHeard;
      if (watch.wasLive && !watch.openAlert && link.lastHeard !== null && silentMs > this.delayMs) {
        watch.openAlert = { id: `link/${link.gateway}/${link.lastHeard}`, lastHeard: link.lastHeard };
        this.alerts.raiseOnce(watch.openAlert.id, 'warning', `gateway:${link.gateway}`, {
          vi: `Mất kết nối cổng «${link.name}»: không nhận được dữ liệu trong ${durationText(silentMs).vi}`,
          en: `Lost the link to gateway “${link.name}”: nothing received for ${durationText(silentMs).en}`,
        }, now);
      }
    }
  }

  /** A gateway taken off the list: its alert, if any, stays as it is; it is no longer watched. */
  forget(gatewayId: string): void {
    this.watches.delete(gatewayId);
  }

  private recovered(link: GatewayLink, { id, lastHeard }: { id: string; lastHeard: number }, now: number): void {
    this.alerts.resolve(id);
    const gone = durationText(now - lastHeard);
    this.alerts.raiseOnce(`${id}/back`, 'info', `gateway:${link.gateway}`, {
      vi: `Cổng «${link.name}» đã trực tuyến trở lại (mất kết nối ${gone.vi})`,
      en: `Gateway “${link.name}” is back (gone for ${gone.en})`,
    }, now);
  }
}
