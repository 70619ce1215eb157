/**
 * Every tolerance the property suites use, derived here and nowhere else.
 *
 * Three sources of slack, each stated with its reason:
 *  1. float32 rounding — unit roundoff u = 2^-24 (half the machine epsilon 2^-23); a chain of
 *     n roundings is bounded by Higham's γ_n = n·u/(1 − n·u), relative to the sum of the
 *     magnitudes involved (not to the result, which may cancel).
 *  2. the backend — how far its kernels are from correctly rounded float32: a relative error
 *     in units of u, and an absolute floor for the polynomial approximations of
 *     exp/sigmoid/tanh that WebAssembly (XNNPACK) and GPUs use. These numbers belong to the
 *     backend (`BACKEND_TOLERANCE`), not to the test that uses them.
 *  3. sampling — for statistical laws, a threshold at a stated false-alarm rate
 *     (`FALSE_ALARM_RATE` per check) from the sampling distribution of the statistic.
 */
import { BACKEND_TOLERANCE, type BackendName, type BackendTolerance } from "../src/backend/mod.ts";
import type { OptimizerSpec } from "../src/core/mod.ts";
import type { Closeness } from "./_internals/close.ts";
import { dkwEpsilon, twoSidedZ } from "./_internals/stats.ts";

// ─── float32 ────────────────────────────────────────────────────────────────────────────

/** float32 machine epsilon: the gap between 1 and the next float32. */
export const F32_EPS = 2 ** -23;
/** float32 unit roundoff: the largest relative error of one correctly rounded operation. */
export const F32_U = 2 ** -24;
/** The smallest normal float32; below it values are subnormal (or flushed to zero). */
export const F32_MIN_NORMAL = 2 ** -126;
/** The smallest positive float32 (a subnormal), the absolute spacing of float32 below 2^-126. */
export const F32_MIN_SUBNORMAL = 2 ** -149;
/** The largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;

/**
 * Higham's γ_n = n·u/(1 − n·u) for a relative error `unit` per operation (default u):
 * the bound on n chained roundings, e.g. a sum of n+1 terms relative to Σ|terms|.
 *
 * @example
 * gamma(10); // ≈ 5.96e-7
 */
export function gamma(n: number, unit = F32_U): number {
  const nu = n * unit;
  if (nu >= 1) throw new Error(`gamma: n·u = ${nu} ≥ 1, the rounding bound is void`);
  return nu / (1 - nu);
}

/**
 * The spacing of float32 values around |x| (ulp); 2^-149 for subnormals.
 *
 * @example
 * ulp32(1); // 2^-23
 */
export function ulp32(x: number): number {
  const a = Math.abs(x);
  if (a < F32_MIN_NORMAL) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

// ─── backends ───────────────────────────────────────────────────────────────────────────

/**
 * How accurate each backend's kernels are and how close it stays to cpu: a property of the
 * backend, so it lives with the backend (src/backend/tolerance.ts) and travels on its handle
 * (`backend.tolerance`); `toleranceFor(name)` below reads the same table.
 */
export { BACKEND_TOLERANCE, type BackendTolerance } from "../src/backend/mod.ts";

/**
 * The tolerance that belongs to a backend.
 *
 * @example
 * toleranceFor("wasm").kernelUlps; // 8
 */
export function toleranceFor(backend: BackendName): BackendTolerance {
  return BACKEND_TOLERANCE[backend];
}

/**
 * The error bound of one elementwise kernel result y on a backend:
 * |ŷ − y| ≤ kernelUlps·u·|y| + kernelAbsUlps·u·range (+ the smallest normal when the backend
 * flushes subnormals; else 4·2^-149: below 2^-126 float32 has only the absolute spacing 2^-149,
 * and a kernel's few roundings there, each up to half of it, may be amplified by constants
 * up to 2, as selu's λα), where `range` is the size of the function's values (1 for sigmoid/tanh).
 *
 * @example
 * kernelCloseness(toleranceFor("cpu")); // { rtol: 2^-24, atol: 2^-147 }
 */
export function kernelCloseness(bt: BackendTolerance, range = 1): Closeness {
  return {
    rtol: bt.kernelUlps * F32_U,
    atol: bt.kernelAbsUlps * F32_U * range + (bt.flushesSubnormals ? F32_MIN_NORMAL : 4 * F32_MIN_SUBNORMAL),
  };
}

/**
 * The error bound for a value v = g(x) computed by an implementation other than the core's
 * (a user's activation): a chain of `kernels` tfjs kernels on the backend, counted as the law
 * runs it (tf.profile), none of whose formulas the law knows. Each kernel errs by at most
 * `kernelCloseness` in its result; a first-order (backward-stability) model moves that error
 * either onto the result (relative kernelUlps·u) or onto the input x, which g's relative
 * condition number κ(x) = |x·g′(x)/g(x)| turns into κ·kernelUlps·u of the result. So
 *
 *   |v̂ − v| ≤ kernels·kernelUlps·u·(1 + κ)·|v| + kernels·atol_kernel,
 *
 * the float32 error the function itself forces on any float32 evaluation, and the backend's
 * per-kernel error — nothing about how the implementation is written. Exact kernels (Neg,
 * Reshape, OnesLike) are counted too, so the bound is generous in the count, never in u. An
 * implementation that is not backward stable (1 − σ(x) by subtraction where σ(x) ≈ 1,
 * 2σ(2x) − 1 for tanh near 0) fails it: the law then reports accuracy lost by the formula.
 *
 * `floor` is where tfjs leaves no backward-stable chain: the size of an intermediate value every
 * evaluation through tfjs's kernels must round on the way to v. tfjs has no expm1 kernel, so
 * elu's e^x − 1 is formed from e^x ≈ 1 (tfjs's own cpu Elu is exp(x) − 1 in float64, and
 * returns 0 for |x| < 1.1e-16): one rounding of that value, kernelUlps·u·floor per kernel,
 * stays in the result as an absolute error.
 *
 * @example
 * implementationCloseness(toleranceFor("cpu"), 4, 88); // { rtol: 4·89·u, atol: 4·2^-147 }
 * implementationCloseness(toleranceFor("cpu"), 3, 1, 1); // { rtol: 3·2u, atol: 3·(u + 2^-147) }
 */
export function implementationCloseness(bt: BackendTolerance, kernels: number, condition: number, floor = 0): Closeness {
  const k = kernelCloseness(bt);
  return { rtol: kernels * k.rtol * (1 + condition), atol: kernels * (k.atol + k.rtol * floor) };
}

/**
 * Whether backend `bt` may treat x as zero: x is subnormal and the backend flushes subnormals.
 *
 * @example
 * mayFlush(toleranceFor("webgpu"), 2 ** -149); // true
 * mayFlush(toleranceFor("cpu"), 2 ** -149);    // false
 */
export function mayFlush(bt: BackendTolerance, x: number): boolean {
  return bt.flushesSubnormals && x !== 0 && Math.abs(x) < F32_MIN_NORMAL;
}

/**
 * x as a flushing backend may see it: ±0 in place of a subnormal (where `mayFlush`), else x.
 *
 * @example
 * flushed(toleranceFor("webgpu"), -(2 ** -149)); // -0
 */
export function flushed(bt: BackendTolerance, x: number): number {
  return mayFlush(bt, x) ? (x < 0 ? -0 : 0) : x;
}

// ─── sampling ───────────────────────────────────────────────────────────────────────────

/**
 * The false-alarm rate of each statistical check: the probability that a correct
 * implementation fails it by bad luck. At 1e-6, a CI run of the initializer laws (≈ 10^2
 * checks per backend) fails by chance about once in 10^4 runs.
 */
export const FALSE_ALARM_RATE = 1e-6;

/** The two-sided normal critical value at FALSE_ALARM_RATE (≈ 4.89). */
export const Z_FALSE_ALARM = twoSidedZ(FALSE_ALARM_RATE);

/**
 * Kolmogorov–Smirnov threshold for n draws at FALSE_ALARM_RATE (DKW–Massart, exact for all n).
 *
 * @example
 * ksThreshold(10_000); // ≈ 0.0269
 */
export function ksThreshold(n: number): number {
  return dkwEpsilon(n, FALSE_ALARM_RATE);
}

// ─── activation derivatives ─────────────────────────────────────────────────────────────

/**
 * The error bound on one computed activation value y, whose function's values span
 * `range` (1 for σ, tanh and elu; λα ≈ 1.76 for selu).
 *
 * @example
 * activationValueError(toleranceFor("cpu"), 0.5); // 0.5·u: cpu rounds once
 */
export function activationValueError(bt: BackendTolerance, y: number, range = 1): number {
  const k = kernelCloseness(bt, range);
  return k.atol + k.rtol * Math.abs(y);
}

/**
 * σ'(x) as tfjs computes it: y·(1 − y) from the computed y = σ(x). An error e(y) in y moves
 * it by |1 − 2y|·e(y) ≤ e(y); the subtraction and the product add two roundings (2u
 * relative). So |σ̂' − σ'| ≤ e(y) + 2u·σ'. The bounds 0 ≤ σ̂' ≤ 1/4 are exact: for
 * y ∈ [0, 1] both factors lie in [0, 1], their exact product is ≤ 1/4, which is a float32,
 * and rounding to nearest is monotone.
 *
 * @example
 * sigmoidDerivativeCloseness(toleranceFor("wasm"), 0.9);
 */
export function sigmoidDerivativeCloseness(bt: BackendTolerance, y: number): Closeness {
  return { rtol: 2 * F32_U, atol: activationValueError(bt, y) };
}

/**
 * tanh'(x) = 1 − y² from the computed y: |Δ| ≤ 2|y|·e(y) + u·y² + u·tanh' (the error of y
 * moves y² by 2|y|·e(y); squaring and subtracting add one rounding each). The bounds
 * 0 ≤ tanh' ≤ 1 are exact for y ∈ [−1, 1].
 *
 * @example
 * tanhDerivativeCloseness(toleranceFor("cpu"), 0.5);
 */
export function tanhDerivativeCloseness(bt: BackendTolerance, y: number): Closeness {
  return { rtol: F32_U, atol: 2 * Math.abs(y) * activationValueError(bt, y) + F32_U * y * y };
}

/**
 * elu'(x) for α = 1, from the output: 1 for x > 0, y + 1 for x ≤ 0 with y = expm1(x).
 * y + 1 is exact for y ≤ −1/2 (Sterbenz) and one rounding otherwise, so
 * |Δ| ≤ e(y) + u·elu'. The absolute term is why elu'(x) underflows to 0 below x ≈ −17.3:
 * there y rounds to −1 (e^x < 2^-25), a float32 fact, not a bug.
 *
 * @example
 * eluDerivativeCloseness(toleranceFor("cpu"), -0.5);
 */
export function eluDerivativeCloseness(bt: BackendTolerance, y: number): Closeness {
  return { rtol: F32_U, atol: activationValueError(bt, y) };
}

/**
 * Derivatives computed from x with one transcendental kernel and a product by a constant
 * (selu: λα·e^x; elu with α ≠ 1: α·e^x): the kernel's error plus two roundings.
 *
 * @example
 * expDerivativeCloseness(toleranceFor("wasm"), 1.76);
 */
export function expDerivativeCloseness(bt: BackendTolerance, range: number): Closeness {
  const k = kernelCloseness(bt, range);
  return { rtol: k.rtol + 2 * F32_U, atol: k.atol };
}

/**
 * The central-difference step at x: h = ∛ε·max(1, |x|). The error of a central difference
 * is ≈ e/h (rounding of the two values, e ≈ ε·scale) + h²·|f'''|/6 (truncation); the sum is
 * smallest at h ∝ ∛(e/|f'''|), i.e. ∛ε times the scale of x for these O(1) functions.
 *
 * @example
 * finiteDifferenceStep(0); // ≈ 4.9e-3
 */
export function finiteDifferenceStep(x: number): number {
  return Math.cbrt(F32_EPS) * Math.max(1, Math.abs(x));
}

// ─── depth ──────────────────────────────────────────────────────────────────────────────

/**
 * Rounding slack of the sigmoid-chain bound. Backprop through layer l computes
 * a = g ⊙ σ'(z) (one rounding: |a| ≤ (1 + u)·|g|/4, the 1/4 being exact) and then a·Wᵀ, whose
 * error is ≤ γ_{n_l}·|a||W|ᵀ (n_l terms per dot product); since ‖|a||W|ᵀ‖₂ ≤ ‖W‖_F·‖a‖₂ and
 * ‖|W|‖_F = ‖W‖_F, the computed gradient obeys the exact bound times ∏_l (1 + u)(1 + γ_{n_l}).
 * Per-operation error: the backend's kernelUlps·u.
 *
 * @example
 * sigmoidChainSlack([4, 4, 1], toleranceFor("cpu")); // ≈ 1 + 1e-6
 */
export function sigmoidChainSlack(widths: readonly number[], bt: BackendTolerance): number {
  const unit = bt.kernelUlps * F32_U;
  let slack = 1;
  for (let l = 1; l < widths.length; l++) slack *= (1 + unit) * (1 + gamma(widths[l], unit));
  return slack;
}

/**
 * Relative error of ‖g_{l−1}‖ against ‖g_l ⊙ mask‖ for one ReLU layer with an orthogonal
 * n×n kernel Q stored in float32: the matmul errs by ≤ γ_n·|a||Q|ᵀ and rounding Q to float32
 * by ≤ u·|a||Q|ᵀ, and ‖|a||Q|ᵀ‖₂ ≤ ‖Q‖_F·‖a‖₂ = √n·‖a‖₂. So rtol = (γ_n + u)·√n.
 *
 * @example
 * orthogonalLayerRtol(16, toleranceFor("cpu")); // ≈ 4.2e-6
 */
export function orthogonalLayerRtol(n: number, bt: BackendTolerance): number {
  const unit = bt.kernelUlps * F32_U;
  return (gamma(n, unit) + F32_U) * Math.sqrt(n);
}

/**
 * The largest mean(ĥ_L²) a stack whose exact activations obey mean(h_L²) ≤ `bound` can show
 * on a backend. A transcendental activation (tanh) errs near 0 by up to its kernels' absolute
 * floor e = kernelCloseness(bt).atol (WGSL's tanh: ±2^-25 where the exact value is below it),
 * and the next layer scales an error's root mean square by √(n·σ²) (mean field), so the error
 * at the last layer stays below e/(1 − √(n·σ²)) and, by Minkowski,
 * mean(ĥ_L²) ≤ (√bound + e/(1 − √(n·σ²)))². Exact activations (relu, linear) add nothing.
 *
 * @example
 * vanishedMeanSquare(1e-19, toleranceFor("cpu"), 0.0128, true); // ≈ 1e-19
 */
export function vanishedMeanSquare(bound: number, bt: BackendTolerance, layerGain: number, transcendental: boolean): number {
  if (!transcendental) return bound;
  if (!(layerGain < 1)) throw new Error(`vanishedMeanSquare: the layer gain n·σ² = ${layerGain} does not make the signal vanish`);
  const e = kernelCloseness(bt).atol / (1 - Math.sqrt(layerGain));
  return (Math.sqrt(bound) + e) ** 2;
}

/**
 * Relative error of a product of L float32 factors computed by L chained multiplications
 * (the input gradient of a chain of 1×1 linear layers): γ_L per the backend's unit.
 *
 * @example
 * productRtol(365, toleranceFor("cpu")); // ≈ 2.2e-5
 */
export function productRtol(depth: number, bt: BackendTolerance): number {
  return gamma(depth + 1, bt.kernelUlps * F32_U);
}

// ─── initializers ───────────────────────────────────────────────────────────────────────

/**
 * Tolerance of a sample mean of n draws with standard deviation σ: the sampling error
 * Z·σ/√n (the mean of a symmetric light-tailed distribution is normal to a very good
 * approximation at n ≥ 1000) plus the backend's float32 summation error γ_n·mean|x|.
 *
 * @example
 * sampleMeanTolerance(1, 10_000, 0.8, toleranceFor("cpu")); // ≈ 0.049
 */
export function sampleMeanTolerance(sigma: number, n: number, meanAbs: number, bt: BackendTolerance): number {
  return (Z_FALSE_ALARM * sigma) / Math.sqrt(n) + gamma(n, bt.kernelUlps * F32_U) * meanAbs;
}

/**
 * Tolerance of the biased sample variance s² = mean((x − x̄)²) of n draws from a
 * distribution with variance σ² and standardized moments m4 (kurtosis) and m6:
 *  - sampling: s² ≈ mean of n iid (x − μ)², with sd σ²·√((m4 − 1)/n) and skewness
 *    (m6 − 3m4 + 2)/((m4 − 1)^{3/2}·√n); the critical value is Z corrected for that skewness
 *    by the Cornish–Fisher term (Z² − 1)·skew/6, so the right tail of s² is not
 *    under-covered at small n;
 *  - the 1/n bias of s²: σ²/n;
 *  - float32: squares and the sum, γ_{n+2}·σ² (relative to Σ(x − x̄)², which is n·s²).
 *
 * @example
 * sampleVarianceTolerance(1, 10_000, 3, 15, toleranceFor("cpu"));
 */
export function sampleVarianceTolerance(variance: number, n: number, m4: number, m6: number, bt: BackendTolerance): number {
  const skew = (m6 - 3 * m4 + 2) / ((m4 - 1) ** 1.5 * Math.sqrt(n));
  const z = Z_FALSE_ALARM + (Math.abs(skew) * (Z_FALSE_ALARM ** 2 - 1)) / 6;
  return z * variance * Math.sqrt((m4 - 1) / n) + variance / n + gamma(n + 2, bt.kernelUlps * F32_U) * variance * 1.01;
}

/**
 * KS threshold for n float32 draws: the DKW threshold at FALSE_ALARM_RATE plus the CDF shift
 * float32 rounding can cause (each value moves by ≤ u·|x|, the CDF by ≤ density·u·|x|).
 *
 * @example
 * ksTolerance(10_000, 1, 0.4); // ≈ 0.0269
 */
export function ksTolerance(n: number, maxAbs: number, maxDensity: number): number {
  return ksThreshold(n) + F32_U * maxAbs * maxDensity;
}

/**
 * Standard deviation of the Glorot ratio r = mean((xW)²) for x ~ N(0,1)^{B×n_in} and W with
 * iid entries of variance σ² and kurtosis κ (r's expectation is n_in·σ²), over both sources
 * of randomness:
 *  - the weights: E[r | W] = ‖W‖_F²/n_out, whose variance is n_in·(κ − 1)·σ⁴/n_out;
 *  - the inputs: each row's ‖x_i W‖² has variance 2·tr((WᵀW)²) given W (Gaussian x), so
 *    r adds 2·E[tr((WᵀW)²)]/(B·n_out²), with E[tr((WᵀW)²)] =
 *    n_out·(n_in·κσ⁴ + n_in(n_in − 1)σ⁴) + n_out(n_out − 1)·n_in·σ⁴.
 * The backward ratio mean((δWᵀ)²) is the same with n_in and n_out exchanged.
 *
 * @example
 * glorotRatioSd(256, 256, 64, 1 / 256, 1.8);
 */
export function glorotRatioSd(nIn: number, nOut: number, rows: number, variance: number, kappa: number): number {
  const s4 = variance * variance;
  const fromWeights = (nIn * (kappa - 1) * s4) / nOut;
  const trace = nOut * (nIn * kappa * s4 + nIn * (nIn - 1) * s4) + nOut * (nOut - 1) * nIn * s4;
  const fromInputs = (2 * trace) / (rows * nOut * nOut);
  return Math.sqrt(fromWeights + fromInputs);
}

/**
 * Half-width, in log units, of the band a deep stack's pre-activation second moment
 * q_l = mean(z_l²) keeps around its mean-field value at layer l, at FALSE_ALARM_RATE.
 * Finite width n makes log q_l a sum of l per-layer fluctuations:
 *  - ReLU: each layer's ‖h‖² ratio has variance 5/n (Hanin & Rolnick 2018; relu(g)² has
 *    mean 1/2 and variance 5/4 for Gaussian g, and uniform weights fluctuate less); the rows
 *    of a ReLU layer are all non-negative, hence strongly aligned, so averaging B rows does
 *    not help: Var log q_l ≈ 5l/n.
 *  - tanh (odd, zero-mean activations): the B rows point in nearly orthogonal directions,
 *    so the input part averages over n·B terms and only the weights' spread (2/n² per layer,
 *    from ‖W‖_F²) is common: Var log q_l ≈ 5l/(nB) + 2l/n², 5 again bounding tanh's factor.
 * Band: Z·√Var (measured spreads on cpu at n = 128, L = 16, B = 32: ReLU sd 0.61 vs 0.79
 * from the formula; tanh sd 0.10 vs 0.15).
 *
 * @example
 * depthBand("relu", 16, 128, 16); // ≈ 3.87
 */
export function depthBand(activation: "relu" | "tanh", layer: number, width: number, rows: number): number {
  const variance = activation === "relu" ? (5 * layer) / width : (5 * layer) / (width * rows) + (2 * layer) / width ** 2;
  return Z_FALSE_ALARM * Math.sqrt(variance);
}

/**
 * How equal two hidden units of a zero-initialized net stay. Symmetric units are computed
 * by the same operations on the same numbers, so on a backend that evaluates every column of
 * a matmul the same way they stay bitwise equal (cpu). Vectorized kernels may treat a tail
 * column with a different instruction sequence (FMA or not), a difference of one rounding
 * per operation that training can carry along: kernelUlps·u relative per step, allowed ×64.
 *
 * @example
 * symmetryCloseness(toleranceFor("cpu")); // { rtol: 0, atol: 0 }
 */
export function symmetryCloseness(bt: BackendTolerance): Closeness {
  if (bt.backend === "cpu") return { rtol: 0, atol: 0 };
  return { rtol: 64 * bt.kernelUlps * F32_U, atol: F32_MIN_NORMAL };
}

// ─── clipping ───────────────────────────────────────────────────────────────────────────

/**
 * The per-operation error of arithmetic kernels: u where the backend rounds IEEE-correctly,
 * else its kernelUlps·u (WGSL allows 2.5 ulp for division, CUDA's fast math more).
 *
 * @example
 * arithmeticUnit(toleranceFor("wasm")); // 2^-24
 */
export function arithmeticUnit(bt: BackendTolerance): number {
  return bt.ieeeArithmetic ? F32_U : bt.kernelUlps * F32_U;
}

/**
 * Relative error of a computed L2 norm over N elements: the squares and the sum cost γ_N
 * relative to Σg² (all terms non-negative, so no cancellation), the square root halves it
 * and adds one rounding: γ_N/2 + unit.
 *
 * @example
 * normRtol(1000, toleranceFor("cpu")); // ≈ 3.0e-5
 */
export function normRtol(elements: number, bt: BackendTolerance): number {
  const unit = arithmeticUnit(bt);
  return gamma(elements, unit) / 2 + unit;
}

/**
 * Relative error of the global norm G that training records (src/core/global-norm.ts on the
 * autodiff engine; a float64 sum of the float32 squares on the fast one) against the float64
 * norm of the same float32 gradients, for N elements: ⌈log₂N⌉ levels of pairwise sums, the
 * product by 1/max|g| and the square, each one correctly rounded + or × (u on every backend:
 * WGSL rounds +, −, × correctly too; the inexact reciprocal cancels, the host divides by the
 * one the backend used), halved by the square root; the host's float64 steps add 4·2⁻⁵³.
 * At N = 10⁶: 11.5·u ≈ 6.9e-7.
 *
 * @example
 * globalNormRtol(1e6); // ≈ 6.9e-7
 */
export function globalNormRtol(elements: number): number {
  return ((Math.ceil(Math.log2(Math.max(2, elements))) + 3) * F32_U) / 2 + 4 * 2 ** -53;
}

/**
 * Relative error of a clipped tensor t·(c/G): the norm's error, the division and the product.
 *
 * @example
 * clipRtol(1000, toleranceFor("cpu"));
 */
export function clipRtol(elements: number, bt: BackendTolerance): number {
  return normRtol(elements, bt) + 2 * arithmeticUnit(bt);
}

/**
 * "Returned unchanged": bitwise on an IEEE backend (the scale is c/c = 1 exactly, and t·1 = t);
 * within one division's error elsewhere.
 *
 * @example
 * unchangedCloseness(toleranceFor("cpu")); // { rtol: 0, atol: 0 }
 */
export function unchangedCloseness(bt: BackendTolerance): Closeness {
  return bt.ieeeArithmetic ? { rtol: 0, atol: 0 } : { rtol: 2 * arithmeticUnit(bt), atol: 0 };
}

// ─── batch normalization ────────────────────────────────────────────────────────────────

/** One feature (column) of a batch, described in float64 from its float32 values. */
export interface FeatureStats {
  rows: number;
  /** mean |x| */
  meanAbs: number;
  /** μ and the biased σ² of the column */
  mean: number;
  variance: number;
  /** max |x − μ| */
  maxDeviation: number;
  epsilon: number;
  gamma: number;
  beta: number;
}

/**
 * A bound E on |BN̂(x)_i − BN(x)_i| for every element of a feature in training mode, where
 * BN(x)_i = γ(x_i − μ)/√(σ² + ε) + β is exact and BN̂ is tfjs's float32 evaluation
 * (mean, subtract, square, mean, add ε, rsqrt, multiply, multiply, add):
 *  - the batch mean errs by δ ≤ γ_{m+1}·mean|x| (any summation order);
 *  - the variance by dv ≤ δ² + γ_{m+3}·(σ² + δ²) (centred squares, their sum and mean);
 *  - so rsqrt(σ̂² + ε) errs relatively by ρ ≤ dv/(2(σ² + ε)) + the kernel's error + 2 roundings;
 *  - each output then errs by ≤ |γ|·r·(δ + max|x − μ|·(ρ + 4·unit)) plus the roundings of the
 *    final products and of + β: 2·unit·(|β| + |γ|·r·max|x − μ|),   r = 1/√(σ² + ε).
 * The feature's output mean then lies within E of β, and its standard deviation within E of
 * √V (Minkowski), so its variance within 2√V·E + E².
 *
 * @example
 * batchNormOutputError(toleranceFor("cpu"), stats);
 */
export function batchNormOutputError(bt: BackendTolerance, s: FeatureStats): number {
  const unit = arithmeticUnit(bt);
  const delta = gamma(s.rows + 1, unit) * s.meanAbs;
  const dv = delta ** 2 + gamma(s.rows + 3, unit) * (s.variance + delta ** 2);
  const s2 = s.variance + s.epsilon;
  const r = 1 / Math.sqrt(s2);
  const rho = (1.01 * dv) / (2 * s2) + bt.kernelUlps * F32_U + 2 * unit;
  const g = Math.abs(s.gamma);
  return g * r * (delta + s.maxDeviation * (rho + 4 * unit)) * (1 + rho) + 2 * unit * (Math.abs(s.beta) + g * r * s.maxDeviation);
}

/**
 * Bound on |Σ_i ∂L/∂x_i| for one feature of training-mode BN. tfjs backpropagates through
 * x → c = x − mean(x), giving ∂L/∂x_i = dc_i − (Σ_k dc_k)/m whatever dc is; in float32 the
 * sum over the batch is then zero up to γ_{m+2}·(Σ|dc| + Σ|∂L/∂x|), doubled for safety.
 *
 * @example
 * batchNormGradientSumTolerance(toleranceFor("cpu"), 8, 1.2, 1.1);
 */
export function batchNormGradientSumTolerance(bt: BackendTolerance, rows: number, sumAbsDc: number, sumAbsDx: number): number {
  return 2 * gamma(rows + 2, arithmeticUnit(bt)) * (sumAbsDc + sumAbsDx);
}

/**
 * Bound on |moving' − (μ·moving + (1 − μ)·batch)| for the moving-average update: the two
 * products, the sum and the float32 value of 1 − μ, each one rounding relative to the terms.
 *
 * @example
 * movingAverageTolerance(toleranceFor("cpu"), 0.9, 1, 2);
 */
export function movingAverageTolerance(bt: BackendTolerance, momentum: number, moving: number, batch: number): number {
  return 4 * arithmeticUnit(bt) * (Math.abs(momentum * moving) + Math.abs((1 - momentum) * batch));
}

// ─── gradient check ─────────────────────────────────────────────────────────────────────

/** One dense layer of a traced forward pass, as float32 values read back from the backend. */
export interface TracedLayer {
  fanIn: number;
  fanOut: number;
  /** the layer's input and output, rows × fanIn and rows × fanOut */
  input: ArrayLike<number>;
  output: ArrayLike<number>;
  kernel: ArrayLike<number>;
  bias?: ArrayLike<number>;
  batchNorm?: { gamma: ArrayLike<number>; beta: ArrayLike<number>; epsilon: number };
  /** the activation's global Lipschitz constant (max |f'|) and whether it is a polynomial-approximated kernel */
  lipschitz: number;
  transcendental: boolean;
  /** the activation's range of values, for the kernels' absolute error (1 for σ, tanh, elu; λα for selu) */
  range: number;
}

/** A traced forward pass and its loss. */
export interface TracedLoss {
  rows: number;
  loss: "mse" | "softmaxCrossEntropy" | "sparseSoftmaxCrossEntropy";
  layers: TracedLayer[];
  /** the net's output and the targets, rows × outputs */
  output: ArrayLike<number>;
  targets: ArrayLike<number>;
  value: number;
}

/**
 * A first-order running error bound on the float32 loss (Higham's running error analysis):
 * the absolute error of every value is carried through the net in float64, from the actual
 * values of this forward pass, so amplification by the weights and by batch norm's 1/σ is
 * accounted for where it happens.
 *  - dense: e_z = e_h·|W| + γ_{n+1}·(|h|·|W| + |b|)   (n-term dot products plus the bias);
 *  - batch norm: the output error of `batchNormOutputError`, with the incoming error added to
 *    the centred values and to the variance (2·mean(|z − μ|·e_z));
 *  - activation: e_h = Lip(f)·e_z + kernelUlps·u·|h| (+ kernelAbsUlps·u·range for exp/sigmoid/tanh kernels);
 *  - MSE: mean(2|y − o|·e_o + e_o²) + γ_{N+2}·L;
 *  - softmax cross-entropy: per row 2·max_k e_o + C·(kernelUlps + kernelAbsUlps)·u + γ_{C+1}·C (exp, sum, log of
 *    log-sum-exp) + 2·unit·(|lse| + |picked|), then γ_{B+1} for the batch mean.
 * Doubled, for the neglected second-order terms.
 *
 * @example
 * const eL = lossRoundingError(toleranceFor("cpu"), traced);
 */
export function lossRoundingError(bt: BackendTolerance, t: TracedLoss): number {
  const unit = arithmeticUnit(bt);
  const ku = bt.kernelUlps * F32_U, ka = bt.kernelAbsUlps * F32_U + (bt.flushesSubnormals ? F32_MIN_NORMAL : 0);
  const B = t.rows;
  let e = new Float64Array(B * t.layers[0].fanIn);
  for (const layer of t.layers) {
    const { fanIn: n, fanOut: m, input: h, kernel: w } = layer;
    const z = new Float64Array(B * m), ez = new Float64Array(B * m);
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < m; j++) {
        let zz = layer.bias ? layer.bias[j] : 0, acc = layer.bias ? Math.abs(layer.bias[j]) : 0, prop = 0;
        for (let k = 0; k < n; k++) {
          zz += h[i * n + k] * w[k * m + j];
          acc += Math.abs(h[i * n + k] * w[k * m + j]);
          prop += e[i * n + k] * Math.abs(w[k * m + j]);
        }
        z[i * m + j] = zz;
        ez[i * m + j] = prop + gamma(n + 1, unit) * acc;
      }
    }
    if (layer.batchNorm) {
      const { gamma: g, beta: b, epsilon } = layer.batchNorm;
      for (let j = 0; j < m; j++) {
        let mu = 0, meanAbs = 0, meanErr = 0;
        for (let i = 0; i < B; i++) {
          mu += z[i * m + j] / B;
          meanAbs += Math.abs(z[i * m + j]) / B;
          meanErr += ez[i * m + j] / B;
        }
        let variance = 0, spread = 0;
        for (let i = 0; i < B; i++) {
          variance += (z[i * m + j] - mu) ** 2 / B;
          spread += (2 * Math.abs(z[i * m + j] - mu) * ez[i * m + j]) / B;
        }
        const delta = gamma(B + 1, unit) * meanAbs;
        const dv = delta ** 2 + gamma(B + 3, unit) * (variance + delta ** 2) + spread;
        const s2 = variance + epsilon, r = 1 / Math.sqrt(s2);
        const rho = dv / (2 * s2) + ku + 2 * unit;
        const gj = Math.abs(g[j]);
        for (let i = 0; i < B; i++) {
          const dev = Math.abs(z[i * m + j] - mu);
          ez[i * m + j] = gj * r * (ez[i * m + j] + meanErr + delta + dev * rho) * (1 + rho) + 2 * unit * (Math.abs(b[j]) + gj * r * dev);
          z[i * m + j] = g[j] * (z[i * m + j] - mu) * r + b[j];
        }
      }
    }
    e = new Float64Array(B * m);
    for (let k = 0; k < B * m; k++) {
      e[k] = layer.lipschitz * ez[k] + ku * Math.abs(layer.output[k]) + (layer.transcendental ? ka * layer.range : 0);
    }
  }
  const C = t.output.length / B;
  let eL = 0;
  if (t.loss === "mse") {
    for (let k = 0; k < B * C; k++) eL += (2 * Math.abs(t.targets[k] - t.output[k]) * e[k] + e[k] ** 2) / (B * C);
    eL += gamma(B * C + 2, unit) * Math.abs(t.value);
  } else {
    let spread = 0;
    for (let i = 0; i < B; i++) {
      let max = -Infinity, maxErr = 0, picked = 0;
      for (let k = 0; k < C; k++) {
        max = Math.max(max, t.output[i * C + k]);
        maxErr = Math.max(maxErr, e[i * C + k]);
        picked += t.targets[i * C + k] * t.output[i * C + k];
      }
      let s = 0;
      for (let k = 0; k < C; k++) s += Math.exp(t.output[i * C + k] - max);
      const lse = max + Math.log(s);
      eL += (2 * maxErr + C * (ku + ka) + gamma(C + 1, unit) * C + ku * Math.abs(Math.log(s)) + 2 * unit * (Math.abs(lse) + Math.abs(picked))) / B;
      spread += Math.abs(lse - picked) / B;
    }
    eL += gamma(B + 1, unit) * spread;
  }
  return 2 * eL;
}

// ─── running error bounds (the engines' update, clipping, statistics and batch norm) ────

/**
 * A float64 value and a bound `e` on how far any float32 evaluation of the same expression
 * can be from it: Higham's running error analysis ("Accuracy and Stability of Numerical
 * Algorithms", §3.3), carried along with the computation so each bound is derived from the
 * actual numbers of one check. The engines' laws compute their float64 reference in this
 * arithmetic and compare a float32 result r with |r − v| ≤ 2·e (`boundedCloseness`).
 */
export interface Bounded {
  v: number;
  e: number;
}

/**
 * The rules, for operands a ± e_a, b ± e_b and a result r (unit = the backend's per-operation
 * error, `arithmeticUnit`; sqrt: its kernel error; tiny = the absolute error below the
 * normal range, F32_MIN_NORMAL where subnormals are flushed, else half the smallest subnormal):
 *  - a float32 input read back (exact): e = 0; a hyper-parameter (constant): e = |fl32(x) − x|,
 *    since an implementation may use x or its float32 value;
 *  - a ± b: e_a + e_b, plus one rounding of the result: unit·(|r| + propagated) + tiny;
 *  - a·b: |a|·e_b + |b|·e_a + e_a·e_b, plus one rounding;
 *  - a/b: (e_a + |a/b|·e_b)/(|b| − e_b) (unbounded when e_b ≥ |b|), plus one rounding;
 *  - √a: min(√e_a, e_a/√a), plus one rounding of the square-root kernel;
 *  - max, min and clamping are 1-Lipschitz in each argument and round nothing: the largest e;
 *  - a sum of N terms in any order (tfjs reduces in blocks, the fast engine in sequence):
 *    Σe_i + γ_{N−1}·Σ(|v_i| + e_i) + N·tiny (Higham's bound (4.4), which holds for every order).
 * These are first-order bounds with the e_a·e_b term kept; the comparison doubles them for the
 * higher-order terms they leave out.
 */
export interface BoundedArithmetic {
  exact(x: number): Bounded;
  constant(x: number): Bounded;
  add(a: Bounded, b: Bounded): Bounded;
  sub(a: Bounded, b: Bounded): Bounded;
  mul(a: Bounded, b: Bounded): Bounded;
  div(a: Bounded, b: Bounded): Bounded;
  sqrt(a: Bounded): Bounded;
  max(a: Bounded, b: Bounded): Bounded;
  clamp(a: Bounded, lo: Bounded, hi: Bounded): Bounded;
  sum(terms: Bounded[]): Bounded;
}

/**
 * The running-error arithmetic of a backend.
 *
 * @example
 * const ar = boundedArithmetic(toleranceFor("cpu"));
 * const r = ar.mul(ar.exact(3), ar.constant(0.1)); // { v: 0.3…, e: ≈ 5e-8 }
 */
export function boundedArithmetic(bt: BackendTolerance): BoundedArithmetic {
  const unit = arithmeticUnit(bt);
  const sqrtUnit = bt.kernelUlps * F32_U;
  const tiny = bt.flushesSubnormals ? F32_MIN_NORMAL : F32_MIN_SUBNORMAL / 2;
  const rounded = (v: number, propagated: number, u = unit): Bounded => ({ v, e: propagated + u * (Math.abs(v) + propagated) + tiny });
  return {
    exact: (x) => ({ v: x, e: 0 }),
    constant: (x) => ({ v: x, e: Math.abs(Math.fround(x) - x) }),
    add: (a, b) => rounded(a.v + b.v, a.e + b.e),
    sub: (a, b) => rounded(a.v - b.v, a.e + b.e),
    mul: (a, b) => rounded(a.v * b.v, Math.abs(a.v) * b.e + Math.abs(b.v) * a.e + a.e * b.e),
    div: (a, b) => {
      const v = a.v / b.v;
      return rounded(v, Math.abs(b.v) > b.e ? (a.e + Math.abs(v) * b.e) / (Math.abs(b.v) - b.e) : Infinity);
    },
    sqrt: (a) => {
      const v = Math.sqrt(a.v);
      return rounded(v, a.e === 0 ? 0 : Math.min(Math.sqrt(a.e), a.e / v), sqrtUnit);
    },
    max: (a, b) => ({ v: Math.max(a.v, b.v), e: Math.max(a.e, b.e) }),
    clamp: (a, lo, hi) => ({ v: Math.min(Math.max(a.v, lo.v), hi.v), e: Math.max(a.e, lo.e, hi.e) }),
    sum: (terms) => {
      let v = 0, e = 0, magnitude = 0;
      for (const t of terms) {
        v += t.v;
        e += t.e;
        magnitude += Math.abs(t.v) + t.e;
      }
      return { v, e: e + (terms.length > 1 ? gamma(terms.length - 1, unit) * magnitude : 0) + terms.length * tiny };
    },
  };
}

/**
 * Whether a float32 result r matches a bounded float64 reference: |r − v| ≤ 2·e (the factor
 * 2 covers the higher-order terms a first-order running bound leaves out). Non-finite values
 * only match themselves.
 *
 * @example
 * boundedCloseness({ v: 0.3, e: 1e-8 }); // { rtol: 0, atol: 2e-8 }
 */
export function boundedCloseness(ref: Bounded): Closeness {
  return { rtol: 0, atol: 2 * ref.e };
}

// ─── the population engine ──────────────────────────────────────────────────────────────

/**
 * Whether the population engine's batched step (src/population) gives, per replica, bitwise
 * the single-model autodiff engine's numbers on a backend. It issues per replica the same
 * float32 operations on the same values in the same order, with a leading replica axis; on cpu
 * tfjs evaluates a batched matMul or reduction per batch element with its 2-D loop, and on wasm
 * XNNPACK runs the 2-D kernel per batch element: measured bitwise on both (the population tests
 * hold them to it). A GPU picks its kernels by shape and may sum in another order: see
 * `reorderedGradientNorm`.
 *
 * @example
 * batchedEngineIsBitwise(toleranceFor("cpu")); // true
 */
export function batchedEngineIsBitwise(bt: BackendTolerance): boolean {
  return bt.backend === "cpu" || bt.backend === "wasm";
}

/**
 * Bound on ‖g_a − g_b‖₂ per gradient tensor when two engines compute one step's gradients from
 * the same parameters and batch with the same float32 operations, their sums possibly in
 * different orders (the batched engine against the single-model one on a GPU). A float32 sum or
 * dot product of K terms errs by ≤ γ_K·Σ|terms| in any order (Higham, "Accuracy and Stability of
 * Numerical Algorithms", §3.1), so two orders differ by twice that; back-propagation through L
 * layers chains L + 1 such sums (the loss's over classes, each layer's over fan-in, fan-out and
 * rows), each passing on the differences of the ones above it in proportion to the gradient's
 * size G (the global norm), with a factor 2 for the activations' derivatives (≤ λα ≈ 1.76)
 * and the softmax: ‖Δg‖ ≤ 2·2·(L + 1)·K·unit·G, unit per operation as `arithmeticUnit`. This is
 * the bound src/core/fast/dense-engine.test.ts holds the two core engines to (4·(L+1)·K·ε·G,
 * ε = 2u), with the backend's unit in place of u.
 *
 * @example
 * reorderedGradientNorm(toleranceFor("webgpu"), 3, 16, 1.5);
 */
export function reorderedGradientNorm(bt: BackendTolerance, depth: number, longestSum: number, globalNorm: number): number {
  return 8 * (depth + 1) * longestSum * arithmeticUnit(bt) * globalNorm;
}

/**
 * Bound on the difference of one batch's loss computed by two engines as in
 * `reorderedGradientNorm`: the forward pass chains L sums and the loss one more over the rows,
 * relative to the loss's size (its terms are O(1) per row: + 1).
 *
 * @example
 * reorderedLoss(toleranceFor("webgpu"), 3, 16, 2.3);
 */
export function reorderedLoss(bt: BackendTolerance, depth: number, longestSum: number, loss: number): number {
  return 8 * (depth + 2) * longestSum * arithmeticUnit(bt) * (Math.abs(loss) + 1);
}

/**
 * Bound on |θ'_a − θ'_b| for one parameter element after the FIRST optimizer step, when the
 * (clipped) gradient element the two engines apply differs by at most δ and the step starts from
 * the same θ:
 *  - SGD: θ' = θ − lr·g, so lr·δ; momentum: the velocity starts at 0, v = g, so lr·δ, and
 *    lr·(1 + μ)·δ with Nesterov (θ' = θ − lr·(g + μ·v));
 *  - Adam (t = 1): m = (1−β1)g, v = (1−β2)g², lr₁ = lr·√(1−β2)/(1−β1), so the step is
 *    f(g) = A·g/(B·|g| + ε) with A = lr·√(1−β2), B = √(1−β2); f'(g) = A·ε/(B|g| + ε)² is largest
 *    where |g| is smallest, so over [g − δ, g + δ]: δ·A·ε/(B·max(0, |g| − δ) + ε)²;
 *  - plus each engine's own roundings of the step's elementwise operations (≤ 8 relative to the
 *    step, one relative to θ'), twice: 2·unit·(8·|step| + |θ'|).
 * (Later steps are not bounded this way: Adam's division by √v amplifies a difference near
 * g = 0 without limit, so the population tests compare one step across orders of summation.)
 *
 * @example
 * firstStepDisplacement(toleranceFor("webgpu"), { name: "sgd", learningRate: 0.1 }, 0.5, 1e-6, 0.2);
 */
export function firstStepDisplacement(
  bt: BackendTolerance,
  optimizer: OptimizerSpec,
  g: number,
  delta: number,
  theta: number,
): number {
  const unit = arithmeticUnit(bt);
  let lipschitzPart: number, step: number;
  switch (optimizer.name) {
    case "sgd":
      lipschitzPart = optimizer.learningRate * delta;
      step = optimizer.learningRate * Math.abs(g);
      break;
    case "momentum": {
      const factor = optimizer.nesterov ? 1 + optimizer.momentum : 1;
      lipschitzPart = optimizer.learningRate * factor * delta;
      step = optimizer.learningRate * factor * Math.abs(g);
      break;
    }
    case "adam": {
      const B = Math.sqrt(1 - optimizer.beta2);
      const A = optimizer.learningRate * B;
      const e = optimizer.epsilon;
      lipschitzPart = (delta * A * e) / (B * Math.max(0, Math.abs(g) - delta) + e) ** 2;
      step = (A * Math.abs(g)) / (B * Math.abs(g) + e);
      break;
    }
  }
  return lipschitzPart + 2 * unit * (8 * step + Math.abs(theta));
}
