/**
 * Which of the wall's windows are connected, what each last painted and when it was last seen; a
 * display window gone for longer than the loss delay raises an alert (a dark display on the wall
 * must not go unnoticed). The console may come and go.
 */
import { ContractError, type WallDefinition, type WindowId, type WindowStatus } from '../../native-bridge/contract.js';
import { displaySlots } from '../../native-bridge/wall-geometry.js';
import type { AlertService } from './alert-service.js';

interface WindowTrack {
  connections: number;
  paintedRevision: number;
  lastSeen: number | null;
  lossTimer: ReturnType<typeof setTimeout> | null;
}

export class WindowPresence {
  private readonly windows = new Map<WindowId, WindowTrack>();

  constructor(
    private readonly wall: WallDefinition,
    private readonly alerts: AlertService,
    private readonly lossAlertMs: number,
    /** What people call a display (its enrolled name), for the alert. */
    private readonly nameOf: (id: WindowId) => string,
  ) {
    for (const id of ['console' as WindowId, ...displaySlots(wall).map((s) => s.windowId)]) {
      this.windows.set(id, { connections: 0, paintedRevision: 0, lastSeen: null, lossTimer: null });
    }
  }

  /** A connection says hello as `id` (having been `previous` until now, or nothing). */
  connected(id: WindowId, previous: WindowId | null): void {
    const track = this.windows.get(id);
    if (!track) throw new ContractError('not-found', `window "${id}" is not part of wall "${this.wall.id}"`, 'window');
    if (previous !== id) {
      if (previous) this.windows.get(previous)!.connections--;
      track.connections++;
    }
    track.lastSeen = Date.now();
    if (track.lossTimer) clearTimeout(track.lossTimer);
    track.lossTimer = null;
  }

  painted(id: WindowId, revision: number, at: number): void {
    const track = this.windows.get(id)!;
    track.paintedRevision = Math.max(track.paintedRevision, revision);
    track.lastSeen = at;
  }

  disconnected(id: WindowId): void {
    const track = this.windows.get(id)!;
    track.connections--;
    if (track.connections > 0 || id === 'console' || track.lossTimer) return;
    track.lossTimer = setTimeout(() => {
      track.lossTimer = null;
      if (track.connections === 0) this.alerts.raise('warning', 'display', { vi: `${this.nameOf(id)} mất kết nối`, en: `Display ${id} (${this.nameOf(id)}) lost its connection` });
    }, this.lossAlertMs);
    track.lossTimer.unref?.();
  }

  list(): WindowStatus[] {
    return [...this.windows].map(([windowId, w]) => ({ windowId, connected: w.connections > 0, paintedRevision: w.paintedRevision, lastSeen: w.lastSeen }));
  }

  dispose(): void {
    for (const track of this.windows.values()) if (track.lossTimer) clearTimeout(track.lossTimer);
  }
}
