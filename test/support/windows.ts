/**
 * The Chromium host's real windows, attached over their loopback DevTools endpoints, and the
 * host's wall state as a console sees it. Shared by the e2e tests.
 */
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { WallState } from '../../native-bridge/contract.js';
import type { HostProcess } from './host-process.js';
import { connectNodeClient } from './ws-client.js';

export interface Windows {
  browsers: Browser[];
  console: Page;
  displays: Map<string, Page>;
}

/** Works with a spawned host or, given its runtime(), one started in the test process. */
export async function attachWindows(host: Pick<HostProcess, 'runtime'>): Promise<Windows> {
  const browsers: Browser[] = [];
  const pages = new Map<string, Page>();
  for (const w of host.runtime.windows) {
    assert.ok(w.cdpUrl, `window ${w.windowId} exposes DevTools`);
    const browser = await chromium.connectOverCDP(w.cdpUrl);
    browsers.push(browser);
    let page: Page | undefined;
    for (let i = 0; i < 200 && !page; i++) {
      page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes(`window=${w.windowId}`));
      if (!page) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(page, `window ${w.windowId} shows its page`);
    pages.set(w.windowId, page);
  }
  const consolePage = pages.get('console')!;
  pages.delete('console');
  return { browsers, console: consolePage, displays: pages };
}

export async function detach(windows: Windows): Promise<void> {
  // Playwright only disconnects from browsers it did not launch.
  await Promise.all(windows.browsers.map((b) => b.close().catch(() => {})));
}

export async function hostState(host: HostProcess): Promise<{ revision: number; state: WallState }> {
  const { client, transport } = await connectNodeClient(host.runtime.baseUrl, host.runtime.token);
  await client.call('session.hello', { window: 'console' });
  const sync = await client.call('wall.resync', { sinceRevision: 0 });
  transport.close();
  assert.equal(sync.kind, 'snapshot');
  return sync as { revision: number; state: WallState };
}
