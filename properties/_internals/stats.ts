/**
 * The statistics the initializer laws need, in float64: the normal CDF and its inverse, the
 * truncated normal's moments, sample moments, the Kolmogorov–Smirnov statistic and the
 * Dvoretzky–Kiefer–Wolfowitz bound that turns it into a test with a stated false-alarm rate.
 */

/**
 * erfc(x), Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7 everywhere).
 *
 * @example
 * erfc(0); // 1
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 +
      t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal density φ(x).
 *
 * @example
 * normalPdf(0); // 0.3989…
 */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal CDF Φ(x).
 *
 * @example
 * normalCdf(1.959963984540054); // ≈ 0.975
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Φ⁻¹(p): Acklam's rational approximation, refined by one Halley step on `normalCdf`.
 *
 * @example
 * normalQuantile(0.975); // ≈ 1.96
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * The two-sided normal critical value for a false-alarm rate α: P(|Z| > z) = α.
 *
 * @example
 * twoSidedZ(1e-6); // ≈ 4.89
 */
export function twoSidedZ(alpha: number): number {
  return normalQuantile(1 - alpha / 2);
}

/**
 * E[Z²] and E[Z⁴] of a standard normal truncated to [−a, a]. With P = 2Φ(a) − 1,
 * integrating by parts: E[Z²] = 1 − 2aφ(a)/P, E[Z⁴] = 3·E[Z²] − 2a³φ(a)/P.
 *
 * @example
 * truncatedNormalMoments(2).m2; // 0.7737413…  (= 0.87962566² )
 */
export function truncatedNormalMoments(a: number): { m2: number; m4: number } {
  const p = 2 * normalCdf(a) - 1;
  const m2 = 1 - (2 * a * normalPdf(a)) / p;
  return { m2, m4: 3 * m2 - (2 * a ** 3 * normalPdf(a)) / p };
}

/**
 * E[Z⁶] of a standard normal truncated to [−a, a]: 5·E[Z⁴] − 2a⁵φ(a)/P (same recursion).
 *
 * @example
 * truncatedNormalM6(Infinity); // 15
 */
export function truncatedNormalM6(a: number): number {
  if (!Number.isFinite(a)) return 15;
  const p = 2 * normalCdf(a) - 1;
  return 5 * truncatedNormalMoments(a).m4 - (2 * a ** 5 * normalPdf(a)) / p;
}

/** The kinds of distribution initializers draw from (all symmetric about their mean). */
export type DistributionKind = "uniform" | "normal" | "truncatedNormal";

/**
 * Standardized even moments E[(X−μ)⁴]/σ⁴ (the kurtosis) and E[(X−μ)⁶]/σ⁶.
 *
 * @example
 * standardizedMoments("uniform"); // { m4: 1.8, m6: 27/7 }
 */
export function standardizedMoments(kind: DistributionKind): { m4: number; m6: number } {
  if (kind === "uniform") return { m4: 9 / 5, m6: 27 / 7 };
  if (kind === "normal") return { m4: 3, m6: 15 };
  const { m2, m4 } = truncatedNormalMoments(2);
  return { m4: m4 / m2 ** 2, m6: truncatedNormalM6(2) / m2 ** 3 };
}

/**
 * Kurtosis E[(X−μ)⁴]/Var² of the distributions initializers draw from.
 *
 * @example
 * kurtosis("uniform"); // 1.8
 */
export function kurtosis(kind: DistributionKind): number {
  return standardizedMoments(kind).m4;
}

/**
 * E[f(ξ)] for ξ ~ N(0, 1), by the trapezoid rule on [−10, 10] (2,001 points; the tails
 * beyond hold less than 1e-23 of the mass).
 *
 * @example
 * gaussianExpectation((x) => x * x); // ≈ 1
 */
export function gaussianExpectation(f: (x: number) => number): number {
  const points = 2001, lim = 10, dx = (2 * lim) / (points - 1);
  let sum = 0;
  for (let k = 0; k < points; k++) {
    const x = -lim + k * dx;
    sum += (k === 0 || k === points - 1 ? 0.5 : 1) * f(x) * normalPdf(x);
  }
  return sum * dx;
}

/**
 * Sample mean and biased (1/n) variance, two-pass, in float64.
 *
 * @example
 * sampleMoments([1, 2, 3]); // { mean: 2, variance: 2/3 }
 */
export function sampleMoments(values: ArrayLike<number>): { mean: number; variance: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - mean) ** 2;
  return { mean, variance: v / n };
}

/**
 * The Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of a sample against a continuous CDF.
 *
 * @example
 * kolmogorovSmirnov([0.25, 0.75], (x) => x); // 0.25
 */
export function kolmogorovSmirnov(values: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * The Dvoretzky–Kiefer–Wolfowitz bound with Massart's constant: for n iid draws from a
 * continuous F, P(D > ε) ≤ 2·exp(−2nε²) for every n (not only asymptotically), so
 * ε = √(ln(2/α)/(2n)) is a KS threshold whose false-alarm rate is at most α.
 *
 * @example
 * dkwEpsilon(10_000, 1e-6); // ≈ 0.0269
 */
export function dkwEpsilon(n: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}
