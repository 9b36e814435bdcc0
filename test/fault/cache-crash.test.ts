/**
 * Crash safety of the telemetry cache: a writer process is SIGKILLed at random moments, hundreds of
 * times; after each kill the file must pass integrity_check and hold every batch whose flush() had
 * resolved ("acked"). WAL + synchronous=NORMAL is durable against a process crash like this one,
 * not against power loss (see test/fault/cache-writer.ts).
 *
 * The victim mostly runs as a bundle on plain node (as it would ship: cache-worker.js next to the
 * bundle) so 200+ cycles fit in about a minute; a few cycles run it from source under tsx (the
 * worker bootstrapped through tsx's API). CACHE_CRASH_CYCLES overrides the bundled cycle count.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleVictim, crashCycles } from './cache-writer.js';

const CYCLES = Number(process.env.CACHE_CRASH_CYCLES ?? 200);
const LANES = 2; // this machine has 2 cores; each lane kills its own writer on its own file
const SOURCE_CYCLES = 5;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-cache-crash-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('telemetry cache crash safety', () => {
  // every cycle is run, however loaded the machine (no deadline: how fast is cache-soak's to measure)
  it(`loses no acknowledged batch over ${CYCLES} SIGKILLs of a bundled writer`, { timeout: 480_000 }, async (t) => {
    const victim = await bundleVictim(join(dir, 'bundle'));
    const started = Date.now();
    const reports = await Promise.all(
      Array.from({ length: LANES }, (_, lane) =>
        crashCycles(join(dir, `lane-${lane}.db`), {
          cycles: Math.ceil(CYCLES / LANES),
          victim,
          log: (line) => t.diagnostic(`lane ${lane}: ${line}`),
        }),
      ),
    );
    const total = reports.reduce((sum, r) => ({ cycles: sum.cycles + r.cycles, acked: sum.acked + r.acked, early: sum.early + r.killedBeforeFirstAck }), { cycles: 0, acked: 0, early: 0 });
    t.diagnostic(`${total.cycles} cycles in ${((Date.now() - started) / 1000).toFixed(1)} s, ${total.acked} acked batches, ${total.early} kills before the first ack`);
    for (const report of reports) {
      assert.equal(report.integrity, 'ok');
      assert.equal(report.lost, 0);
    }
    assert.ok(total.cycles >= CYCLES, `only ${total.cycles} of ${CYCLES} cycles ran`);
    assert.ok(total.acked > total.cycles, 'the writer should ack several batches per cycle on average');
  });

  it('loses no acknowledged batch when the writer runs from source (tsx)', { timeout: 240_000 }, async () => {
    const report = await crashCycles(join(dir, 'source.db'), { cycles: SOURCE_CYCLES });
    assert.deepEqual({ cycles: report.cycles, lost: report.lost, integrity: report.integrity }, { cycles: SOURCE_CYCLES, lost: 0, integrity: 'ok' });
    assert.ok(report.acked > 0);
  });
});
