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
import type { BackendName } from "../src/backend/mod.ts";
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

/** How accurate one backend's kernels are, and how close it stays to `cpu`. */
export interface BackendTolerance {
  backend: BackendName;
  /** relative error of one elementwise kernel (arithmetic or transcendental), in units of u */
  kernelUlps: number;
  /**
   * absolute error floor of the transcendental kernels (exp, expm1, log, sigmoid, tanh, elu,
   * selu) for results of magnitude ≤ 2, in units of u: polynomial approximations err by an
   * absolute amount near zero and in the tails, where relative error is unbounded
   */
  kernelAbsUlps: number;
  /** whether subnormal inputs or results may be flushed to zero */
  flushesSubnormals: boolean;
  /** backend-agreement law: |x_backend − x_cpu| ≤ atol·scale + rtol·|x_cpu|, scale = max |x_cpu| of the tensor */
  agreement: Closeness;
  /** where the numbers come from */
  why: string;
}

/**
 * The per-backend tolerances. Measured on this project's machines (200,000 float32 inputs
 * spread over |x| ∈ [3e-3, 30], each kernel against its float64 value) and then given a
 * safety factor of 2–3; the measurements are quoted in `why`.
 */
export const BACKEND_TOLERANCE: Record<BackendName, BackendTolerance> = {
  cpu: {
    backend: "cpu",
    kernelUlps: 1,
    kernelAbsUlps: 0,
    flushesSubnormals: false,
    agreement: { rtol: 0, atol: 0 },
    why: "tfjs-backend-cpu computes each kernel in float64 JavaScript and rounds once to float32 " +
      "(measured ≤ 0.50 ulp for sigmoid, tanh, elu, selu, log, sqrt, rsqrt); it is the reference, so it agrees with itself exactly",
  },
  wasm: {
    backend: "wasm",
    kernelUlps: 8,
    kernelAbsUlps: 4,
    flushesSubnormals: true,
    agreement: { rtol: 64 * F32_U, atol: 64 * F32_U },
    why: "XNNPACK's vectorized approximations: measured ≤ 2.0 ulp (tanh), 1.5 ulp (rsqrt) relative and ≤ 1.5·u absolute " +
      "(sigmoid 8.5e-8, selu 9.1e-8), sigmoid(−88) flushed to 0; agreement with cpu from the backend-agreement law's " +
      "measured worst case (see properties/backend-agreement.ts), ×4",
  },
  webgpu: {
    backend: "webgpu",
    kernelUlps: 8,
    kernelAbsUlps: 16,
    flushesSubnormals: true,
    agreement: { rtol: 256 * F32_U, atol: 256 * F32_U },
    why: "WGSL's precision rules (division 2.5 ulp, transcendental functions absolute error); measured under Deno on " +
      "llvmpipe: rsqrt ≤ 1.5 ulp, absolute error ≤ 6·u (expm1 3.5e-7, log 1.6e-7 near 1); GPUs flush subnormals",
  },
  tensorflow: {
    backend: "tensorflow",
    kernelUlps: 8,
    kernelAbsUlps: 4,
    flushesSubnormals: true,
    agreement: { rtol: 64 * F32_U, atol: 64 * F32_U },
    why: "libtensorflow's Eigen kernels use vectorized approximations like XNNPACK's; not measured here " +
      "(the package is not installed), set to the wasm values",
  },
  "tensorflow-gpu": {
    backend: "tensorflow-gpu",
    kernelUlps: 8,
    kernelAbsUlps: 16,
    flushesSubnormals: true,
    agreement: { rtol: 256 * F32_U, atol: 256 * F32_U },
    why: "CUDA's fast-math transcendental functions and flush-to-zero; not measured here, set to the webgpu values",
  },
};

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
 * Relative error of a product of L float32 factors computed by L chained multiplications
 * (the input gradient of a chain of 1×1 linear layers): γ_L per the backend's unit.
 *
 * @example
 * productRtol(365, toleranceFor("cpu")); // ≈ 2.2e-5
 */
export function productRtol(depth: number, bt: BackendTolerance): number {
  return gamma(depth + 1, bt.kernelUlps * F32_U);
}
