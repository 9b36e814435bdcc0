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

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a frame of `aspect` (width / height) sits in `cell` under object-fit: contain. */
export function containedPicture(cell: Box, aspect: number): Box {
  if (!(aspect > 0) || cell.width <= 0 || cell.height <= 0) return cell;
  const width = Math.min(cell.width, cell.height * aspect);
  const height = width / aspect;
  return { x: cell.x + (cell.width - width) / 2, y: cell.y + (cell.height - height) / 2, width, height };
}

/**
 * Whether any of the cell's picture is in the visible part of the cell (`visible`: the
 * intersection with the window, null when none). A camera grid spanning two displays leaves cells
 * whose only part in one window is a letterbox bar a few pixels tall: a player there would decode
 * 25 frames a second to show none of them.
 */
export function pictureInView(cell: Box, visible: Box | null, aspect: number): boolean {
  if (!visible || visible.width <= 0 || visible.height <= 0) return false;
  const picture = containedPicture(cell, aspect);
  const overlapW = Math.min(picture.x + picture.width, visible.x + visible.width) - Math.max(picture.x, visible.x);
  const overlapH = Math.min(picture.y + picture.height, visible.y + visible.height) - Math.max(picture.y, visible.y);
  return overlapW >= 1 && overlapH >= 1;
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
/** A starting player with no first frame after this long has failed… */
export const START_TIMEOUT_MS = 12_000;
/**
 * …unless its media is decoding (the video's time advancing, fragments arriving): on a machine
 * whose compositor is starved (software WebGL drawing a map) the first frame is late, not lost, and
 * a new player would throw away the work done. It is still "connecting", never "MẤT TÍN HIỆU".
 */
export const STARVED_START_MS = 36_000;

/** Whether a player with no (new) first frame for `ageMs` has failed. */
export function startFailed(ageMs: number, decoding: boolean): boolean {
  return ageMs > (decoding ? STARVED_START_MS : START_TIMEOUT_MS);
}
/** Snapshot images (players beyond the pool's limit, console previews) refresh this often. */
export const SNAPSHOT_REFRESH_MS = 5000;
