/**
 * The Chromium host's real windows, attached over their DevTools sockets (through a test-only
 * WebSocket bridge, devtools-bridge.ts), and the host's wall state as a console sees it. Shared
 * by the e2e tests.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { WallState } from '../../native-bridge/contract.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import { spawnHost, type HostProcess } from './host-process.js';
import { accountFor, connectConsole, freshCode, type TestAccount } from './accounts.js';
import { bridgeDevTools, type DevToolsBridge } from './devtools-bridge.js';
import { waitFor } from './page-wait.js';

export interface Windows {
  browsers: Browser[];
  bridges: DevToolsBridge[];
  console: Page;
  displays: Map<string, Page>;
}

/** Works with a spawned host or, given its runtime(), one started in the test process. */
export async function attachWindows(host: Pick<HostProcess, 'runtime' | 'dataDir'>): Promise<Windows> {
  const browsers: Browser[] = [];
  const bridges: DevToolsBridge[] = [];
  const pages = new Map<string, Page>();
  for (const w of host.runtime.windows) {
    assert.ok(w.devtools, `window ${w.windowId} has its DevTools socket`);
    const bridge = await bridgeDevTools(w.devtools);
    bridges.push(bridge);
    const browser = await chromium.connectOverCDP(bridge.url);
    browsers.push(browser);
    const page = await waitFor(`window ${w.windowId} showing its page`, 20_000, async () => browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes(`window=${w.windowId}`)));
    pages.set(w.windowId, page);
  }
  const consolePage = pages.get('console')!;
  pages.delete('console');
  await signInPage(consolePage, await accountFor(host.dataDir, 'commander'));
  return { browsers, bridges, console: consolePage, displays: pages };
}

export async function detach(windows: Windows): Promise<void> {
  // Playwright only disconnects from browsers it did not launch.
  await Promise.all(windows.browsers.map((b) => b.close().catch(() => {})));
  await Promise.all(windows.bridges.map((b) => b.close()));
}

/** Signs the console page in through its sign-in form, as a person would (with the TOTP code when the role needs one). */
export async function signInPage(page: Page, account: TestAccount): Promise<void> {
  const form = page.getByTestId('sign-in');
  await form.waitFor({ timeout: 60_000 });
  await form.locator('input[name=username]').fill(account.username);
  await form.locator('input[name=password]').fill(account.password);
  await form.locator('button[type=submit]').click();
  if (account.totpSecret) {
    const code = form.locator('input[name=code]');
    await code.waitFor({ timeout: 60_000 });
    await code.fill(await freshCode(account));
    await form.locator('button[type=submit]').click();
  }
  await page.getByTestId('console').waitFor({ timeout: 60_000 });
}

/** Opens a tab of the console's dock (ConsoleDock: scenarios, presets, cameras, data, system), as a person clicks it. */
export async function openDockTab(page: Page, tab: 'scenarios' | 'presets' | 'cameras' | 'data' | 'system'): Promise<void> {
  await page.locator(`[data-dock-tab="${tab}"]`).click();
  await page.locator(`[data-dock-body="${tab}"]`).waitFor({ timeout: 10_000 });
}

export async function hostState(host: Pick<HostProcess, 'runtime' | 'dataDir'>): Promise<{ revision: number; state: WallState }> {
  const { client, transport } = await connectConsole(host.runtime, host.dataDir, 'viewer');
  const sync = await client.call('wall.resync', { sinceRevision: 0 });
  transport.close();
  assert.equal(sync.kind, 'snapshot');
  return sync as { revision: number; state: WallState };
}

/** A spawned host with headless windows on a data folder, its windows attached (the console signed in as a commander). */
export class SpawnedWall {
  host!: HostProcess;
  windows!: Windows;
  constructor(
    readonly dataDir: string,
    private readonly options: WallOptions = {},
  ) {}

  async start(): Promise<void> {
    assert.ok(existsSync(join(rendererDist, 'index.html')), 'the renderer is built (npm test runs the build first)');
    this.host = await spawnHost({ dataDir: this.dataDir, windows: 'headless', ...this.options });
    this.windows = await attachWindows(this.host);
  }

  /** Kills the host (the windows detached first) and starts it again on the same data folder. */
  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await detach(this.windows);
    await this.host.stop(signal);
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.windows) await detach(this.windows);
    await this.host?.stop();
  }
}

/** What a spawned wall runs against: the simulated province, or a gateways file of the test's own. */
type WallOptions = { simulate?: boolean; gatewaysFile?: string };

/** Registers the suite's before/after hooks for a SpawnedWall; its host and windows are there once before() ran. */
export function spawnedWall(dataDir: string, options: WallOptions = {}): SpawnedWall {
  const wall = new SpawnedWall(dataDir, options);
  before(() => wall.start());
  after(() => wall.stop());
  return wall;
}
