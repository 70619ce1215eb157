/**
 * Confidence intervals for a proportion: k successes in n independent trials (here: a claim
 * that held on k of n seeds). Two standard intervals, both from @stdlib's distributions:
 *
 * - Clopper–Pearson ("exact", 1934): the bounds are beta quantiles,
 *   lo = B⁻¹(α/2; k, n − k + 1), hi = B⁻¹(1 − α/2; k + 1, n − k), with lo = 0 at k = 0 and
 *   hi = 1 at k = n. Its coverage is at least the level for every true proportion, so it is
 *   conservative: the one to use when a verdict rests on it and n is small (8 seeds, say).
 * - Wilson (1927): the score interval, (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)
 *   with z the normal quantile at 1 − α/2. Shorter, coverage near the level on average, but
 *   below it for some proportions at small n (Brown, Cai & DasGupta 2001, Statist. Sci. 16:101).
 */
import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

export type IntervalMethod = "clopper-pearson" | "wilson";

/** A two-sided confidence interval for a proportion. */
export interface ProportionInterval {
  lower: number;
  upper: number;
  /** the confidence level, e.g. 0.95 */
  level: number;
  method: IntervalMethod;
}

function checkCounts(k: number, n: number, level: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`trials: expected an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`successes: expected an integer in [0, ${n}], got ${k}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level: expected a number in (0, 1), got ${level}`);
}

/**
 * The Clopper–Pearson interval for k successes in n trials.
 *
 * @example
 * clopperPearson(8, 8); // { lower: 0.6306…, upper: 1, level: 0.95, method: "clopper-pearson" }
 */
export function clopperPearson(k: number, n: number, level = 0.95): ProportionInterval {
  checkCounts(k, n, level);
  const alpha = 1 - level;
  const lower = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const upper = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return { lower, upper, level, method: "clopper-pearson" };
}

/**
 * The Wilson score interval for k successes in n trials.
 *
 * @example
 * wilson(8, 8); // { lower: 0.6756…, upper: 1, level: 0.95, method: "wilson" }
 */
export function wilson(k: number, n: number, level = 0.95): ProportionInterval {
  checkCounts(k, n, level);
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const p = k / n, z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  // At k = 0 and k = n the formula's bound is 0 or 1 up to rounding: say so exactly.
  const lower = k === 0 ? 0 : Math.max(0, (centre - half) / scale);
  const upper = k === n ? 1 : Math.min(1, (centre + half) / scale);
  return { lower, upper, level, method: "wilson" };
}

/**
 * The interval of the method named.
 *
 * @example
 * proportionInterval(6, 8, "wilson");
 */
export function proportionInterval(k: number, n: number, method: IntervalMethod = "clopper-pearson", level = 0.95): ProportionInterval {
  return method === "wilson" ? wilson(k, n, level) : clopperPearson(k, n, level);
}
