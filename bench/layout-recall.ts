/**
 * layout-recall: on the Chromium host with the demo 2×2 wall (headless kiosk windows), recall two
 * presets alternately; for each recall, time from the command's acceptance by the host to the
 * moment every wall window reports (from requestAnimationFrame after rendering) that it painted
 * that revision. Both instants are taken on the host's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChromiumHost } from '../electron/node/chromium-host/host.js';
import { defaultPresetsDir, defaultWallFile, rendererDist } from '../electron/node/project-paths.js';
import { displaySlots } from '../native-bridge/wall-geometry.js';
import { noGatewaysFile } from '../test/support/fixtures.js';
import { connectConsole } from '../test/support/accounts.js';
import { percentile, round } from './stats.js';
import { maxOf } from '../native-bridge/extremes.js';
import { testScenariosDir } from '../test/support/test-scenarios.js';

export async function run(args: string[]): Promise<object> {
  const recalls = Number(args[0] ?? 50);
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-bench-'));
  const host = await startChromiumHost({ wallFile: defaultWallFile, presetsDir: defaultPresetsDir, scenariosDir: testScenariosDir(), gatewaysFile: noGatewaysFile, dataDir, rendererDir: rendererDist, windows: 'headless', log: () => {} });
  try {
    const displays = displaySlots(host.core.wall).map((s) => s.windowId);
    const painted = new Map<string, number>();
    const waiters: { revision: number; resolve: (at: number) => void }[] = [];
    host.core.onPainted(({ windowId, revision, at }) => {
      painted.set(windowId, Math.max(painted.get(windowId) ?? 0, revision));
      for (const waiter of [...waiters]) {
        if (displays.every((id) => (painted.get(id) ?? 0) >= waiter.revision)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(at);
        }
      }
    });
    const allPainted = (revision: number) =>
      new Promise<number>((resolve, reject) => {
        if (displays.every((id) => (painted.get(id) ?? 0) >= revision)) return resolve(Date.now());
        waiters.push({ revision, resolve });
        setTimeout(() => reject(new Error(`revision ${revision} not painted by every window in 30 s`)), 30_000).unref();
      });
    await allPainted(host.core.controller.currentRevision);

    // the presets are recalled by a signed-in operator, as on the real console
    const { client, transport } = await connectConsole(host, dataDir, 'operator');
    const presets = ['briefing', 'overview'];
    // Warm-up: both layouts once, so the first timed recall is not a cold start of the renderer.
    for (const name of presets) {
      const { revision } = await client.call('wall.execute', { command: { type: 'apply-preset', name } });
      await allPainted(revision);
    }
    const samples: number[] = [];
    for (let i = 0; i < recalls; i++) {
      const name = presets[i % 2]!;
      const done = client.call('wall.execute', { command: { type: 'apply-preset', name } });
      const { revision, acceptedAt } = await done;
      const paintedAt = await allPainted(revision);
      samples.push(paintedAt - acceptedAt);
      console.error(`recall ${i + 1}/${recalls} ${name}: ${paintedAt - acceptedAt} ms`);
    }
    transport.close();
    return {
      bench: 'layout-recall',
      windows: displays.length,
      recalls,
      p50_ms: round(percentile(samples, 50)),
      p95_ms: round(percentile(samples, 95)),
      max_ms: round(maxOf(samples)),
    };
  } finally {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
