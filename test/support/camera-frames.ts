/**
 * Watches a wall window's camera video from inside the page: every <video> under a selector gets a
 * requestVideoFrameCallback loop, and the page keeps the frame count and the longest gap between
 * two presented frames of any of them since the watch was (re)armed. Shared by the pair windows
 * test and the failover bench (camera_max_frame_gap_ms).
 */
import type { Page } from 'playwright-core';

export interface FrameWatch {
  frames: number;
  /** The longest time without a new frame since arming (up to now: a stopped video counts). */
  maxGapMs: number;
  /** The gaps over a second since arming (the first 20), each ending `at` ms after arming: to tell what they coincide with. */
  longGaps: { at: number; ms: number }[];
}

// strings, not functions: tsx rewrites arrow functions in ways the page cannot run
const INSTALL = (selector: string) => `(() => {
  if (window.__frameWatch) return;
  const watch = { frames: 0, armedAt: performance.now(), last: performance.now(), maxGap: 0, longGaps: [], seen: new WeakSet() };
  window.__frameWatch = watch;
  const hook = (video) => {
    const onFrame = () => {
      const now = performance.now();
      watch.maxGap = Math.max(watch.maxGap, now - watch.last);
      if (now - watch.last > 1000 && watch.longGaps.length < 20) watch.longGaps.push({ at: Math.round(now - watch.armedAt), ms: Math.round(now - watch.last) });
      watch.last = now;
      watch.frames++;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  const scan = () => {
    for (const video of document.querySelectorAll(${JSON.stringify(`${selector} video`)})) {
      if (watch.seen.has(video)) continue;
      watch.seen.add(video);
      hook(video);
    }
  };
  scan();
  setInterval(scan, 100);
})()`;

/** Starts watching (once per page) and arms it: the gap counts from now. */
export async function watchFrames(page: Page, selector: string): Promise<void> {
  await page.evaluate(INSTALL(selector));
  await page.evaluate('(() => { const w = window.__frameWatch; w.armedAt = w.last = performance.now(); w.maxGap = 0; w.frames = 0; w.longGaps = []; })()');
}

export async function readFrames(page: Page): Promise<FrameWatch> {
  return (await page.evaluate('(() => { const w = window.__frameWatch; return { frames: w.frames, maxGapMs: Math.max(w.maxGap, performance.now() - w.last), longGaps: w.longGaps }; })()')) as FrameWatch;
}

/** Milliseconds since the watch was armed, in the page's clock (to place an event among the gaps). */
export async function sinceArmed(page: Page): Promise<number> {
  return Math.round((await page.evaluate('performance.now() - window.__frameWatch.armedAt')) as number);
}
