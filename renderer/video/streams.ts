/**
 * Pure helpers of the camera player: which stream a tile needs, where a camera's snapshot lives,
 * the retry backoff. No DOM here, so plain Node tests can load it.
 */
import type { LiveCamera } from '../../native-bridge/contract.js';

export type StreamName = 'main' | 'sub';
export type StreamPreference = 'auto' | StreamName;

/**
 * The smallest stream whose resolution covers the tile at the display's pixel density (sub for
 * small cells, main when big or maximized); the largest when none covers it.
 */
export function chooseStream(camera: Pick<LiveCamera, 'streams'>, preference: StreamPreference, cssWidth: number, cssHeight: number, dpr: number): StreamName {
  if (preference !== 'auto') return preference;
  const needW = Math.round(cssWidth * dpr);
  const needH = Math.round(cssHeight * dpr);
  const streams = (['sub', 'main'] as const)
    .map((name) => ({ name, width: camera.streams[name].width, height: camera.streams[name].height }))
    .sort((a, b) => a.width * a.height - b.width * b.height);
  const fit = streams.find((s) => s.width >= needW && s.height >= needH);
  return (fit ?? streams[streams.length - 1]!).name;
}

/** `{base}/cameras/{id}/snapshot.jpg`, derived from a stream URL `{base}/cameras/{id}/main.m3u8`. */
export function snapshotUrl(streamUrl: string): string | null {
  try {
    return new URL('snapshot.jpg', streamUrl).href;
  } catch {
    return null;
  }
}

/** Delay before the n-th (0-based) retry of a failed or stalled player: 2 s, 4 s, … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 2000 * 2 ** Math.max(0, Math.min(attempt, 10)));
}

/** No new frame for this long while visible = stalled. */
export const STALL_AFTER_MS = 3000;
/** A starting player with no first frame after this long has failed. */
export const START_TIMEOUT_MS = 12_000;
/** Snapshot images (players beyond the pool's limit, console previews) refresh this often. */
export const SNAPSHOT_REFRESH_MS = 5000;
