/**
 * Activation functions by name, as tfjs ops, and their derivatives written in terms of the
 * activation's OUTPUT h = f(z) (every activation here has one; the fast training path keeps
 * only h). σ' = h(1−h), tanh' = 1−h², relu' = [h>0], leakyRelu' = h>0 ? 1 : α,
 * elu' = h>0 ? 1 : h+α, selu' = h>0 ? λ : h+λα.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "./fault-points.ts";
import type { ActivationSpec } from "./model-spec.ts";

/** SELU constants from Klambauer et al. (2017), "Self-Normalizing Neural Networks". */
export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/**
 * Applies the activation to z.
 *
 * @example
 * const h = activate({ name: "sigmoid" }, tf.tensor1d([0])); // [0.5]
 */
export function activate(spec: ActivationSpec, z: tf.Tensor): tf.Tensor {
  switch (spec.name) {
    case "linear": return z;
    case "sigmoid": return fault("activations/sigmoid-as-linear") ? z : tf.sigmoid(z);
    case "tanh": return tf.tanh(z);
    case "relu": return fault("activations/relu-leaks") ? tf.leakyRelu(z, 0.1) : tf.relu(z);
    case "selu": return tf.selu(z);
    case "leakyRelu": return tf.leakyRelu(z, spec.alpha);
    case "elu":
      // tf.elu has α = 1 built in; other α: relu(z) + α·(e^min(z,0) − 1), differentiable by
      // tfjs everywhere (a tf.where on z > 0 is not: autodiff would reach the comparison).
      return spec.alpha === 1 ? tf.elu(z) : tf.add(tf.relu(z), tf.mul(spec.alpha, tf.expm1(tf.minimum(z, 0))));
  }
}

/**
 * f'(z) expressed through h = f(z).
 *
 * @example
 * derivativeFromOutput({ name: "sigmoid" }, tf.tensor1d([0.5])); // [0.25]
 */
export function derivativeFromOutput(spec: ActivationSpec, h: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    switch (spec.name) {
      case "linear": return tf.onesLike(h);
      case "sigmoid": return tf.mul(h, tf.sub(1, h));
      case "tanh": return tf.sub(1, tf.square(h));
      // step(h, α) = h > 0 ? 1 : α, one op.
      case "relu": return tf.step(h, 0);
      case "leakyRelu": return tf.step(h, spec.alpha);
      case "elu": return tf.where(tf.greater(h, 0), tf.onesLike(h), tf.add(h, spec.alpha));
      case "selu": return tf.where(tf.greater(h, 0), tf.fill(h.shape, SELU_LAMBDA), tf.add(h, SELU_LAMBDA * SELU_ALPHA));
    }
  });
}

/** A short label for people: "sigmoid", "leakyRelu(0.01)". */
export function activationLabel(spec: ActivationSpec): string {
  return "alpha" in spec ? `${spec.name}(${spec.alpha})` : spec.name;
}

/**
 * Host-side twin of `derivativeFromOutput` for the fast engine: multiplies dHᵀ ([n, m],
 * feature-major) in place by f'(h) with h = H[i, j] from the row-major [m, n] layer output;
 * rows of either may lie further apart than m and n (`dHTStride`, `hStride`: padded layouts).
 *
 * @example
 * multiplyByDerivative({ name: "sigmoid" }, dHT, H, m, n); // dHᵀ ⊙ (H(1−H))ᵀ
 */
export function multiplyByDerivative(spec: ActivationSpec, dHT: Float32Array, H: Float32Array, m: number, n: number, dHTStride = m, hStride = n): void {
  if (spec.name === "linear") return;
  const a = "alpha" in spec ? spec.alpha : 0;
  // Loop constants that planted fault points change (fault-points.ts); as they are, the
  // factors below are the derivatives in the header.
  const sigmoidOne = fault("activations/sigmoid-derivative-too-large") ? 1 + 2 ** -10 : 1;
  const tanhAbs = fault("activations/tanh-derivative-abs");
  const reluBelow = fault("activations/relu-derivative-one") ? 1 : 0;
  const [leakyAbove, leakyBelow] = fault("activations/leaky-relu-slopes-swapped") ? [a, 1] : [1, a];
  const eluKink = fault("activations/elu-derivative-both-sides") ? Infinity : 0;
  const seluBelow = fault("activations/selu-derivative-alpha-lost") ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA;
  // One loop per activation, chosen per row: a function per element would be a megamorphic
  // call once several activations have run (~3× slower).
  for (let j = 0; j < n; j++) {
    const row = j * dHTStride;
    switch (spec.name) {
      case "sigmoid":
        for (let i = 0; i < m; i++) {
          const h = H[i * hStride + j];
          dHT[row + i] *= h * (sigmoidOne - h);
        }
        break;
      case "tanh":
        for (let i = 0; i < m; i++) {
          const h = H[i * hStride + j];
          dHT[row + i] *= 1 - (tanhAbs ? Math.abs(h) : h * h);
        }
        break;
      case "relu":
        for (let i = 0; i < m; i++) dHT[row + i] *= H[i * hStride + j] > 0 ? 1 : reluBelow;
        break;
      case "leakyRelu":
        for (let i = 0; i < m; i++) dHT[row + i] *= H[i * hStride + j] > 0 ? leakyAbove : leakyBelow;
        break;
      case "elu":
        for (let i = 0; i < m; i++) {
          const h = H[i * hStride + j];
          dHT[row + i] *= h > eluKink ? 1 : h + a;
        }
        break;
      case "selu":
        for (let i = 0; i < m; i++) {
          const h = H[i * hStride + j];
          dHT[row + i] *= h > 0 ? SELU_LAMBDA : h + seluBelow;
        }
        break;
    }
  }
}
