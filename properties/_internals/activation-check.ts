/**
 * The machinery of the activation-derivative laws: evaluate f and f' (by tf.grad) on the
 * active backend for a batch of float32 inputs, form central differences of f, and compare
 * each against the float64 truth with a per-element tolerance; and the same derivatives as
 * the fast engine computes them from f's output (its host loop and its kernel module).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type ActivationSpec, derivativeFromOutput, kernelMultiplyByDerivative, multiplyByDerivative } from "../../src/core/mod.ts";
import { F32_MIN_NORMAL, F32_U } from "../tolerance.ts";
import { type Closeness, expectClose, fmt, isClose } from "./close.ts";
import { expect } from "./expect.ts";

/** An activation implementation under test (the core's `activate`, or a planted fault). */
export type Activate = (spec: ActivationSpec, z: tf.Tensor) => tf.Tensor;

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
  const yt = activate(spec, t);
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
  valueError: (y: number) => number,
  maxThirdDerivative: number,
  what: string,
  skip: (i: number) => boolean = () => false,
): void {
  for (let i = 0; i < cd.fd.length; i++) {
    const defined = cd.step[i] > 0 && Number.isFinite(cd.step[i]) && Number.isFinite(cd.yPlus[i]) && Number.isFinite(cd.yMinus[i]);
    if (!defined || skip(i)) continue;
    const rounding = (valueError(cd.yPlus[i]) + valueError(cd.yMinus[i])) / cd.step[i];
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
