/**
 * The five-number summary of a sample, quartiles by linear interpolation between order
 * statistics (Hyndman & Fan 1996, Amer. Statist. 50:361, definition 7: R's and NumPy's
 * default), so a reader can recompute them with either.
 */

/** min, first quartile, median, third quartile, max. */
export interface FiveNumbers {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending, type 7.
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of an empty sample");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h), hi = Math.ceil(h);
  const a = sorted[lo]!, b = sorted[hi]!;
  if (lo === hi || a === b) return a;
  // Between an infinite and another value there is nothing to interpolate (−∞ + w·∞ is NaN):
  // the nearer order statistic stands for it (a claim's margin is −∞ where its measurement
  // was not finite).
  if (!Number.isFinite(a) || !Number.isFinite(b)) return h - lo < 0.5 ? a : b;
  return a + (h - lo) * (b - a);
}

/**
 * The five-number summary of `values` (NaN is refused: a margin that is NaN is a failed
 * measurement, which the caller must count, not summarize).
 *
 * @example
 * fiveNumbers([3, 1, 2, 5, 4]); // { min: 1, q1: 2, median: 3, q3: 4, max: 5 }
 */
export function fiveNumbers(values: readonly number[]): FiveNumbers {
  if (values.some(Number.isNaN)) throw new RangeError("five-number summary: the sample holds NaN");
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0]!, q1: quantileSorted(s, 0.25), median: quantileSorted(s, 0.5), q3: quantileSorted(s, 0.75), max: s[s.length - 1]! };
}
