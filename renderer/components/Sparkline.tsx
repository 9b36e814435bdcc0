/**
 * A small inline SVG line of recent values, scaled to its own min/max. Pure drawing: the caller
 * decides when it changes (memoize on a version number).
 */
import { memo } from 'react';

const W = 100;
const H = 24;
const PAD = 2;

export function sparklinePoints(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return '';
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const step = (W - 2 * PAD) / (finite.length - 1);
  return finite
    .map((v, i) => {
      const x = PAD + i * step;
      const y = max === min ? H / 2 : H - PAD - ((v - min) / span) * (H - 2 * PAD);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

export const Sparkline = memo(function Sparkline({ values }: { values: readonly number[] }) {
  const points = sparklinePoints(values);
  return (
    <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true" data-points={values.length}>
      {points ? <polyline points={points} fill="none" stroke="currentColor" strokeWidth={1.5} vectorEffect="non-scaling-stroke" strokeLinejoin="round" strokeLinecap="round" /> : null}
    </svg>
  );
});
