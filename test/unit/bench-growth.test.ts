/**
 * The soak bench's growth figures (bench/support/growth.ts): a least-squares slope after the
 * warm-up, per hour and as a percent of the value at the warm-up's end; never fitted over part of
 * the run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { growthAfter, slopePerMinute } from '../../bench/support/growth.js';

const line = (from: number, to: number, at0: number, perMinute: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ minute: from + i, value: at0 + perMinute * (from + i) }));

describe('soak growth', () => {
  it('fits the slope of a line exactly, and of noise around it by least squares', () => {
    assert.equal(slopePerMinute(line(0, 10, 100, 0.5)), 0.5);
    const noisy = [0, 2, 1, 3, 6].map((value, minute) => ({ minute, value }));
    // slope = Σ(x−2)(y−2.4) / Σ(x−2)² = 13 / 10 (the last point pulls it above the first four's 1)
    assert.ok(Math.abs(slopePerMinute(noisy) - 1.3) < 1e-12);
    assert.ok(Number.isNaN(slopePerMinute([{ minute: 3, value: 1 }])), 'one sample has no slope');
  });

  it('leaves the warm-up out and gives the slope per hour as a percent of the value when it ended', () => {
    // a start-up climb, then 1 MB a minute on 200 MB at minute 10: 60 MB/h, 30 %/h
    const samples = [...line(0, 9, 0, 20), ...line(10, 20, 190, 1)];
    const g = growthAfter(samples, 10);
    assert.equal(g.base, 200);
    assert.equal(g.perHour, 60);
    assert.equal(g.pctPerHour, 30);
    assert.equal(g.samples, 11);
    assert.ok(growthAfter(samples, 0).perHour > 60, 'with the climb in, the figure would be larger');
    assert.equal(growthAfter(line(0, 20, 50, 0), 10).pctPerHour, 0, 'flat is 0, not NaN');
  });

  it('gives no figure when a sample after the warm-up is missing or too few follow it', () => {
    const samples = line(0, 12, 100, 1);
    samples[11] = { minute: 11, value: NaN };
    assert.ok(Number.isNaN(growthAfter(samples, 10).pctPerHour));
    assert.ok(Number.isNaN(growthAfter(line(0, 10, 100, 1), 10).pctPerHour), 'one sample after the warm-up');
  });
});
