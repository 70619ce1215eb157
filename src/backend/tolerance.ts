/**
 * How accurate each backend's kernels are, and how close it stays to cpu: a property of the
 * backend, stated once here and carried on its handle (`Backend.tolerance`). The property
 * suites derive every tolerance from these numbers (properties/tolerance.ts); the golden
 * comparisons use their own policy (src/golden/tolerance.ts).
 */
import type { BackendName } from "./names.ts";

/** float32's unit roundoff (2^-24): the largest relative error of one correctly rounded operation. */
const U = 2 ** -24;

/** An absolute and a relative tolerance: close when |actual − expected| ≤ atol + rtol·|expected|. */
export interface Closeness {
  rtol: number;
  atol: number;
}

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
  /**
   * whether subnormal inputs or results may be flushed to zero: a law then accepts, for a
   * subnormal x, the answer for x or for ±0 in its place (`mayFlush`, `flushed`), and a
   * subnormal result or 0 (`kernelCloseness`'s absolute floor). A property of the backend,
   * stated here once; laws never weaken themselves for subnormals on their own.
   */
  flushesSubnormals: boolean;
  /** whether +, −, ×, ÷ and sqrt are correctly rounded IEEE float32 (so x·1 and c/c are exact) */
  ieeeArithmetic: boolean;
  /** backend-agreement law: |x_backend − x_cpu| ≤ atol·scale + rtol·|x_cpu|, scale = max |x_cpu| of the tensor */
  agreement: Closeness;
  /** where the numbers come from */
  why: string;
}

/**
 * The per-backend tolerances. Measured on this project's machines (200,000 float32 inputs
 * spread over |x| ∈ [3e-3, 30], each kernel against its float64 value) and then given a
 * safety factor of 2–3; the measurements are quoted in `why`.
 *
 * @example
 * BACKEND_TOLERANCE.wasm.kernelUlps; // 8
 */
export const BACKEND_TOLERANCE: Record<BackendName, BackendTolerance> = {
  cpu: {
    backend: "cpu",
    kernelUlps: 1,
    kernelAbsUlps: 0,
    flushesSubnormals: false,
    ieeeArithmetic: true,
    agreement: { rtol: 0, atol: 0 },
    why: "tfjs-backend-cpu computes each kernel in float64 JavaScript and rounds once to float32 " +
      "(measured ≤ 0.50 ulp for sigmoid, tanh, elu, selu, log, sqrt, rsqrt); it is the reference, so it agrees with itself exactly",
  },
  wasm: {
    backend: "wasm",
    kernelUlps: 8,
    kernelAbsUlps: 4,
    flushesSubnormals: true,
    ieeeArithmetic: true,
    agreement: { rtol: 512 * U, atol: 512 * U },
    why: "XNNPACK's vectorized approximations: measured ≤ 2.0 ulp (tanh), 1.5 ulp (rsqrt) relative and ≤ 1.5·u absolute " +
      "(sigmoid 8.5e-8, selu 9.1e-8), sigmoid(−88) flushed to 0; agreement with cpu: worst case 111·u (a softmax-CE " +
      "gradient) over 1,500 backend-agreement cases, ×4.6",
  },
  webgpu: {
    backend: "webgpu",
    kernelUlps: 8,
    kernelAbsUlps: 16,
    flushesSubnormals: true,
    ieeeArithmetic: false,
    agreement: { rtol: 1024 * U, atol: 1024 * U },
    why: "WGSL's precision rules (division 2.5 ulp, transcendental functions absolute error); measured under Deno on " +
      "llvmpipe: rsqrt ≤ 1.5 ulp, absolute error ≤ 6·u (expm1 3.5e-7, log 1.6e-7 near 1); agreement with cpu: worst case " +
      "23·u over 60 cases on llvmpipe, set ×40 for hardware GPUs' faster approximations. Subnormals: WGSL lets any input " +
      "or output of a floating-point operation be flushed to zero, and the sign of a zero be ignored (W3C WGSL, " +
      "§ Floating Point Evaluation, 'Differences from IEEE-754': https://www.w3.org/TR/WGSL/#floating-point-evaluation); " +
      "NVIDIA's Vulkan driver does (H200: selu'(1.4e-45) = λα, clipByValue(−1.4e-45, −1.4e-45, 0) = −0), llvmpipe does not",
  },
  tensorflow: {
    backend: "tensorflow",
    kernelUlps: 8,
    kernelAbsUlps: 4,
    flushesSubnormals: true,
    ieeeArithmetic: true,
    agreement: { rtol: 512 * U, atol: 512 * U },
    why: "libtensorflow's Eigen kernels use vectorized approximations like XNNPACK's; not measured here " +
      "(the package is not installed), set to the wasm values",
  },
  "tensorflow-gpu": {
    backend: "tensorflow-gpu",
    kernelUlps: 8,
    kernelAbsUlps: 16,
    flushesSubnormals: true,
    ieeeArithmetic: false,
    agreement: { rtol: 1024 * U, atol: 1024 * U },
    why: "CUDA's fast-math transcendental functions and flush-to-zero; not measured here, set to the webgpu values",
  },
};

