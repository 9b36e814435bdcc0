/**
 * Crash-safety harness for the telemetry cache, shared by test/fault/cache-crash.test.ts and
 * bench/cache-soak.ts.
 *
 * Run as a script (`node --import tsx test/fault/cache-writer.ts <file> <firstBatch>`), it is the
 * victim: it opens the cache through the real TelemetryCache (worker and all) and writes numbered
 * batches forever; after each flush() resolves it prints "acked <n>". Batch n is BATCH_SIZE
 * readings of sensor "crash" at n·BATCH_SIZE + i, plus a latest-state update.
 *
 * Imported, crashCycles() is the killer: it starts the victim, SIGKILLs it at a random moment,
 * opens the file, and checks that PRAGMA integrity_check is ok and every acked batch is complete.
 *
 * Why an acked batch must survive: flush() resolves only after the worker's COMMIT returned, and in
 * WAL mode a committed transaction is in the -wal file (written, not necessarily fsynced) before
 * COMMIT returns. synchronous=NORMAL therefore survives a process crash/SIGKILL (the OS still has
 * the pages); it does NOT promise survival of power loss or a kernel crash, which this test does
 * not (and cannot) simulate.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TelemetryCache } from '../../electron/node/cache/cache-client.js';
import { maxOf } from '../../native-bridge/extremes.js';
import { openEncrypted } from '../../electron/node/sqlite-cipher.js';
import { loadStorageKey } from '../../electron/node/storage-key.js';

export const BATCH_SIZE = 200;
const SENSOR = 'crash';
const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..', '..');

async function victim(file: string, first: number): Promise<never> {
  // Reading times are small integers (1970): keep raw readings for ~100 years so retention on open
  // does not roll the evidence up.
  const cache = await TelemetryCache.open(file, { key: loadStorageKey(dirname(file)), retention: { rawMs: 100 * 365 * 86_400_000, rollupMs: 200 * 365 * 86_400_000 } });
  process.stdout.write('ready\n');
  for (let n = first; ; n++) {
    const base = n * BATCH_SIZE;
    // several write() calls per batch, so a batch spans worker batches at random points
    for (let i = 0; i < BATCH_SIZE; i += 50) {
      cache.write(
        'gw-crash',
        Array.from({ length: 50 }, (_, j) => ({ op: 'set' as const, item: { type: 'reading' as const, id: SENSOR, at: base + i + j, value: n, extra: { i: i + j } } })),
      );
    }
    cache.write('gw-crash', [{ op: 'set', item: { type: 'reading', id: `${SENSOR}-latest`, at: n, value: n, extra: {} } }]);
    await cache.flush();
    process.stdout.write(`acked ${n}\n`);
  }
}

/**
 * Bundles the victim and the cache worker into outDir the way a production build would (ESM, the
 * worker as cache-worker.js next to the bundle that imports cache-client), so the victim runs on
 * plain node: ~0.1 s to start instead of ~0.9 s under tsx, which is what makes hundreds of kill
 * cycles affordable. better-sqlite3-multiple-ciphers stays external, imported by absolute path (outDir is a temp
 * dir without node_modules). Returns the victim's path.
 */
export async function bundleVictim(outDir: string): Promise<string> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  // Imported here, not at the top, so the victim bundle neither contains nor loads esbuild.
  const { build } = await import('esbuild');
  await build({
    entryPoints: { 'cache-writer': self, 'cache-worker': join(root, 'electron/node/cache/cache-worker.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['esbuild'],
    plugins: [{ name: 'absolute-sqlite', setup: (b) => b.onResolve({ filter: /^better-sqlite3-multiple-ciphers$/ }, () => ({ path: sqlite, external: true })) }],
  });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return join(outDir, 'cache-writer.js');
}

export interface CycleReport {
  cycles: number;
  acked: number;
  lost: number;
  integrity: string;
  /** Cycles whose victim was killed before it printed a single ack (after "ready"). */
  killedBeforeFirstAck: number;
}

/**
 * Runs kill cycles on `file` until `cycles` are done or `deadline` (epoch ms) passes, whichever
 * first. Each cycle: start the victim, wait for "ready" (every other cycle: for its first ack, so
 * a slow, loaded machine still kills writers holding acknowledged batches), let it write for
 * killAfterMs (random), SIGKILL it, then verify the file. Stops at the first violation (lost > 0 or integrity not ok).
 */
export async function crashCycles(file: string, options: {
    cycles: number;
    deadline?: number;
    killAfterMs?: [number, number];
    /** A bundle from bundleVictim(); default: this file from source under tsx. */
    victim?: string;
    log?: (line: string) => void;
  },): Promise<CycleReport> {
  const [minKill, maxKill] = options.killAfterMs ?? [20, 150];
  const acked = new Set<number>();
  let next = 0;
  let cycles = 0;
  let killedBeforeFirstAck = 0;
  let lost = 0;
  let integrity = 'ok';
  while (cycles < options.cycles && (options.deadline === undefined || Date.now() < options.deadline)) {
    const ackedThisCycle = await oneCycle(options.victim, file, next, randomInt(minKill, maxKill + 1), cycles % 2 === 0 ? 'ready' : 'first-ack');
    cycles++;
    if (ackedThisCycle.length === 0) killedBeforeFirstAck++;
    for (const n of ackedThisCycle) acked.add(n);
    next = Math.max(next, maxOf(ackedThisCycle) + 1);
    // integrity_check reads the whole file: every 10th cycle (and after the last); acked batches every cycle
    ({ lost, integrity } = verify(file, acked, cycles % 10 === 0));
    if (options.log && cycles % 25 === 0) options.log(`cycle ${cycles}: ${acked.size} acked, lost ${lost}, integrity ${integrity}`);
    if (lost > 0 || integrity !== 'ok') break;
  }
  if (lost === 0 && integrity === 'ok' && cycles % 10 !== 0) ({ lost, integrity } = verify(file, acked, true));
  return { cycles, acked: acked.size, lost, integrity, killedBeforeFirstAck };
}

function oneCycle(victimBundle: string | undefined, file: string, first: number, killAfterMs: number, from: 'ready' | 'first-ack'): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const args = victimBundle ? [victimBundle, file, String(first)] : ['--import', 'tsx', self, file, String(first)];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let stderr = '';
    let killed = false;
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`victim did not get ready in 30 s: ${stderr}`));
    }, 30_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killLater = () =>
      setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, killAfterMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(watchdog);
        if (from === 'ready') killLater();
      } else if (line.startsWith('acked ')) {
        acked.push(Number(line.slice(6)));
        if (from === 'first-ack' && acked.length === 1) killLater();
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (killed && signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`victim exited by itself (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

/** Opens the file like the next run of the app would (WAL recovery), checks integrity and acked batches. */
export function verify(file: string, acked: ReadonlySet<number>, checkIntegrity = true): { lost: number; integrity: string } {
  const db = openEncrypted(file, loadStorageKey(dirname(file)));
  try {
    const integrity = checkIntegrity ? ((db.pragma('integrity_check', { simple: true }) as string) ?? 'no answer') : 'ok';
    const complete = new Set(
      db
        .prepare(`SELECT at / ${BATCH_SIZE} AS n FROM readings WHERE sensor = ? GROUP BY n HAVING count(*) = ${BATCH_SIZE}`)
        .pluck()
        .all(SENSOR) as number[],
    );
    let lost = 0;
    for (const n of acked) if (!complete.has(n)) lost++;
    return { lost, integrity };
  } finally {
    db.close();
  }
}

if (process.argv[1] === self) {
  // (self is the bundle when bundled: import.meta.url then names cache-writer.js)
  const [file, first] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx test/fault/cache-writer.ts <cache file> [first batch]');
    process.exit(2);
  }
  await victim(file, Number(first ?? 0));
}
