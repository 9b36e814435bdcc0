/**
 * Camera liveness reports of this window to the host ('cameras.health'): one batched call with
 * every shown cell's state, sent on state changes but at most once a second, plus a keep-alive
 * every 10 s so a restarted host learns the picture again. Hidden cells are not reported.
 */
import type { CameraHealth } from '../../native-bridge/contract.js';
import { session } from '../session/session.js';
import { useAppStore } from '../session/store.js';

const MIN_INTERVAL_MS = 1000;
const KEEPALIVE_MS = 10_000;
const MAX_REPORTS = 256;

class HealthReporter {
  private readonly entries = new Map<string, CameraHealth>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private keepalive: ReturnType<typeof setInterval> | null = null;
  private lastSent = 0;
  private dirty = false;

  /** Sets (or, with null, forgets) the report of one cell. */
  set(key: string, health: CameraHealth | null): void {
    const previous = this.entries.get(key);
    if (health === null) {
      if (!previous) return;
      this.entries.delete(key);
    } else {
      this.entries.set(key, health);
      if (previous && sameReport(previous, health)) return;
    }
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.keepalive) {
      this.keepalive = setInterval(() => {
        if (this.entries.size > 0) {
          this.dirty = true;
          this.schedule();
        }
      }, KEEPALIVE_MS);
    }
    if (this.timer) return;
    const delay = Math.max(0, this.lastSent + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, delay);
  }

  private flush(): void {
    if (!this.dirty) return;
    let client;
    try {
      client = session().client;
    } catch {
      return; // no session (tests, console previews before start)
    }
    if (useAppStore.getState().link !== 'up') {
      // try again later; the keep-alive also brings it back after a reconnect
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, 2000);
      return;
    }
    this.dirty = false;
    this.lastSent = Date.now();
    const reports = [...this.entries.values()].slice(0, MAX_REPORTS);
    client.call('cameras.health', { reports }).catch(() => {
      this.dirty = true;
    });
  }
}

function sameReport(a: CameraHealth, b: CameraHealth): boolean {
  // lastFrameAt moves every frame: only state changes (and what they name) trigger a send
  return a.state === b.state && a.stream === b.stream && a.cameraId === b.cameraId && a.since === b.since && a.tileId === b.tileId;
}

export const cameraHealthReporter = new HealthReporter();
