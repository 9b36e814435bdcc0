/**
 * Growth of a quantity sampled over a long run (the soak bench): the least-squares slope of its
 * samples after a warm-up, per hour, and that slope as a percent of the value when the warm-up
 * ended. Pure.
 */

export interface Sample {
  minute: number;
  value: number;
}

/** Least-squares slope in value per minute; NaN with fewer than two distinct minutes. */
export function slopePerMinute(samples: readonly Sample[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    sx += s.minute;
    sy += s.value;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    sxy += (s.minute - mx) * (s.value - my);
    sxx += (s.minute - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

export interface Growth {
  /** Value at the end of the warm-up (the first sample at or after it). */
  base: number;
  perHour: number;
  pctPerHour: number;
  /** Samples the slope was fitted over. */
  samples: number;
}

/**
 * Growth after `warmupMinutes`: the slope over the samples from then on, per hour, and as a
 * percent of the value at the warm-up's end. NaN figures when fewer than two samples follow it or
 * a sample is missing (NaN): a figure is never fitted over part of the run.
 */
export function growthAfter(samples: readonly Sample[], warmupMinutes: number): Growth {
  const kept = samples.filter((s) => s.minute >= warmupMinutes);
  const base = kept[0]?.value ?? NaN;
  const perHour = kept.some((s) => !Number.isFinite(s.value)) ? NaN : slopePerMinute(kept) * 60;
  return { base, perHour, pctPerHour: base > 0 ? (perHour / base) * 100 : NaN, samples: kept.length };
}
