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
 * Before each kill a commander sends a siren through the active node to a gateway connected to
 * both nodes, which carries it out and holds its acknowledgement until the kill: the new active
 * node must deliver it (the gateway acknowledges by id), and the gateway must act on it exactly
 * once — `commands_lost` (never carried out, or the new active never heard it done) and
 * `commands_duplicated` (carried out twice) count the exceptions.
 * Default 20 takeovers and the wall's 4 windows; goals p95 ≤ 3000 ms, camera gap ≤ 1000 ms, no
 * revision mismatch, never two actives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import type { Page } from 'playwright-core';
import { SimGateway } from '../sim/gateway.js';
import type { HostProcess } from '../test/support/host-process.js';
import { connectConsole, issueDisplayCredential } from '../test/support/accounts.js';
import { readFrames, watchFrames } from '../test/support/camera-frames.js';
import { tempDir } from '../test/support/fixtures.js';
import { waitFor } from '../test/support/page-wait.js';
import { testPair, type TestPairNode } from '../test/support/pair.js';
import { reservedPort } from '../test/support/reserved-port.js';
import { spawnPairNode, startPairHosts, statusOf, statusUntil } from '../test/support/pair-hosts.js';
import { launchWallBrowser, openDisplayPage, untilAdmitted, untilWindowShows } from '../test/support/pair-windows.js';
import { startTestCameras } from '../test/support/test-cameras.js';
import { percentile, round } from './stats.js';

// wall changes before each kill; then the camera preset stays up through it (camera grids in three of the four windows)
const PRESETS = ['overview', 'briefing', 'field'];
// the windows with cameras in the camera preset first, so --windows 1 still measures frames
const WINDOW_IDS = ['r1c1', 'r0c1', 'r1c0', 'r0c0'];
const CAMERAS = '[data-tile-id]';
const SIREN_GATEWAY = 'gw-bench-sirens';

/** The node's outbox holds the command (its audit chain records field.command with its id). */
async function outboxHolds(host: HostProcess, node: TestPairNode, commandId: string): Promise<boolean> {
  const { client, transport } = await connectConsole(host.runtime, node.dataDir, 'administrator');
  try {
    const { entries } = await client.call('audit.list', { action: 'field.command', limit: 50 });
    return entries.some((e) => JSON.stringify(e).includes(commandId));
  } finally {
    transport.close();
  }
}

/** The node heard the gateway's acknowledgement: the command's result alert (one per command id) says it was carried out. */
async function commandDone(host: HostProcess, node: TestPairNode, commandId: string): Promise<boolean> {
  const { client, transport } = await connectConsole(host.runtime, node.dataDir, 'viewer');
  try {
    const { alerts } = await client.call('alerts.list', {});
    return alerts.some((a) => a.id === `ack/${commandId}` && a.title.vi.endsWith('đã thực hiện'));
  } finally {
    transport.close();
  }
}

export async function run(args: string[]): Promise<object> {
  const windowsAt = args.indexOf('--windows');
  const windowCount = windowsAt >= 0 ? Number(args[windowsAt + 1]) : WINDOW_IDS.length;
  const positional = args.filter((_, i) => i !== windowsAt && i !== windowsAt + 1);
  const takeovers = Number(positional[0] ?? 20);
  if (!Number.isInteger(takeovers) || takeovers < 1) throw new Error(`takeovers must be a whole number ≥ 1, not "${positional[0]}"`);
  if (!Number.isInteger(windowCount) || windowCount < 1 || windowCount > WINDOW_IDS.length) throw new Error(`--windows must be 1 to ${WINDOW_IDS.length}, not "${args[windowsAt + 1]}"`);
  const cameras = await startTestCameras(tempDir());
  const pair = await testPair();
  // one more gateway beside the simulated province's, connected to both nodes: a siren the bench
  // watches through every takeover. It finds a restarted node where it was, as a real gateway
  // does: each node's gateway endpoints are fixed (reserved ports), not chosen anew at each start.
  const sirenKeys = zmq.curveKeyPair();
  const gatewaysFiles = new Map<TestPairNode, string>();
  for (const node of [pair.primary, pair.backup]) {
    const file = join(tempDir(), `gateways-${node.id}.yaml`);
    const bind = `bind: { updates: 'tcp://127.0.0.1:${await reservedPort()}', control: 'tcp://127.0.0.1:${await reservedPort()}' }`;
    const rest = readFileSync(cameras.gatewaysFile, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('bind:'));
    writeFileSync(file, [bind, ...rest, 'gateways:', `  - { id: ${SIREN_GATEWAY}, name: Cổng còi báo động thử nghiệm, publicKey: '${sirenKeys.publicKey}' }`, ''].join('\n'));
    gatewaysFiles.set(node, file);
  }
  const hosts = new Map<TestPairNode, HostProcess>();
  const started = await startPairHosts(pair, { primary: gatewaysFiles.get(pair.primary)!, backup: gatewaysFiles.get(pair.backup)! });
  hosts.set(pair.primary, started.primary).set(pair.backup, started.backup);
  // carries a command out at once, counts it, and holds its acknowledgement until the active node is dead
  const effects = new Map<string, number>();
  let releaseAck: () => void = () => {};
  let ackHeld: Promise<void> = Promise.resolve();
  const sirens = new SimGateway({
    id: SIREN_GATEWAY,
    name: 'Cổng còi báo động thử nghiệm',
    endpoints: started.primary.runtime.gateways,
    hostPublicKey: started.primary.runtime.gateways.hostPublicKey,
    extraHosts: [{ endpoints: started.backup.runtime.gateways, hostPublicKey: started.backup.runtime.gateways.hostPublicKey }],
    keyPair: sirenKeys,
    onCommand: async (command) => {
      effects.set(command.id, (effects.get(command.id) ?? 0) + 1);
      await ackHeld;
      return { status: 'done' };
    },
  });
  await sirens.start();
  const commandIds: string[] = [];
  let commandsUnconfirmed = 0;
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
      // a siren in flight through the kill: carried out, its acknowledgement held, the standby holding it
      ackHeld = new Promise<void>((resolve) => (releaseAck = resolve));
      // the gateway is connected to both nodes, as a real one is
      for (const node of [active, standby]) await statusUntil(node, (s) => s.links.some((l) => l.id === SIREN_GATEWAY && l.state === 'up'), `${SIREN_GATEWAY} live on ${node.id}`);
      const commander = await connectConsole(host.runtime, active.dataDir, 'commander');
      const target = `siren-bench-${i + 1}`;
      const { id: commandId } = await commander.client.call('field.command', { gateway: SIREN_GATEWAY, type: 'siren', target, params: { minutes: 1 } });
      commander.transport.close();
      commandIds.push(commandId);
      await waitFor(`the siren ${commandId} carried out and held by ${standby.id}`, 30_000, async () => effects.has(commandId) && (await outboxHolds(hosts.get(standby)!, standby, commandId)));
      await Promise.all(windows.map((page) => untilWindowShows(page, acknowledged, active.id, { timeoutMs: 120_000 })));
      // frames playing everywhere before the kill, then the gap counts from the kill
      await Promise.all(windows.map((page) => watchFrames(page, CAMERAS)));
      const playing = await Promise.all(windows.map((page) => waitFor('camera frames before the kill', 60_000, async () => ((await readFrames(page)).frames > 3 ? true : null)).catch(() => false)));
      await Promise.all(windows.map((page) => watchFrames(page, CAMERAS)));
      const killedAt = performance.now();
      host.proc.kill('SIGKILL');
      releaseAck();
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
      // the new active node delivers the siren (the gateway answers its retry from memory) and hears it done
      const heard = await waitFor(`${standby.id} hearing the siren done`, 60_000, async () => (await commandDone(hosts.get(standby)!, standby, commandId)) || null).catch(() => false);
      if (!heard) commandsUnconfirmed++;
      console.error(`takeover ${i + 1}: siren ${commandId} carried out ${effects.get(commandId) ?? 0} time(s), ${heard ? '' : 'not '}heard done by ${standby.id}`);
      console.error(`takeover ${i + 1}/${takeovers}: ${windows.length} windows painted revision ${acknowledged} from ${standby.id} ${Math.round(paintedAt - killedAt)} ms after the kill; camera gap ${Math.round(gap)} ms`);
      hosts.set(active, await spawnPairNode(pair, active, gatewaysFiles.get(active)));
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
    releaseAck();
    await sirens.stop();
    await browser.close();
    for (const host of hosts.values()) await host.stop('SIGKILL');
    await cameras.server.close();
  }
  const commandsLost = commandIds.filter((id) => (effects.get(id) ?? 0) === 0).length + commandsUnconfirmed;
  const commandsDuplicated = commandIds.filter((id) => (effects.get(id) ?? 0) > 1).length;
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
    commands: commandIds.length,
    commands_lost: commandsLost,
    commands_duplicated: commandsDuplicated,
    goals_met: times.length === takeovers && percentile(times, 95) <= 3000 && gaps.length === takeovers && framesUnmeasured === 0 && percentile(gaps, 100) <= 1000 && revisionMismatch === 0 && twoActives === 0 && commandIds.length === takeovers && commandsLost === 0 && commandsDuplicated === 0,
    measured: `SIGKILL of the active node → every one of ${windowCount} Chromium wall windows painting the last acknowledged revision from the new active node (the windows vote; polled every 25 ms); camera gap: longest time without a presented frame in any window from the kill until frames advance again`,
  };
}
