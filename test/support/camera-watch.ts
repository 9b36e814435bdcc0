/**
 * What camera cells show, watched inside the page rather than by screenshots a test takes every
 * 50 ms or more: every presented frame of every <video> of a cell is counted
 * (requestVideoFrameCallback), and what the cell shows on top — its frozen last frame, else its top
 * video — is drawn onto a 32×18 canvas and its lit share measured. A cell under watch (`focus`) is
 * sampled at every presented frame and every animation frame, so a black flash of one frame is seen.
 *
 * Pages evaluate strings, never functions (tsx rewrites functions with helpers the page lacks).
 */
import type { Page } from 'playwright-core';

/** Below this share of lit pixels a sampled picture counts as black (the wall's background is near-black). */
export const BLACK_BELOW = 0.05;

/** Installs the watch once per page. */
const INSTALL_JS = `(() => {
  if (window.__cameraWatch) return true;
  const W = (window.__cameraWatch = { cells: {}, focus: null });
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 18;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  // what each video last showed: a video waiting for data (readyState < 2) after it has shown a
  // frame keeps that frame on screen, but drawImage draws nothing from it
  const lastLit = new WeakMap();
  const litShare = (source) => {
    if (!source) return 0;
    if (source.tagName === 'VIDEO' && source.readyState < 2) return lastLit.get(source) ?? 0; // never a frame: the cell shows its black box
    g.clearRect(0, 0, 32, 18);
    g.drawImage(source, 0, 0, 32, 18);
    const d = g.getImageData(0, 0, 32, 18).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 24) lit++;
    const share = lit / (d.length / 4);
    if (source.tagName === 'VIDEO') lastLit.set(source, share);
    return share;
  };
  const visible = (el) => { const cs = getComputedStyle(el); return cs.visibility === 'visible' && cs.display !== 'none' && Number(cs.opacity) > 0; };
  // on top: the frozen last frame, else the visible video with the highest z-index (a later sibling wins a tie)
  const onTop = (cell) => {
    const freeze = cell.querySelector('canvas.camera-freeze');
    if (freeze && visible(freeze)) return freeze;
    const videos = [...cell.querySelectorAll('video')].filter(visible);
    return videos.length ? videos.reduce((top, v) => (Number(v.style.zIndex || 0) >= Number(top.style.zIndex || 0) ? v : top)) : null;
  };
  const keyOf = (cell) => { const tile = cell.closest('[data-tile-id]'); return (tile ? tile.dataset.tileId : '') + '/' + cell.dataset.cameraId; };
  const record = (key) => (W.cells[key] ??= { frames: 0, lit: null });
  const sampleFocus = () => {
    const f = W.focus;
    if (!f) return;
    const cell = document.querySelector('[data-tile-id="' + f.tileId + '"] [data-camera-cell][data-camera-id="' + f.cameraId + '"]');
    const top = cell ? onTop(cell) : null;
    const lit = litShare(top);
    f.samples++;
    if (lit < f.darkest) f.darkest = lit;
    if (lit < ${BLACK_BELOW}) {
      f.black++;
      // what was black, for the failure message: the cell, what was on top, and every video in it
      if (f.blackSeen.length < 5) f.blackSeen.push({ sample: f.samples, cell: cell !== null, top: top ? top.tagName.toLowerCase() + (top.dataset.stream ? ':' + top.dataset.stream : '') : null, videos: cell ? [...cell.querySelectorAll('video')].map((v) => v.dataset.stream + ' z' + (v.style.zIndex || '-') + ' rs' + v.readyState + ' ' + v.videoWidth + 'x' + v.videoHeight + (visible(v) ? '' : ' hidden')) : [] });
    }
  };
  const watched = new WeakSet();
  const watch = (video) => {
    if (watched.has(video)) return;
    watched.add(video);
    const onFrame = () => {
      const cell = video.closest('[data-camera-cell]');
      if (!cell || !video.isConnected) return;
      const key = keyOf(cell);
      const r = record(key);
      r.frames++;
      // a video of the cell under watch is measured at each of its own frames: it may go back to
      // waiting for data (readyState < 2) right after its first, still showing that frame
      if (W.focus && key === W.focus.tileId + '/' + W.focus.cameraId) litShare(video);
      if (r.frames % 10 === 1) r.lit = litShare(onTop(cell));
      if (W.focus) sampleFocus();
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  for (const v of document.querySelectorAll('[data-camera-cell] video')) watch(v);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      if (n.tagName === 'VIDEO') watch(n);
      else for (const v of n.querySelectorAll('video')) watch(v);
    }
  }).observe(document.body, { subtree: true, childList: true });
  const everyFrame = () => { sampleFocus(); requestAnimationFrame(everyFrame); };
  requestAnimationFrame(everyFrame);
  return true;
})()`;

export interface WatchedCell {
  /** Frames presented by the cell's videos since the watch began. */
  frames: number;
  /** Lit share of what the cell showed at a recent frame; null before its first frame. */
  lit: number | null;
}

export async function watchCameras(page: Page): Promise<void> {
  await page.evaluate(INSTALL_JS);
}

/** Every watched cell, keyed `<tileId>/<cameraId>`. */
export async function watchedCells(page: Page): Promise<Record<string, WatchedCell>> {
  return (await page.evaluate('window.__cameraWatch.cells')) as Record<string, WatchedCell>;
}

/** From now on, sample this cell at every presented and every animation frame. */
export async function focusCell(page: Page, tileId: string, cameraId: string): Promise<void> {
  await page.evaluate(`window.__cameraWatch.focus = ${JSON.stringify({ tileId, cameraId, samples: 0, black: 0, darkest: 1, blackSeen: [] })}`);
}

export interface FocusResult {
  samples: number;
  /** Samples in which the cell showed a black picture. */
  black: number;
  darkest: number;
  /** The first black samples: whether the cell was there, what was on top, each video (stream, z-index, readyState, size). */
  blackSeen: { sample: number; cell: boolean; top: string | null; videos: string[] }[];
}

/** Ends the focus and says what the cell showed meanwhile. */
export async function endFocus(page: Page): Promise<FocusResult> {
  return (await page.evaluate(`(() => { const f = window.__cameraWatch.focus; window.__cameraWatch.focus = null; return f; })()`)) as FocusResult;
}
