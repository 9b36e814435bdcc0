/**
 * What a wall window holds in memory, over its DevTools session: its renderer processes' resident
 * memory (/proc, pids from the browser target's SystemInfo.getProcessInfo) and the page's JS heap
 * after a garbage collection (Performance.getMetrics), so garbage not yet collected is not read
 * as growth. Shared by camera-wall and soak.
 */
import { readFileSync } from 'node:fs';
import type { CdpSession } from '../../electron/node/chromium-host/cdp.js';

export interface WindowMemory {
  /** null when the renderers' pids could not be read. */
  rssBytes: number | null;
  jsHeapBytes: number;
}

/** VmRSS of a process in bytes, null when it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

export async function windowMemory(page: CdpSession, browserCdp: CdpSession | null): Promise<WindowMemory> {
  // Performance.getMetrics answers nothing until the domain is on (idempotent, and costs the page nothing more)
  await page.send('Performance.enable');
  await page.send('HeapProfiler.collectGarbage').catch(() => {});
  const { metrics } = await page.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics');
  const jsHeapBytes = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  let rssBytes: number | null = null;
  if (browserCdp) {
    try {
      const info = await browserCdp.browser<{ processInfo: { type: string; id: number }[] }>('SystemInfo.getProcessInfo');
      let sum = 0;
      for (const p of info.processInfo.filter((x) => x.type === 'renderer')) sum += rssOf(p.id) ?? 0;
      rssBytes = sum > 0 ? sum : null;
    } catch {
      rssBytes = null;
    }
  }
  return { rssBytes, jsHeapBytes };
}
