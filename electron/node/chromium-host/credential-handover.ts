/**
 * The host enrols the display windows it opens itself: over the window's DevTools socket (never
 * its command line or URL) it puts a credential issued for that window into the page's
 * localStorage and reloads it. A window that already holds a valid one (a restarted host, a kept
 * window) keeps it, so the wall database does not collect a credential per start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DISPLAY_CREDENTIAL_KEY } from '../../../native-bridge/contract.js';
import type { DisplayAccess } from '../displays/display-access.js';
import { defaultDisplayName } from '../displays/display-access.js';
import { CdpSession } from './cdp.js';
import type { ChromiumWindow } from './chromium.js';

const KEY = JSON.stringify(DISPLAY_CREDENTIAL_KEY);

/** The window's page once it shows our origin (before that, localStorage would be another origin's). */
async function pageAt(window: ChromiumWindow, origin: string, timeoutMs: number): Promise<CdpSession> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = window.devtools();
    const page = socket ? await CdpSession.openPage(socket, (url) => url.startsWith(`${origin}/`) && url.includes(`window=${window.windowId}`)).catch(() => null) : null;
    if (page) {
      if (await page.evaluate<boolean>(`location.origin === ${JSON.stringify(origin)}`).catch(() => false)) return page;
      page.close();
    }
    if (Date.now() > deadline) throw new Error(`window ${window.windowId} did not open its page within ${timeoutMs} ms`);
    await sleep(200);
  }
}

export async function handOverCredential(window: ChromiumWindow, origin: string, displays: DisplayAccess, timeoutMs = 30_000): Promise<void> {
  const page = await pageAt(window, origin, timeoutMs);
  try {
    const held = await page.evaluate<string | null>(`localStorage.getItem(${KEY})`);
    if (held !== null && displays.verify(held)?.windowId === window.windowId) return;
    const credential = displays.issue(window.windowId, defaultDisplayName(window.windowId), 'system');
    await page.evaluate(`localStorage.setItem(${KEY}, ${JSON.stringify(credential)}); setTimeout(() => location.reload(), 0); true`);
  } finally {
    page.close();
  }
}
