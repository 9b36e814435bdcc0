/**
 * Wall windows and the console follow the active node of a pair (real processes, real Chromium):
 * two nodes (test/support/pair-hosts.ts) fed by the simulated province, cameras from a camera
 * server in this process (their source is the camera, not the host), and display pages opened at a
 * node's address as display PCs do.
 * - Origin: a page the other node served may open /ws and read map data here; any other Origin is
 *   still refused.
 * - A window on the standby runs hot under the DỰ PHÒNG mark.
 * - SIGKILL the active node: a window on it moves to the other node without reloading (a marker
 *   on `window` survives), shows the same revision with the new node driving, its camera keeps
 *   presenting frames, its map is not blank; the standby's window loses its mark; the console
 *   moves too and stays signed in (its session was replicated to the standby).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { accountFor, connectConsole, issueDisplayCredential } from '../support/accounts.js';
import { readFrames, sinceArmed, watchFrames } from '../support/camera-frames.js';
import { tempDir } from '../support/fixtures.js';
import type { HostProcess } from '../support/host-process.js';
import { waitFor } from '../support/page-wait.js';
import { testPair, type TestPair } from '../support/pair.js';
import { startPairHosts, statusOf, statusUntil } from '../support/pair-hosts.js';
import { launchWallBrowser, markPage, markerKept, openDisplayPage, untilAdmitted, untilWindowShows, wallWindowView } from '../support/pair-windows.js';
import { startTestCameras, type TestCameras } from '../support/test-cameras.js';
import { connectNodeClient } from '../support/ws-client.js';
import { signInPage } from '../support/windows.js';

const TIMEOUT = { timeout: 600_000 };
/** The demo wall's bottom-right display: in the map preset, part of the map and the camera tile. */
const WINDOW = 'r1c1';
const CAMERA = 'cam-01';

/** Share of lit pixels in the window's part of the map (its left half under the status bar). */
async function mapLit(page: Page): Promise<number> {
  const png = PNG.sync.read(await page.screenshot());
  let lit = 0;
  let n = 0;
  for (let y = 100; y < 1000; y += 4) {
    for (let x = 100; x < 800; x += 4) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! > 30) lit++;
      n++;
    }
  }
  return lit / n;
}

const cameraCell = (page: Page) =>
  page.evaluate(`(() => { const el = document.querySelector('[data-tile-id="map-camera"] [data-camera-cell]'); return el ? { state: el.dataset.state, frames: Number(el.dataset.frames || 0) } : null; })()`) as Promise<{ state: string; frames: number } | null>;

describe('windows of a pair follow the active node (real processes, real Chromium)', () => {
  let cameras: TestCameras;
  let pair: TestPair;
  let hosts: { primary: HostProcess; backup: HostProcess };
  let browser: Browser;
  let revision = 0;
  before(async () => {
    cameras = await startTestCameras(tempDir());
    pair = await testPair();
    hosts = await startPairHosts(pair, cameras.gatewaysFile);
    browser = await launchWallBrowser();
    // the map preset, with a camera in its camera tile: a map and a playing video in one window
    const operator = await connectConsole(hosts.primary.runtime, pair.primary.dataDir, 'operator');
    await operator.client.call('wall.execute', { command: { type: 'apply-preset', name: 'map' } });
    revision = (await operator.client.call('wall.execute', { command: { type: 'set-tile-props', id: 'map-camera', props: { cameraId: CAMERA } } })).revision;
    operator.transport.close();
    await statusUntil(pair.backup, (s) => s.revision === revision, `the backup at revision ${revision}`);
  });
  after(async () => {
    await browser?.close();
    for (const host of [hosts?.primary, hosts?.backup]) await host?.stop('SIGKILL');
    await cameras?.server.close();
  });

  it('lets the other node\'s pages open /ws and read map data, and still refuses any other Origin', TIMEOUT, async () => {
    const backup = pair.backup.address;
    const refused = (origin: string) => connectNodeClient(backup, origin).then(({ transport }) => (transport.close(), 'opened'), (error: Error) => error.message);
    assert.equal(await refused(pair.primary.address), 'opened', "the primary's pages reach the backup");
    assert.equal(await refused(backup), 'opened', "the backup's own pages");
    assert.equal(await refused('http://127.0.0.1:1'), 'HTTP 403', 'another port of the same machine is another origin');
    assert.equal(await refused('http://evil.example'), 'HTTP 403');
    assert.equal(await refused(pair.primary.address.replace('http:', 'https:')), 'HTTP 403', 'the pair address under another scheme');
    // map data: the preflight and the answer carry CORS for the pair's origin only
    const preflight = (origin: string) => fetch(`${backup}/basemap/0/0/0.pbf`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    const allowed = await preflight(pair.primary.address);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), pair.primary.address);
    const other = await preflight('http://evil.example');
    assert.equal(other.status, 405, 'no preflight for another origin');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const credential = issueDisplayCredential(pair.primary.dataDir, 'r0c0', pair.wallFile);
    await waitFor('the backup admitting the display credential enrolled on the primary', 30_000, async () => {
      const answer = await fetch(`${backup}/gis/datasets/communes.geojson`, { headers: { origin: pair.primary.address, authorization: `Bearer ${credential}` } });
      return answer.status === 200 && answer.headers.get('access-control-allow-origin') === pair.primary.address;
    });
  });

  it('SIGKILL of the active node: the windows and the console move to the other node without a reload; video and map go on', TIMEOUT, async () => {
    const credential = issueDisplayCredential(pair.primary.dataDir, WINDOW, pair.wallFile);
    const standbyCredential = issueDisplayCredential(pair.primary.dataDir, 'r0c1', pair.wallFile);
    // the standby admits what the active node enrolled (replicated with its heartbeats)
    await untilAdmitted(pair.backup, new Map([[WINDOW, credential], ['r0c1', standbyCredential]]));
    const onPrimary = await openDisplayPage(browser, pair.primary, WINDOW, credential);
    const onBackup = await openDisplayPage(browser, pair.backup, 'r0c1', standbyCredential);
    // the revision the window shows from the active node (a trigger may have moved it on since the setup)
    revision = (await untilWindowShows(onPrimary, (await statusOf(pair.primary))!.revision, 'ioc-a')).painted;
    // the standby's window runs hot, marked, showing the same wall; its status tile names the node that drives it
    await untilWindowShows(onBackup, revision, 'ioc-b', { standby: true, driving: 'ioc-a' });
    const consolePage = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    await consolePage.goto(`${pair.primary.address}/index.html?window=console`);
    await signInPage(consolePage, await accountFor(pair.primary.dataDir, 'commander'));
    await markPage(consolePage);

    let cell: Awaited<ReturnType<typeof cameraCell>> = null;
    await waitFor(`camera ${CAMERA} playing in ${WINDOW}`, 180_000, async () => ((cell = await cameraCell(onPrimary))?.state === 'playing' ? true : null)).catch((error: Error) => {
      throw new Error(`${error.message} (its cell: ${JSON.stringify(cell)})`);
    });
    await waitFor(`the map drawn in ${WINDOW}`, 120_000, async () => (await mapLit(onPrimary)) > 0.5);
    await watchFrames(onPrimary, '[data-tile-id="map-camera"]');
    await waitFor('frames counted before the kill', 30_000, async () => (await readFrames(onPrimary)).frames > 5);
    const lastPainted = (await wallWindowView(onPrimary)).painted;
    const beforeKill = await readFrames(onPrimary);
    console.error(`camera before the kill: ${beforeKill.frames} frames, longest gap ${Math.round(beforeKill.maxGapMs)} ms (a loaded machine's own gaps)`);
    // the gap through the takeover counts from here
    await watchFrames(onPrimary, '[data-tile-id="map-camera"]');
    const killedAt = await sinceArmed(onPrimary);
    hosts.primary.proc.kill('SIGKILL');
    // nobody votes but the pages: the window that lost its node asks the backup to take over
    const moved = await untilWindowShows(onPrimary, lastPainted, 'ioc-b', { atLeast: true, timeoutMs: 60_000 });
    await untilWindowShows(onBackup, moved.painted, 'ioc-b', { atLeast: true, driving: 'ioc-b', timeoutMs: 30_000 });
    const movedAt = await sinceArmed(onPrimary);
    const through = await readFrames(onPrimary);
    await waitFor('frames advancing after the takeover', 30_000, async () => ((await readFrames(onPrimary)).frames > through.frames + 5 ? true : null));
    const frames = await readFrames(onPrimary);
    console.error(`camera through the takeover (killed at ${killedAt} ms, moved by ${movedAt} ms): ${frames.frames} frames, longest gap ${Math.round(frames.maxGapMs)} ms, gaps over 1 s ${JSON.stringify(frames.longGaps)}`);
    assert.equal((await cameraCell(onPrimary))?.state, 'playing', 'the camera tile still plays');
    assert.ok((await mapLit(onPrimary)) > 0.5, 'the map is not blank after the move');
    assert.equal(await markerKept(onPrimary), true, 'the window moved without reloading its page');
    assert.equal(await markerKept(onBackup), true, "the standby's window kept its page too");
    // the same revision: the window shows what the new active node holds, and that is where the dead one left it (or later)
    const active = await statusUntil(pair.backup, (s) => s.pair?.state === 'active', 'the backup active');
    await untilWindowShows(onPrimary, active.revision, 'ioc-b', { timeoutMs: 30_000 });
    assert.ok(active.revision >= lastPainted, `the new active node holds revision ${lastPainted} the window painted from the dead one (it has ${active.revision})`);

    // the console moved too, without a reload, and is still signed in: the standby held its session
    await waitFor('the console connected to the backup, signed in', 60_000, async () =>
      (await consolePage.getByTestId('link-overlay').count()) === 0 && (await consolePage.getByTestId('sign-out').count()) > 0 ? true : null,
    );
    assert.equal(await consolePage.getByTestId('sign-in').count(), 0, 'no sign-in screen after the move');
    assert.equal(await markerKept(consolePage), true, 'the console moved without reloading its page');
  });
});
