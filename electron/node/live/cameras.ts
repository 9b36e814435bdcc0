/**
 * Cameras on the host side: the nearest cameras to a point (a plain distance scan; the GIS
 * issue's spatial index replaces it when it lands) and the liveness that windows report for
 * their camera tiles, with an alert when a camera stays dark too long.
 */
import type { CameraHealth, GeoPoint, LiveCamera } from '../../../native-bridge/contract.js';
import { distanceM } from '../../../native-bridge/geo.js';
import { parseDisplayWindowId } from '../../../native-bridge/wall-geometry.js';
import type { AlertService } from '../alert-service.js';

export function nearestCameras(cameras: readonly LiveCamera[], location: GeoPoint, radiusKm: number, limit: number): { id: string; name: string; distanceM: number }[] {
  return cameras
    .map((c) => ({ id: c.id, name: c.name, distanceM: Math.round(distanceM(location.lon, location.lat, c.location.lon, c.location.lat)) }))
    .filter((c) => c.distanceM <= radiusKm * 1000)
    .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
    .slice(0, limit);
}

const DARK = new Set<CameraHealth['state']>(['stalled', 'recovering', 'error']);

/** "hàng 2, cột 1" for a display window id (r1c0); other windows by their id. */
function displayName(windowId: string): { vi: string; en: string } {
  const slot = parseDisplayWindowId(windowId);
  if (!slot) return { vi: windowId, en: windowId };
  const row = slot.row + 1;
  const column = slot.column + 1;
  return { vi: `hàng ${row}, cột ${column}`, en: `row ${row}, column ${column}` };
}

/**
 * Keeps each window's latest camera reports; raises one alert per outage longer than alertAfterMs.
 * A camera is lost only when no window that shows it plays it: a grid spanning displays, or the
 * same camera in two tiles, is shown by several windows, and one of them still starting (or
 * showing only a letterbox bar) while another plays is no outage. The outage starts when the last
 * window showing the camera went dark.
 */
export class CameraHealthBoard {
  private readonly byWindow = new Map<string, CameraHealth[]>();
  private readonly alerted = new Set<string>();

  constructor(
    private readonly alerts: AlertService,
    /** A camera's commune (null: not known): its outage alert is that commune's. */
    private readonly communeOf: (cameraId: string) => string | null,
    /** A camera's name for people (null: not known; the alert then says "camera chưa đăng ký"). */
    private readonly nameOf: (cameraId: string) => string | null,
    private readonly alertAfterMs = 30_000,
    private readonly clock: () => number = Date.now,
  ) {}

  report(windowId: string, reports: readonly CameraHealth[]): void {
    this.byWindow.set(windowId, [...reports]);
    const now = this.clock();
    for (const cameraId of new Set(reports.filter((r) => DARK.has(r.state)).map((r) => r.cameraId))) {
      const shown = this.all().filter((e) => e.health.cameraId === cameraId);
      if (shown.some((e) => !DARK.has(e.health.state))) continue; // some window plays (or still starts) it
      const since = shown.reduce((latest, e) => Math.max(latest, e.health.since), 0);
      const key = `${cameraId}/${since}`;
      if (now - since < this.alertAfterMs || this.alerted.has(key)) continue;
      this.alerted.add(key);
      const at = new Date(since).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
      const displays = [...new Set(shown.map((e) => e.windowId))].sort().map(displayName);
      const name = this.nameOf(cameraId);
      this.alerts.raise('warning', `camera:${cameraId}`, {
        vi: `${name ?? 'Camera chưa đăng ký'} mất tín hiệu từ ${at} (màn hình ${displays.map((d) => d.vi).join('; ')})`,
        en: `${name ?? 'An unregistered camera'} has had no picture since ${at} (display ${displays.map((d) => d.en).join('; ')})`,
      }, this.communeOf(cameraId));
    }
  }
  forgetWindow(windowId: string): void {
    this.byWindow.delete(windowId);
  }

  all(): { windowId: string; health: CameraHealth }[] {
    return [...this.byWindow].flatMap(([windowId, list]) => list.map((health) => ({ windowId, health })));
  }
}
