/**
 * Cameras on the host side: the nearest cameras to a point (a plain distance scan; the GIS
 * issue's spatial index replaces it when it lands) and the liveness that windows report for
 * their camera tiles, with an alert when a camera stays dark too long.
 */
import type { CameraHealth, GeoPoint, LiveCamera } from '../../../native-bridge/contract.js';
import { distanceM } from '../../../native-bridge/geo.js';
import type { AlertService } from '../alert-service.js';

export function nearestCameras(cameras: readonly LiveCamera[], location: GeoPoint, radiusKm: number, limit: number): { id: string; name: string; distanceM: number }[] {
  return cameras
    .map((c) => ({ id: c.id, name: c.name, distanceM: Math.round(distanceM(location.lon, location.lat, c.location.lon, c.location.lat)) }))
    .filter((c) => c.distanceM <= radiusKm * 1000)
    .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
    .slice(0, limit);
}

/** Keeps each window's latest camera reports; raises one alert per outage longer than alertAfterMs. */
export class CameraHealthBoard {
  private readonly byWindow = new Map<string, CameraHealth[]>();
  private readonly alerted = new Set<string>();

  constructor(
    private readonly alerts: AlertService,
    /** A camera's commune (null: not known): its outage alert is that commune's. */
    private readonly communeOf: (cameraId: string) => string | null,
    private readonly alertAfterMs = 30_000,
    private readonly clock: () => number = Date.now,
  ) {}

  report(windowId: string, reports: readonly CameraHealth[]): void {
    this.byWindow.set(windowId, [...reports]);
    const now = this.clock();
    for (const r of reports) {
      const key = `${windowId}/${r.tileId}/${r.cameraId}/${r.since}`;
      const dark = r.state === 'stalled' || r.state === 'recovering' || r.state === 'error';
      if (dark && now - r.since >= this.alertAfterMs && !this.alerted.has(key)) {
        this.alerted.add(key);
        const since = new Date(r.since).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
        this.alerts.raise('warning', `camera:${r.cameraId}`, {
          vi: `Camera ${r.cameraId} mất tín hiệu trên màn hình ${windowId} từ ${since}`,
          en: `Camera ${r.cameraId} has no picture on display ${windowId} since ${since}`,
        }, this.communeOf(r.cameraId));
      }
    }
  }

  forgetWindow(windowId: string): void {
    this.byWindow.delete(windowId);
  }

  all(): { windowId: string; health: CameraHealth }[] {
    return [...this.byWindow].flatMap(([windowId, list]) => list.map((health) => ({ windowId, health })));
  }
}
