/**
 * The machinery of the activation-derivative laws: evaluate f and f' (by tf.grad) on the
 * active backend for a batch of float32 inputs, form central differences of f, and compare
 * each against the float64 truth with a per-element tolerance; and the same derivatives as
 * the fast engine computes them from f's output (its host loop and its kernel module).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type ActivationSpec, derivativeFromOutput, kernelMultiplyByDerivative, multiplyByDerivative } from "../../src/core/mod.ts";
import {
  type BackendTolerance, F32_EPS, F32_MAX, F32_MIN_NORMAL, F32_U, finiteDifferenceStep, implementationCloseness, kernelCloseness,
} from "../tolerance.ts";
import * as fc from "fast-check";
import { defineLaw, type Law } from "../law.ts";
import { type Closeness, expectClose, fmt, isClose } from "./close.ts";
import { finiteFloat32 } from "./arbitraries.ts";
import { expect } from "./expect.ts";

import type { Activate } from "../implementations.ts";

/** f(x) and f'(x) for every input, as float32 values read back from the backend. */
export interface Evaluated {
  x: Float32Array;
  y: Float32Array;
  d: Float32Array;
}

/**
 * Evaluates f and its derivative (tf.grad) on the active backend.
 *
 * @example
 * const { y, d } = await evaluateActivation(activate, { name: "sigmoid" }, [0, 1]);
 */
export async function evaluateActivation(activate: Activate, spec: ActivationSpec, xs: ArrayLike<number>): Promise<Evaluated> {
  const x = tf.tensor1d(Float32Array.from(xs));
  const [y, d] = tf.tidy(() => [activate(spec, x), tf.grad((t: tf.Tensor) => activate(spec, t))(x)]);
  const result = { x: (await x.data()) as Float32Array, y: (await y.data()) as Float32Array, d: (await d.data()) as Float32Array };
  tf.dispose([x, y, d]);
  return result;
}

/** Central differences of f on the backend: for each x, the representable x± = fl(x ± h). */
export interface CentralDifferences {
  /** (x⁺ + x⁻)/2, exact in float64: the point the difference is centred on */
  mid: Float64Array;
  /** x⁺ − x⁻, exact in float64 (0 when h is below half an ulp of x) */
  step: Float64Array;
  /** (f(x⁺) − f(x⁻)) / (x⁺ − x⁻) */
  fd: Float64Array;
  yPlus: Float32Array;
  yMinus: Float32Array;
}

/**
 * Forms central differences with step h(x), evaluating f once on the backend for all points.
 *
 * @example
 * const cd = await centralDifferences(activate, { name: "tanh" }, xs, () => 2 ** -8);
 */
export async function centralDifferences(
  activate: Activate,
  spec: ActivationSpec,
  xs: ArrayLike<number>,
  h: (x: number) => number,
): Promise<CentralDifferences> {
  const n = xs.length;
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    points[i] = xs[i] + h(xs[i]);
    points[n + i] = xs[i] - h(xs[i]);
  }
  const t = tf.tensor1d(points);
  const yt = tf.tidy(() => activate(spec, t));
  const y = (await yt.data()) as Float32Array;
  tf.dispose([t, yt]);
  const mid = new Float64Array(n), step = new Float64Array(n), fd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    step[i] = points[i] - points[n + i];
    mid[i] = (points[i] + points[n + i]) / 2;
    fd[i] = step[i] > 0 ? (y[i] - y[n + i]) / step[i] : NaN;
  }
  return { mid, step, fd, yPlus: y.slice(0, n), yMinus: y.slice(n) };
}

/**
 * Checks that the backend's f'(x) equals the float64 derivative within a per-element tolerance.
 *
 * @example
 * expectDerivative(ev, (x) => sigmoidPrime(x), (i) => closeness(ev.y[i]), "σ'");
 */
export function expectDerivative(ev: Evaluated, reference: (x: number) => number, tol: (i: number) => Closeness, what: string): void {
  const expected = Array.from(ev.x, reference);
  expectClose(ev.d, expected, tol, `${what} at x = [${Array.from(ev.x, fmt).join(", ")}]; element`);
}

/**
 * Checks each central difference against the float64 derivative at its centre. The error of
 * a central difference is at most rounding + truncation:
 *   (e(f(x⁺)) + e(f(x⁻)))/(x⁺ − x⁻) + ((x⁺ − x⁻)/2)²/6 · max|f'''|,
 * where e(·) is the backend's error bound on one value of f (Taylor's theorem with the
 * Lagrange remainder). Points whose step vanished or overflowed (x ± h beyond the float32
 * range), where f itself overflowed (selu beyond F32_MAX/λ), or which `skip` excludes (a kink
 * inside the interval) are not checked.
 *
 * @example
 * expectFiniteDifferences(cd, sigmoidPrime, (y) => e(y), 1 / 8, "σ'");
 */
export function expectFiniteDifferences(
  cd: CentralDifferences,
  reference: (x: number) => number,
  valueError: (y: number, i: number) => number,
  maxThirdDerivative: number,
  what: string,
  skip: (i: number) => boolean = () => false,
): void {
  for (let i = 0; i < cd.fd.length; i++) {
    const defined = cd.step[i] > 0 && Number.isFinite(cd.step[i]) && Number.isFinite(cd.yPlus[i]) && Number.isFinite(cd.yMinus[i]);
    if (!defined || skip(i)) continue;
    const rounding = (valueError(cd.yPlus[i], i) + valueError(cd.yMinus[i], i)) / cd.step[i];
    const truncation = ((cd.step[i] / 2) ** 2 / 6) * maxThirdDerivative;
    const expected = reference(cd.mid[i]);
    const allowed = rounding + truncation;
    expect(
      isClose(cd.fd[i], expected, { rtol: 0, atol: allowed }),
      () => `central difference of ${what} at ${fmt(cd.mid[i])} (step ${fmt(cd.step[i])}): ${fmt(cd.fd[i])}, ` +
        `expected ${fmt(expected)} (|diff| ${fmt(Math.abs(cd.fd[i] - expected))} > rounding ${fmt(rounding)} + truncation ${fmt(truncation)})`,
    );
  }
}

/**
 * The derivative from the output on the same points: dHᵀ ⊙ f'(H)ᵀ from the backend's outputs
 * H = f(x) (`ev.y`), by the fast engine's host loop (activations.ts `multiplyByDerivative`,
 * the tfjs pass) and kernel module (the kernel pass), with upstream gradients ±[1, 2); the
 * points are laid out as an [m, n] matrix (n = 3, 2 or 1) so the transposed indexing is
 * exercised. Also the tensor form, `derivativeFromOutput` on the backend (E2 and E6 measure
 * with it), times the same upstream values. Results are in the order of `ev.x`.
 *
 * @example
 * const fast = await fastEngineDerivatives({ name: "tanh" }, ev);
 */
export async function fastEngineDerivatives(
  spec: ActivationSpec,
  ev: Evaluated,
): Promise<{ upstream: Float64Array; host: Float32Array; kernel: Float32Array; tensor: Float64Array }> {
  const count = ev.x.length;
  const n = [3, 2, 1].find((k) => count % k === 0)!;
  const m = count / n;
  const upstream = Float64Array.from({ length: count }, (_, i) => Math.fround((i % 2 === 0 ? 1 : -1) * (1 + i / count)));
  const dHT = new Float32Array(count);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) dHT[j * m + i] = upstream[i * n + j];
  const onHost = dHT.slice();
  multiplyByDerivative(spec, onHost, ev.y, m, n);
  const inKernel = dHT.slice();
  kernelMultiplyByDerivative(spec, inKernel, ev.y, m, n);
  const inOrder = (t: Float32Array) => Float32Array.from({ length: count }, (_, k) => t[(k % n) * m + Math.floor(k / n)]);
  const ht = tf.tensor1d(ev.y);
  const factor = derivativeFromOutput(spec, ht);
  const factors = (await factor.data()) as Float32Array;
  tf.dispose([ht, factor]);
  return { upstream, host: inOrder(onHost), kernel: inOrder(inKernel), tensor: upstream.map((u, i) => u * factors[i]) };
}

/**
 * Checks the derivative from the output (fast engine's host loop and kernel module, the
 * tensor form) against upstream·f'₆₄(x): the factor
 * within `tol(i)` (the derivative from the output's tolerance), times the upstream value, plus
 * one rounding of the product (and the smallest normal where the backend flushes subnormals).
 * `reference(i)` is f' at point i as the fast engine must see it (the left derivative where
 * the backend flushed f(x) for a tiny x > 0 to 0).
 *
 * @example
 * await expectFastDerivatives(spec, ev, (i) => sigmoidPrime64(ev.x[i]), (i) => closeness(ev.y[i]), "σ'", bt.flushesSubnormals);
 */
export async function expectFastDerivatives(
  spec: ActivationSpec,
  ev: Evaluated,
  reference: (i: number) => number,
  tol: (i: number) => Closeness,
  what: string,
  flushesSubnormals: boolean,
): Promise<void> {
  const fast = await fastEngineDerivatives(spec, ev);
  const expected = Array.from(ev.x, (_, i) => fast.upstream[i] * reference(i));
  const allowed = (i: number): Closeness => {
    const t = tol(i), d = Math.abs(fast.upstream[i]);
    return { rtol: 0, atol: d * (t.atol + t.rtol * Math.abs(reference(i))) + F32_U * Math.abs(expected[i]) + (flushesSubnormals ? F32_MIN_NORMAL : 0) };
  };
  for (const [path, got] of [["the fast engine's host loop", fast.host], ["the fast engine's kernel module", fast.kernel], ["derivativeFromOutput", fast.tensor]] as const) {
    expectClose(got, expected, allowed, `${what} from the output (${path}) at x = [${Array.from(ev.x, fmt).join(", ")}]; upstream × f', element`);
  }
}

/**
 * An activation as a law knows it in float64, to check any implementation of it against:
 * smooth (σ, tanh) or smooth on each side of a kink at 0 (relu, leaky ReLU, elu, selu).
 */
export interface ActivationTruth {
  spec: ActivationSpec;
  /** its symbol in messages: "σ" */
  symbol: string;
  value64(x: number): number;
  /** f′(x) for x ≠ 0; at a kink, see `kink` */
  derivative64(x: number): number;
  /**
   * max(κ_f(x), κ_f′(x)), the relative condition numbers |x·f′/f| and |x·f″/f′| (0 where f or
   * f′ is 0 on a whole side: relu below 0): tf.grad's f′ is built from the forward pass's
   * intermediate values, so it inherits f's conditioning too
   */
  condition(x: number): number;
  /**
   * |f″(x)/f′(x)| = |∂f′/∂y|: how much f′ moves per unit error in the output y = f(x), for an
   * implementation that forms f′ from its rounded output (tfjs's own gradients do: σ′ = y(1 − y))
   */
  curvature(x: number): number;
  /**
   * The size of an intermediate value every evaluation of f(x) through tfjs's kernels must
   * round (`implementationCloseness`'s floor): e^x for elu below 0, whose e^x − 1 is formed
   * from e^x for lack of an expm1 kernel; absent (0) where f has a backward-stable chain. It
   * widens the error allowed on f; on f′ only through the |f″/f′|·e_f term (an f′ formed from
   * the rounded output inherits its error), never as a floor of its own: a derivative's
   * relative accuracy is what tells a vanishing gradient from a dead one.
   */
  floor?(x: number): number;
  /** max |f‴| away from a kink, for the truncation error of a central difference */
  maxThirdDerivative: number;
  /**
   * A kink at 0, where f′ (relu, leaky ReLU, selu) or f″ (elu) jumps: f′'s one-sided limits
   * there. f′(0) is a convention, not a fact of f: tfjs's relu says 0, the gradient of
   * `tf.maximum(x, 0)` says 1, PyTorch says 0. Any value in [f′(0⁻), f′(0⁺)] — a subgradient,
   * the Clarke derivative of f at 0 — is what a correct implementation may return, so the law
   * accepts exactly those (within the derivative's rounding) at ±0 and at a subnormal x: there
   * α·x rounds with an absolute error as large as x itself (gradual underflow; a backend may
   * flush it to 0), so float32 cannot keep the two sides apart — `tf.maximum(x, α·x)` at
   * x = −2⁻¹⁴⁹ with α > 1/2 compares x with itself and takes the side of 1. A central
   * difference across 0 is not checked.
   */
  kink?: { left: number; right: number };
}

/**
 * κ of the exponential side of elu and selu (f ∝ e^x − 1, f′ ∝ e^x, f″ = f′ for x < 0):
 * κ_f = |x·e^x / (e^x − 1)| (→ 1 at 0), κ_f′ = |x|; above 0 f ∝ x: κ = 1.
 *
 * @example
 * expSideCondition(-2); // 2
 */
export function expSideCondition(x: number): number {
  if (x >= 0) return 1;
  return Math.max(Math.abs((x * Math.exp(x)) / Math.expm1(x)), -x);
}

/** Runs `fn` (in a tidy) under tf.profile: the number of kernels it ran and its result read back. */
async function profiled(fn: () => tf.Tensor): Promise<{ kernels: number; values: Float32Array }> {
  const info = await tf.profile(() => tf.tidy(fn));
  const result = info.result as tf.Tensor;
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return { kernels: info.kernels.length, values };
}

/**
 * The law for an implementation other than the core's: f(x), tf.grad's f′(x) and a central
 * difference of f agree with the float64 f and f′, each within the error the implementation's
 * own float32 evaluation may make (`implementationCloseness`: its kernels, counted with
 * tf.profile, the backend's error per kernel, and the condition number of f and f′ at x).
 * The core-specific identities (f′ from f's output, as tfjs's gradient kernels and the fast
 * engine compute it) are not required of it: they describe one implementation, not f.
 *
 * @example
 * await expectImplementation(mySigmoid, SIGMOID_64, toleranceFor("cpu"), [0, 1e-8, 88.7]);
 */
export async function expectImplementation(activate: Activate, f: ActivationTruth, bt: BackendTolerance, xs: ArrayLike<number>): Promise<void> {
  const x = tf.tensor1d(Float32Array.from(xs));
  try {
    const forward = await profiled(() => activate(f.spec, x));
    const backward = await profiled(() => tf.grad((t: tf.Tensor) => activate(f.spec, t))(x));
    const points = (await x.data()) as Float32Array;
    const at = `x = [${Array.from(points, fmt).join(", ")}]`;
    const condition = (i: number) => f.condition(points[i]);
    const floor = (x: number) => f.floor?.(x) ?? 0;
    const valueCloseness = (i: number) => implementationCloseness(bt, forward.kernels, condition(i), floor(points[i]));
    // where f(x) lies within its error of float32's largest value (selu beyond F32_MAX/λ), an
    // infinity of its sign is the rounded result
    const expectedValue = (x: number, i: number) => {
      const v = f.value64(x), got = forward.values[i], c = valueCloseness(i);
      const mayOverflow = Math.abs(v) * (1 + c.rtol) + c.atol >= F32_MAX && got === Math.sign(v) * Infinity;
      return mayOverflow ? got : v;
    };
    expectClose(forward.values, Array.from(points, expectedValue), valueCloseness,
      `${f.symbol}(x), ${forward.kernels} kernels, at ${at}; element`);
    const valueBound = (i: number) => {
      const c = valueCloseness(i);
      return c.atol + c.rtol * Math.abs(f.value64(points[i]));
    };
    const derivativeCloseness = (i: number) => {
      const c = implementationCloseness(bt, backward.kernels, condition(i));
      return { rtol: c.rtol, atol: c.atol + f.curvature(points[i]) * valueBound(i) };
    };
    const kink = f.kink;
    const atKink = (i: number) => kink !== undefined && Math.abs(points[i]) < F32_MIN_NORMAL;
    // at the kink, the subgradient nearest to the computed value: any of [f′(0⁻), f′(0⁺)] is
    // right, and a NaN is none of them (clamping it would give back the NaN, which matches itself)
    const [lo, hi] = kink ? [Math.min(kink.left, kink.right), Math.max(kink.left, kink.right)] : [0, 0];
    const nearestSubgradient = (d: number) => (Number.isNaN(d) ? lo : Math.min(Math.max(d, lo), hi));
    const expected = Array.from(points, (x, i) => (atKink(i) ? nearestSubgradient(backward.values[i]) : f.derivative64(x)));
    expectClose(backward.values, expected, derivativeCloseness,
      `tf.grad's ${f.symbol}′(x), ${backward.kernels} kernels, at ${at}` + (kink ? ` (at 0, any value in [${fmt(lo)}, ${fmt(hi)}])` : "") + "; element");
    const cd = await centralDifferences(activate, f.spec, points, finiteDifferenceStep);
    const valueError = (y: number, i: number) => {
      const kappa = Math.max(f.condition(cd.mid[i] - cd.step[i] / 2), f.condition(cd.mid[i] + cd.step[i] / 2));
      const c = implementationCloseness(bt, forward.kernels, kappa, Math.max(floor(cd.mid[i] - cd.step[i] / 2), floor(cd.mid[i] + cd.step[i] / 2)));
      return c.atol + c.rtol * Math.abs(y);
    };
    const acrossKink = (i: number) => kink !== undefined && cd.mid[i] - cd.step[i] / 2 < 0 && cd.mid[i] + cd.step[i] / 2 > 0;
    expectFiniteDifferences(cd, f.derivative64, valueError, f.maxThirdDerivative, f.symbol, acrossKink);
  } finally {
    x.dispose();
  }
}

/**
 * An activation law for an implementation other than the core's (`expectImplementation` on
 * every finite float32 x, its negation and ±0); the kernel counts are stated in a failure.
 * `family` draws the activation from a family (leaky ReLU over α: its parameter is what a
 * counterexample shows); `f`, one member, names it in the statement and tolerance.
 *
 * @example
 * const law = implementationLaw(mySigmoid, SIGMOID_64, "sigmoid-derivative");
 */
export function implementationLaw(
  activate: Activate,
  f: ActivationTruth,
  name: string,
  family?: { parameter: fc.Arbitrary<number>; member: (parameter: number) => ActivationTruth },
): Law {
  const s = f.symbol;
  return defineLaw({
    name,
    group: "activations",
    statement: `For every finite float32 x, this implementation's ${s}(x), tf.grad's ${s}′(x) and a central difference of ${s} agree ` +
      `with the float64 ${s} and ${s}′ within the error its own float32 evaluation may make` +
      (f.kink ? `; at the kink x = 0, ${s}′(0) may be any value between the one-sided derivatives.` : "."),
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "|f̂ − f| ≤ e_f = n_f·(kernelUlps·u·((1 + κ(x))·|f| + floor(x)) + atol) and |f̂′ − f′| ≤ n_d·(kernelUlps·u·(1 + κ(x))·|f′| + atol) + " +
        "|f″/f′|·e_f, n_f and n_d the kernels tf.profile counts for f and for tf.grad's f′ (stated in a failure), κ = max(κ_f, κ_f′) " +
        "the relative condition numbers |x·f′/f|, |x·f″/f′| at x, |f″/f′|·e_f the error of f′ formed from a rounded output; central " +
        "difference with step ∛ε·max(1,|x|) within e_f rounding + truncation" +
        (f.floor ? "; floor(x) the size of the value e^x that e^x − 1 is formed from for lack of an expm1 kernel (on f, not f′)" : "") +
        (f.kink ? "; f′(0) within that error of [f′(0⁻), f′(0⁺)], no central difference across 0" : ""),
      values: { u: F32_U, kernelUlps: bt.kernelUlps, atol: kernelCloseness(bt).atol, fdStep: Math.cbrt(F32_EPS), maxThirdDerivative: f.maxThirdDerivative },
    }),
    property: ({ tolerance: bt }) => {
      const xs = fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 });
      const check = (member: ActivationTruth, xs: number[]) => expectImplementation(activate, member, bt, [...xs, ...xs.map((x) => -x), 0, -0]);
      return family
        ? fc.asyncProperty(family.parameter, xs, (parameter, xs) => check(family.member(parameter), xs))
        : fc.asyncProperty(xs, (xs) => check(f, xs));
    },
  });
}
