/**
 * Activation functions by name. Each is one entry of ACTIVATIONS, holding every form gradlab
 * computes it in: the tfjs op, and its derivative written in terms of the activation's OUTPUT
 * h = f(z) (every activation here has one; the fast training path keeps only h) three ways,
 * side by side: as tfjs ops (E2 and E6 measure with it), as the fast engine's host loop, and
 * as the float64 factor its WebAssembly loop computes (fast/kernels/activation.ts builds the
 * loop around it; activation.test.ts checks it gives the host loop's bits).
 * σ' = h(1−h), tanh' = 1−h², relu' = [h>0], leakyRelu' = h>0 ? 1 : α,
 * elu' = h>0 ? 1 : h+α, selu' = h>0 ? λ : h+λα.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "./fault-points.ts";
import type { ActivationSpec } from "./model-spec.ts";
import { type Code, op } from "./wasm/encoding.ts";

/** SELU constants from Klambauer et al. (2017), "Self-Normalizing Neural Networks". */
export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

type Named<N extends ActivationSpec["name"]> = ActivationSpec & { name: N };

/** Every form of one activation. */
export interface Activation<S extends ActivationSpec = ActivationSpec> {
  /** f(z) as tfjs ops */
  apply(spec: S, z: tf.Tensor): tf.Tensor;
  /** f'(z) through h = f(z), as tfjs ops */
  derivative(spec: S, h: tf.Tensor): tf.Tensor;
  /**
   * dHᵀ ⊙ f'(H)ᵀ in place on the host: dHᵀ is [n, m] (feature-major), H the row-major [m, n]
   * layer output; float64 factor, one float32 rounding of the product. One loop per
   * activation: a function per element would be a megamorphic call once several activations
   * have run (several times slower). Null where f' = 1 (nothing to multiply).
   */
  hostLoop: ((spec: S, dHT: Float32Array, H: Float32Array, m: number, n: number) => void) | null;
  /**
   * The same factor f'(h) in WebAssembly, float64, from the local `h` and the parameters `a`, `b`
   * (`factorParams`); null where f' = 1.
   */
  wasmFactor: ((h: Code, a: Code, b: Code) => Code) | null;
  /** (a, b) for wasmFactor: α, or for SELU (λα, λ), as the host loop computes them. */
  factorParams(spec: S): [number, number];
}

const noParams = (): [number, number] => [0, 0];

/** The activations, by name: one entry each. */
export const ACTIVATIONS: { [N in ActivationSpec["name"]]: Activation<Named<N>> } = {
  linear: {
    apply: (_, z) => z,
    derivative: (_, h) => tf.onesLike(h),
    hostLoop: null,
    wasmFactor: null,
    factorParams: noParams,
  },
  sigmoid: {
    apply: (_, z) => (fault("activations/sigmoid-as-linear") ? z : tf.sigmoid(z)),
    derivative: (_, h) => tf.mul(h, tf.sub(1, h)),
    hostLoop(_, dHT, H, m, n) {
      // a loop constant a planted fault point changes (fault-points.ts)
      const one = fault("activations/sigmoid-derivative-too-large") ? 1 + 2 ** -10 : 1;
      for (let j = 0; j < n; j++) {
        for (let i = 0, row = j * m; i < m; i++) {
          const h = H[i * n + j];
          dHT[row + i] *= h * (one - h);
        }
      }
    },
    wasmFactor: (h) => [...h, ...op.f64Const(1), ...h, ...op.f64Sub, ...op.f64Mul],
    factorParams: noParams,
  },
  tanh: {
    apply: (_, z) => tf.tanh(z),
    derivative: (_, h) => tf.sub(1, tf.square(h)),
    hostLoop(_, dHT, H, m, n) {
      const abs = fault("activations/tanh-derivative-abs");
      for (let j = 0; j < n; j++) {
        for (let i = 0, row = j * m; i < m; i++) {
          const h = H[i * n + j];
          dHT[row + i] *= 1 - (abs ? Math.abs(h) : h * h);
        }
      }
    },
    wasmFactor: (h) => [...op.f64Const(1), ...h, ...h, ...op.f64Mul, ...op.f64Sub],
    factorParams: noParams,
  },
  relu: {
    apply: (_, z) => (fault("activations/relu-leaks") ? tf.leakyRelu(z, 0.1) : tf.relu(z)),
    // step(h, α) = h > 0 ? 1 : α, one op.
    derivative: (_, h) => tf.step(h, 0),
    hostLoop(_, dHT, H, m, n) {
      const below = fault("activations/relu-derivative-one") ? 1 : 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0, row = j * m; i < m; i++) dHT[row + i] *= H[i * n + j] > 0 ? 1 : below;
      }
    },
    // [h > 0] as 0 or 1 from the comparison itself: a select compiles to a branch, mispredicted on random signs
    wasmFactor: (h) => [...h, ...op.f64Const(0), ...op.f64Gt, ...op.f64ConvertI32U],
    factorParams: noParams,
  },
  leakyRelu: {
    apply: (spec, z) => tf.leakyRelu(z, spec.alpha),
    derivative: (spec, h) => tf.step(h, spec.alpha),
    hostLoop(spec, dHT, H, m, n) {
      const [above, below] = fault("activations/leaky-relu-slopes-swapped") ? [spec.alpha, 1] : [1, spec.alpha];
      for (let j = 0; j < n; j++) {
        for (let i = 0, row = j * m; i < m; i++) dHT[row + i] *= H[i * n + j] > 0 ? above : below;
      }
    },
    wasmFactor: (h, a) => [...op.f64Const(1), ...a, ...h, ...op.f64Const(0), ...op.f64Gt, ...op.select],
    factorParams: (spec) => [spec.alpha, 0],
  },
  elu: {
    // tf.elu has α = 1 built in; other α: relu(z) + α·(e^min(z,0) − 1), differentiable by
    // tfjs everywhere (a tf.where on z > 0 is not: autodiff would reach the comparison).
    apply: (spec, z) => (spec.alpha === 1 ? tf.elu(z) : tf.add(tf.relu(z), tf.mul(spec.alpha, tf.expm1(tf.minimum(z, 0))))),
    derivative: (spec, h) => tf.where(tf.greater(h, 0), tf.onesLike(h), tf.add(h, spec.alpha)),
    hostLoop(spec, dHT, H, m, n) {
      const a = spec.alpha;
      const kink = fault("activations/elu-derivative-both-sides") ? Infinity : 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0, row = j * m; i < m; i++) {
          const h = H[i * n + j];
          dHT[row + i] *= h > kink ? 1 : h + a;
        }
      }
    },
    wasmFactor: (h, a) => [...op.f64Const(1), ...h, ...a, ...op.f64Add, ...h, ...op.f64Const(0), ...op.f64Gt, ...op.select],
    factorParams: (spec) => [spec.alpha, 0],
  },
  selu: {
    apply: (_, z) => tf.selu(z),
    derivative: (_, h) => tf.where(tf.greater(h, 0), tf.fill(h.shape, SELU_LAMBDA), tf.add(h, SELU_LAMBDA * SELU_ALPHA)),
    hostLoop(_, dHT, H, m, n) {
      const below = fault("activations/selu-derivative-alpha-lost") ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA;
      for (let j = 0; j < n; j++) {
        for (let i = 0, row = j * m; i < m; i++) {
          const h = H[i * n + j];
          dHT[row + i] *= h > 0 ? SELU_LAMBDA : h + below;
        }
      }
    },
    wasmFactor: (h, a, b) => [...b, ...h, ...a, ...op.f64Add, ...h, ...op.f64Const(0), ...op.f64Gt, ...op.select],
    factorParams: () => [SELU_LAMBDA * SELU_ALPHA, SELU_LAMBDA],
  },
};

/** The entry of `spec`'s activation. */
function entry(spec: ActivationSpec): Activation {
  return ACTIVATIONS[spec.name] as Activation;
}

/**
 * Applies the activation to z.
 *
 * @example
 * const h = activate({ name: "sigmoid" }, tf.tensor1d([0])); // [0.5]
 */
export function activate(spec: ActivationSpec, z: tf.Tensor): tf.Tensor {
  return entry(spec).apply(spec, z);
}

/**
 * f'(z) expressed through h = f(z).
 *
 * @example
 * derivativeFromOutput({ name: "sigmoid" }, tf.tensor1d([0.5])); // [0.25]
 */
export function derivativeFromOutput(spec: ActivationSpec, h: tf.Tensor): tf.Tensor {
  return tf.tidy(() => entry(spec).derivative(spec, h));
}

/** A short label for people: "sigmoid", "leakyRelu(0.01)". */
export function activationLabel(spec: ActivationSpec): string {
  return "alpha" in spec ? `${spec.name}(${spec.alpha})` : spec.name;
}

/**
 * The fast engine's host loop (the tfjs pass): multiplies dHᵀ ([n, m], feature-major) in place
 * by f'(h) with h = H[i, j] from the row-major [m, n] layer output.
 *
 * @example
 * multiplyByDerivative({ name: "sigmoid" }, dHT, H, m, n); // dHᵀ ⊙ (H(1−H))ᵀ
 */
export function multiplyByDerivative(spec: ActivationSpec, dHT: Float32Array, H: Float32Array, m: number, n: number): void {
  entry(spec).hostLoop?.(spec, dHT, H, m, n);
}
