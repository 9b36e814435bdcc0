/**
 * The largest and smallest of many numbers. Math.max(...values) passes every value as an argument
 * and throws RangeError (call stack) past about a hundred thousand of them. Pure.
 */

/** -Infinity when there are none, as Math.max(). */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) if (value > max || Number.isNaN(value)) max = value;
  return max;
}

/** Infinity when there are none, as Math.min(). */
export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const value of values) if (value < min || Number.isNaN(value)) min = value;
  return min;
}

