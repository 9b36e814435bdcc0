/**
 * replay: a demo wall driven through N revisions (default 20,000: shift notes edited, now and then
 * a preset recalled, as a long incident does), then replay.at at random moments across them, timed
 * in the host process (the service the contract handler calls). Prints p50/p95 of replay.at and
 * of replay.timeline over the whole run. The data folder is on /dev/shm when there is one, so the
 * build-up is not bound by fsync (the timed reads are the same on any disk once cached).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, Command } from '../native-bridge/contract.js';
import { replayLimits } from '../native-bridge/replay.js';
import { startCore } from '../electron/node/core.js';
import { defaultPresetsDir, defaultWallFile } from '../electron/node/project-paths.js';
import { maxOf } from '../native-bridge/extremes.js';
import { percentile, round } from './stats.js';

const system: Actor = { id: 'system', role: 'system' };

const commandFor = (i: number): Command =>
  i % 50 === 0 ? { type: 'apply-preset', name: i % 100 === 0 ? 'overview' : 'cameras' } : { type: 'set-tile-props', id: i % 100 < 50 ? 'shift-note' : 'water', props: i % 100 < 50 ? { markdown: `## Ca trực\n- Ghi chú số ${i}` } : { maxRows: 1 + (i % 20) } };

export async function run(args: string[]): Promise<object> {
  const revisions = Number(args[0] ?? 20_000);
  const samples = Number(args[1] ?? 1_000);
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ioc-wall-bench-'));
  const core = await startCore({ wallFile: defaultWallFile, presetsDir: defaultPresetsDir, dataDir, host: 'chromium' });
  try {
    const first = Date.now();
    for (let i = 0; i < revisions; i++) {
      core.controller.execute(commandFor(i), system);
      if (i % 5_000 === 4_999) console.error(`${i + 1}/${revisions} revisions`);
    }
    const last = Date.now();
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const time = first + Math.floor(Math.random() * (last - first + 1));
      const t0 = performance.now();
      await core.replay.at(time);
      times.push(performance.now() - t0);
    }
    const timelines: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      core.replay.timeline(first, Math.min(last, first + replayLimits.maxTimelineMs));
      timelines.push(performance.now() - t0);
    }
    return {
      bench: 'replay',
      revisions,
      samples,
      checkpointEvery: replayLimits.checkpointEvery,
      build_s: round((last - first) / 1000),
      at_p50_ms: round(percentile(times, 50), 2),
      at_p95_ms: round(percentile(times, 95), 2),
      at_max_ms: round(maxOf(times), 2),
      timeline_p50_ms: round(percentile(timelines, 50), 2),
    };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
