/**
 * The benchmarks' own verdicts (bench/support/verdicts.ts): a figure says how much of the work it
 * covers, and a goal is met only when all of it was measured — a timed-out activation, a grid whose
 * cameras showed in no window, a rate that failed below the one reported, are not passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverage, firstFrameOf, goalMet, highestCleanRate, rateClean, readingsLost, type RateResult } from '../../bench/support/verdicts.js';

describe('benchmark verdicts', () => {
  it('meets a goal only when all of the work was measured', () => {
    assert.equal(goalMet(coverage(20, 20), 900, 1500), true, 'all measured, under the limit');
    assert.equal(goalMet(coverage(19, 20), 900, 1500), false, 'one activation timed out: not met, however good the rest');
    assert.equal(goalMet(coverage(20, 20), 1600, 1500), false, 'over the limit');
    assert.equal(goalMet(coverage(0, 0), Number.NaN, 1500), false, 'nothing measured is no pass');
    assert.equal(coverage(0, 0).complete, false, 'no work at all is not complete');
  });

  describe("scenario-recall's first frame", () => {
    const t0 = 1_000_000;
    const endAt = t0 + 60_000;
    it('is the last first frame of every grid camera in every window that shows it', () => {
      const r = firstFrameOf(
        [{ cells: [{ id: 'a', firstAt: t0 + 800 }, { id: 'b', firstAt: t0 + 1200 }] }, { cells: [{ id: 'b', firstAt: t0 + 1500 }] }, { cells: [] }],
        ['a', 'b'],
        t0,
        endAt,
      );
      assert.deepEqual(r, { ms: 1500, censored: false, cameras: { measured: 2, expected: 2, complete: true } });
    });
    it('is censored at the deadline when no window shows any cell (never an instant first frame)', () => {
      const r = firstFrameOf([{ cells: [] }, { cells: [] }], ['a', 'b', 'c'], t0, endAt);
      assert.equal(r.censored, true);
      assert.equal(r.ms, 60_000);
      assert.deepEqual(r.cameras, { measured: 0, expected: 3, complete: false });
    });
    it('is censored when a camera of the grid shows in no window, or has no frame in one that shows it', () => {
      const unseen = firstFrameOf([{ cells: [{ id: 'a', firstAt: t0 + 500 }] }], ['a', 'b'], t0, endAt);
      assert.equal(unseen.censored, true);
      assert.deepEqual(unseen.cameras, { measured: 1, expected: 2, complete: false });
      const dark = firstFrameOf([{ cells: [{ id: 'a', firstAt: t0 + 500 }] }, { cells: [{ id: 'a', firstAt: null }] }], ['a'], t0, endAt);
      assert.equal(dark.censored, true, 'a camera spanning two windows needs a frame in both');
      assert.equal(dark.ms, 60_000);
    });
    it('is censored for an empty grid', () => {
      assert.equal(firstFrameOf([{ cells: [] }], [], t0, endAt).censored, true);
    });
  });

  describe("ingest's rates", () => {
    const rate = (r: number, over: Partial<RateResult> = {}): RateResult => ({ rate: r, achieved: r, published: r * 5, committed: r * 5, gaps: 0, ...over });
    it('counts readings committed beyond those published as not clean (never clamped to 0 lost)', () => {
      const doubled = rate(5000, { committed: 25_100 });
      assert.equal(readingsLost(doubled), -100);
      assert.equal(rateClean(doubled), false);
      assert.equal(rateClean(rate(5000)), true);
      assert.equal(rateClean(rate(5000, { committed: 24_999 })), false);
      assert.equal(rateClean(rate(5000, { gaps: 1 })), false);
      assert.equal(rateClean(rate(5000, { achieved: 4700 })), false);
    });
    it('reports the highest rate that ran clean with every lower one', () => {
      assert.equal(highestCleanRate([rate(5000), rate(10_000), rate(20_000)]), 20_000);
      assert.equal(highestCleanRate([rate(5000), rate(10_000, { gaps: 3 }), rate(20_000)]), 5000, 'a failure at 10k caps it, whatever 20k did');
      assert.equal(highestCleanRate([rate(5000, { committed: 1 }), rate(10_000)]), 0);
      assert.equal(highestCleanRate([rate(20_000), rate(5000)]), 20_000, 'in rate order, whatever order they ran in');
    });
  });
});
