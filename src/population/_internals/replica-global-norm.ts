/**
 * The recorded global norm G of each replica, accurately: src/core/global-norm.ts's
 * `globalNormParts` (its precision argument holds as stated there) along axis 1 of an
 * [M, N] matrix whose row k holds replica k's gradients, instead of over one flat vector.
 * Each row goes through the same correctly rounded operations in the same order as the core's
 * one-replica version (scale by 1/max|g|, square, pad to a power of two, halve), so a replica's
 * G is the core's G of its gradients, bitwise where + and × round correctly (cpu, wasm).
 * The host half stays the core's `globalNormFromParts`.
 */
import * as tf from "@tensorflow/tfjs-core";

/** s is clamped into [2⁻¹²⁶, 2¹²⁶] so that r = 1/s is a normal float32 (as in global-norm.ts). */
const SCALE_MIN = 2 ** -126;
const SCALE_MAX = 2 ** 126;

/**
 * [M, 2]: per replica [r, S], from which `globalNormFromParts(r, S)` makes its G.
 *
 * @example
 * const parts = replicaGlobalNormParts(flatGradients); // [M, N] → [M, 2]
 */
export function replicaGlobalNormParts(rows: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [M, n] = rows.shape;
    const r = tf.reciprocal(tf.clipByValue(tf.max(tf.abs(rows), 1, true), SCALE_MIN, SCALE_MAX));
    let terms = tf.square(tf.mul(rows, r)) as tf.Tensor2D;
    const padded = 2 ** Math.ceil(Math.log2(Math.max(1, n)));
    if (padded > n) terms = tf.pad(terms, [[0, 0], [0, padded - n]]);
    for (let half = padded / 2; half >= 1; half /= 2) terms = tf.add(tf.slice(terms, [0, 0], [M, half]), tf.slice(terms, [0, half], [M, half])) as tf.Tensor2D;
    return tf.concat([r, terms], 1) as tf.Tensor2D;
  });
}
