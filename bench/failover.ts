/**
 * `npm run bench -- failover [takeovers] [--windows n]`: a pair of real hosts
 * (test/support/pair-hosts.ts) fed by the simulated province, cameras from a camera server in this
 * process, and the wall's display windows as real Chromium pages opened at the active node's
 * address (test/support/pair-windows.ts), as display PCs open it. A console changes the wall on the
 * active node (ending on the camera preset), then the active is SIGKILLed; nobody but the windows
 * votes. Measured per takeover: from the SIGKILL until every window paints the revision the dead
 * node last acknowledged from the new active node (its node and state on the page, no standby
 * mark; polled every 25 ms), and the longest gap between two presented camera frames in any window
 * (requestVideoFrameCallback) from the kill until frames advance again everywhere. The killed node
 * is started again (it comes back passive and catches up) and the next kill hits the other one.
 * Default 20 takeovers and the wall's 4 windows; goals p95 ≤ 3000 ms, camera gap ≤ 1000 ms, no
 * revision mismatch, never two actives.
 */
import type { Page } from 'playwright-core';
import type { HostProcess } from '../test/support/host-process.js';
import { connectConsole, issueDisplayCredential } from '../test/support/accounts.js';
import { readFrames, watchFrames } from '../test/support/camera-frames.js';
import { tempDir } from '../test/support/fixtures.js';
import { waitFor } from '../test/support/page-wait.js';
import { testPair, type TestPairNode } from '../test/support/pair.js';
import { spawnPairNode, startPairHosts, statusOf, statusUntil } from '../test/support/pair-hosts.js';
import { launchWallBrowser, openDisplayPage, untilAdmitted, untilWindowShows } from '../test/support/pair-windows.js';
import { startTestCameras } from '../test/support/test-cameras.js';
import { percentile, round } from './stats.js';

// wall changes before each kill; then the camera preset stays up through it (camera grids in three of the four windows)
const PRESETS = ['overview', 'briefing', 'field'];
// the windows with cameras in the camera preset first, so --windows 1 still measures frames
const WINDOW_IDS = ['r1c1', 'r0c1', 'r1c0', 'r0c0'];
const CAMERAS = '[data-tile-id]';

export async function run(args: string[]): Promise<object> {
  const windowsAt = args.indexOf('--windows');
  const windowCount = windowsAt >= 0 ? Number(args[windowsAt + 1]) : WINDOW_IDS.length;
  const positional = args.filter((_, i) => i !== windowsAt && i !== windowsAt + 1);
  const takeovers = Number(positional[0] ?? 20);
  if (!Number.isInteger(takeovers) || takeovers < 1) throw new Error(`takeovers must be a whole number ≥ 1, not "${positional[0]}"`);
  if (!Number.isInteger(windowCount) || windowCount < 1 || windowCount > WINDOW_IDS.length) throw new Error(`--windows must be 1 to ${WINDOW_IDS.length}, not "${args[windowsAt + 1]}"`);
  const cameras = await startTestCameras(tempDir());
  const pair = await testPair();
  const hosts = new Map<TestPairNode, HostProcess>();
  const started = await startPairHosts(pair, cameras.gatewaysFile);
  hosts.set(pair.primary, started.primary).set(pair.backup, started.backup);
  const browser = await launchWallBrowser();
  const times: number[] = [];
  const gaps: number[] = [];
  let revisionMismatch = 0;
  let twoActives = 0;
  let framesUnmeasured = 0;
  try {
    const ids = WINDOW_IDS.slice(0, windowCount);
    const credentials = new Map(ids.map((id) => [id, issueDisplayCredential(pair.primary.dataDir, id, pair.wallFile)]));
    // the standby must admit them before it is needed
    await untilAdmitted(pair.backup, credentials);
    const windows: Page[] = await Promise.all(ids.map((id) => openDisplayPage(browser, pair.primary, id, credentials.get(id)!)));
    let active = pair.primary;
    let standby = pair.backup;
    for (let i = 0; i < takeovers; i++) {
      const host = hosts.get(active)!;
      const operator = await connectConsole(host.runtime, active.dataDir, 'operator');
      for (const name of PRESETS) await operator.client.call('wall.execute', { command: { type: 'apply-preset', name } });
      const acknowledged = (await operator.client.call('wall.execute', { command: { type: 'apply-preset', name: 'cameras' } })).revision;
      operator.transport.close();
      await statusUntil(standby, (s) => s.pair?.state === 'passive' && s.revision === acknowledged, `${standby.id} caught up`);
      await Promise.all(windows.map((page) => untilWindowShows(page, acknowledged, active.id, { timeoutMs: 120_000 })));
      // frames playing everywhere before the kill, then the gap counts from the kill
      await Promise.all(windows.map((page) => watchFrames(page, CAMERAS)));
      const playing = await Promise.all(windows.map((page) => waitFor('camera frames before the kill', 60_000, async () => ((await readFrames(page)).frames > 3 ? true : null)).catch(() => false)));
      await Promise.all(windows.map((page) => watchFrames(page, CAMERAS)));
      const killedAt = performance.now();
      host.proc.kill('SIGKILL');
      await Promise.all(windows.map((page) => untilWindowShows(page, acknowledged, standby.id, { timeoutMs: 60_000, everyMs: 25 })));
      const paintedAt = performance.now();
      times.push(paintedAt - killedAt);
      const taken = await statusOf(standby, 5000);
      if (taken?.revision !== acknowledged) revisionMismatch++;
      // the gap: until every window that played before shows frames again after the move
      const after = await Promise.all(windows.map((page) => readFrames(page)));
      let gap = 0;
      for (const [w, page] of windows.entries()) {
        if (!playing[w]) continue;
        const resumed = await waitFor('camera frames after the move', 30_000, async () => ((await readFrames(page)).frames > after[w]!.frames ? readFrames(page) : null)).catch(() => null);
        if (resumed) gap = Math.max(gap, resumed.maxGapMs);
        else framesUnmeasured++;
      }
      if (playing.some(Boolean)) gaps.push(gap);
      else framesUnmeasured++;
      console.error(`takeover ${i + 1}/${takeovers}: ${windows.length} windows painted revision ${acknowledged} from ${standby.id} ${Math.round(paintedAt - killedAt)} ms after the kill; camera gap ${Math.round(gap)} ms`);
      hosts.set(active, await spawnPairNode(pair, active, cameras.gatewaysFile));
      // the restarted node must come back as the standby: sample both until it does
      const deadline = Date.now() + 120_000;
      for (;;) {
        const [back, other] = await Promise.all([statusOf(active), statusOf(standby)]);
        if (back?.pair?.state === 'active' && other?.pair?.state === 'active') twoActives++;
        if (back?.pair?.state === 'passive') break;
        if (Date.now() > deadline) throw new Error(`${active.id} did not come back as the standby: ${JSON.stringify(back?.pair)}`);
      }
      [active, standby] = [standby, active];
    }
  } finally {
    await browser.close();
    for (const host of hosts.values()) await host.stop('SIGKILL');
    await cameras.server.close();
  }
  return {
    bench: 'failover',
    takeovers: times.length,
    windows: windowCount,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    max_ms: round(percentile(times, 100)),
    revision_mismatch: revisionMismatch,
    two_actives: twoActives,
    camera_max_frame_gap_ms: gaps.length ? round(percentile(gaps, 100)) : null,
    camera_p95_frame_gap_ms: gaps.length ? round(percentile(gaps, 95)) : null,
    camera_takeovers_unmeasured: framesUnmeasured,
    goals_met: times.length === takeovers && percentile(times, 95) <= 3000 && gaps.length === takeovers && framesUnmeasured === 0 && percentile(gaps, 100) <= 1000 && revisionMismatch === 0 && twoActives === 0,
    measured: `SIGKILL of the active node → every one of ${windowCount} Chromium wall windows painting the last acknowledged revision from the new active node (the windows vote; polled every 25 ms); camera gap: longest time without a presented frame in any window from the kill until frames advance again`,
  };
}
