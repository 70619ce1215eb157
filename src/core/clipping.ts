/**
 * Gradient clipping, as in TF's clip_by_value / clip_by_norm / clip_by_global_norm.
 *
 * Global norm G = √(Σ‖gᵢ‖²). If G ≤ c every tensor is returned unchanged (scaled by c/c = 1,
 * exact in IEEE arithmetic); otherwise every tensor is scaled by the same factor c/G, so the
 * new global norm is c and each tensor keeps its direction.
 * Non-finite input: if G is NaN or ±Inf (some gradient holds NaN or Inf), every returned
 * tensor is all NaN — TF's documented behaviour — so the problem cannot pass silently; the
 * training loop stops on it before clipping and names the tensor.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "./fault-points.ts";

/**
 * √(Σ‖gᵢ‖²) over a list of tensors.
 *
 * @example
 * globalNorm([tf.tensor1d([3]), tf.tensor1d([4])]); // 5
 */
export function globalNorm(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar);
}

/**
 * Scales every tensor by c / max(G, c); returns the clipped list and G.
 *
 * @example
 * const { clipped, norm } = clipByGlobalNorm(grads, 15);
 */
export function clipByGlobalNorm(tensors: tf.Tensor[], maxNorm: number): { clipped: tf.Tensor[]; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  return tf.tidy(() => {
    const norm = globalNorm(tensors);
    const finite = tf.isFinite(norm);
    const scale = tf.where(finite, tf.div(maxNorm, tf.maximum(norm, maxNorm)), tf.scalar(fault("clipping/non-finite-to-zero") ? 0 : NaN));
    return { clipped: tensors.map((t, i) => (fault("clipping/global-norm-skips-last") && i === tensors.length - 1 ? tf.clone(t) : tf.mul(t, scale))), norm };
  });
}

/**
 * Scales one tensor to norm c when its L2 norm exceeds c (TF's clip_by_norm).
 *
 * @example
 * clipByNorm(tf.tensor1d([30, 40]), 15); // [9, 12]
 */
export function clipByNorm(t: tf.Tensor, maxNorm: number): tf.Tensor {
  if (!(maxNorm > 0)) throw new Error(`clipByNorm: maxNorm must be > 0, got ${maxNorm}`);
  return tf.tidy(() => {
    const sumOfSquares = tf.sum(tf.square(t));
    const norm = fault("clipping/norm-squared") ? sumOfSquares : tf.sqrt(sumOfSquares);
    const scale = tf.where(tf.isFinite(norm), tf.div(maxNorm, tf.maximum(norm, maxNorm)), tf.scalar(NaN));
    return tf.mul(t, scale);
  });
}

/**
 * Elementwise clamp to [min, max] (TF's clip_by_value). A NaN stays NaN on every backend
 * (tfjs's clamp keeps it on cpu but XNNPACK's turns it into `min` on wasm).
 *
 * @example
 * clipByValue(tf.range(0, 10), 2, 8); // [2,2,2,3,4,5,6,7,8,8]
 */
export function clipByValue(t: tf.Tensor, min: number, max: number): tf.Tensor {
  if (!(min <= max)) throw new Error(`clipByValue: min must be ≤ max, got [${min}, ${max}]`);
  return tf.tidy(() => tf.where(tf.isNaN(t), t, fault("clipping/value-upper-only") ? tf.minimum(t, max) : tf.clipByValue(t, min, max)));
}
