/**
 * Real Chromium pages as the windows of a pair's wall (a display PC opens a node's address itself,
 * `--windows none`): playwright-core with Debian's Chromium, each display page enrolled with its
 * credential. What they show: the revision painted, which node drives the wall (the status tile),
 * the DỰ PHÒNG mark. Shared by the pair windows test and the failover bench.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { DISPLAY_CREDENTIAL_KEY } from '../../native-bridge/contract.js';
import type { TestPairNode } from './pair.js';
import { waitFor } from './page-wait.js';
import { connectNodeClient } from './ws-client.js';

export function launchWallBrowser(): Promise<Browser> {
  // SwiftShader for the map's WebGL, software compositing, video without a gesture: as the host's own headless windows (chromium-host/chromium.ts)
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-compositing', '--autoplay-policy=no-user-gesture-required', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
}

/**
 * A display window opened at `node`'s address with its credential in the profile (as enrolment
 * leaves it); a marker is put on `window` once loaded, so a reload would show (markerKept).
 */
export async function openDisplayPage(browser: Browser, node: TestPairNode, windowId: string, credential: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.addInitScript(`localStorage.getItem(${JSON.stringify(DISPLAY_CREDENTIAL_KEY)}) || localStorage.setItem(${JSON.stringify(DISPLAY_CREDENTIAL_KEY)}, ${JSON.stringify(credential)})`);
  const page = await context.newPage();
  await page.goto(`${node.address}/index.html?window=${windowId}`);
  await markPage(page);
  return page;
}

/** Waits until `node` admits the display credentials (enrolled on the other node: replicated with its heartbeats). */
export async function untilAdmitted(node: TestPairNode, credentials: ReadonlyMap<string, string>, timeoutMs = 30_000): Promise<void> {
  const admitted = async (window: string, token: string) => {
    const { client, transport } = await connectNodeClient(node.address);
    try {
      return (await client.call('session.hello', { window, credential: { kind: 'display', token } })).actor !== null;
    } finally {
      transport.close();
    }
  };
  await waitFor(`${node.id} admitting the display credentials of ${[...credentials.keys()].join(', ')}`, timeoutMs, async () => {
    for (const [window, token] of credentials) if (!(await admitted(window, token))) return false;
    return true;
  });
}

/** Puts the no-reload marker on a page's window. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate('window.__pairMarker = "kept"');
}

export async function markerKept(page: Page): Promise<boolean> {
  return (await page.evaluate('window.__pairMarker === "kept"')) as boolean;
}

export interface WallWindowView {
  painted: number;
  /** The node the window is connected to, and its pair state. */
  node: string | null;
  nodeState: string | null;
  standbyMark: boolean;
  /** The node the status tile says drives the wall (null: no status tile in this window). */
  driving: string | null;
}

export async function wallWindowView(page: Page): Promise<WallWindowView> {
  return (await page.evaluate(`(() => {
    const wall = document.getElementById('wall');
    const driving = document.querySelector('[data-status-driving]');
    return { painted: Number(wall?.dataset.paintedRevision ?? 0), node: wall?.dataset.node ?? null, nodeState: wall?.dataset.nodeState ?? null,
      standbyMark: document.querySelector('[data-testid="standby-mark"]') !== null, driving: driving ? driving.dataset.statusDriving : null };
  })()`)) as WallWindowView;
}

/**
 * Waits until the window painted `revision` on `node`: active and unmarked, or (`standby`) passive
 * under the DỰ PHÒNG mark; a window with a status tile must also name `driving` there.
 */
export function untilWindowShows(page: Page, revision: number, node: string, options: { standby?: boolean; driving?: string; timeoutMs?: number; everyMs?: number; atLeast?: boolean } = {}): Promise<WallWindowView> {
  const standby = options.standby ?? false;
  let last: WallWindowView | null = null;
  const what = `the window painting revision ${revision}${options.atLeast ? ' or later' : ''} on ${node} ${standby ? 'passive, marked standby' : 'active'}${options.driving ? `, its status tile naming ${options.driving}` : ''}`;
  return waitFor(what, options.timeoutMs ?? 60_000, async () => {
    const view = (last = await wallWindowView(page).catch(() => last));
    // atLeast: a later revision counts too (a scenario trigger of the node may have moved the wall on)
    const painted = view && (options.atLeast ? view.painted >= revision : view.painted === revision);
    if (!view || !painted || view.node !== node || view.standbyMark !== standby) return null;
    if (view.nodeState !== (standby ? 'passive' : 'active')) return null;
    return options.driving === undefined || view.driving === options.driving ? view : null;
  }, options.everyMs).catch((error: Error) => {
    throw new Error(`${error.message} (it showed ${JSON.stringify(last)} at ${page.url()})`);
  });
}
