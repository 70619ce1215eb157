/**
 * The global norm G = √(Σ_i ‖g_i‖²) of float32 tensors, accurate to a few float32 units on
 * every backend for any size, in two halves: the sums on the backend, the last step on the host.
 *
 * Summing g² left to right in float32 (tf.sum on wasm) errs by up to n·u relative for n
 * terms (measured 7e-5 for a 784×512 tensor), and g² overflows above 1.8e19 and underflows
 * below 1.1e-19. Here every element is multiplied by r = 1/s with s = max|g| clamped into the
 * normal range (so (g·r)² ≤ 4 neither overflows nor loses the tensor), squared, and summed
 * pairwise (n padded with zeros to a power of two, then halves added elementwise): ⌈log₂ n⌉
 * levels of two-term sums, each one rounding (+ and × are correctly rounded
 * on every backend, WGSL included), so S = Σ(g·r)² errs by ≤ (⌈log₂ n⌉ + 3)·u relative
 * (u = 2⁻²⁴; the products by r, the squares, the levels). The host then computes G = √S / r in
 * float64 with the r the backend used, so r's own rounding (or a GPU's inexact reciprocal)
 * cancels; G errs by half S's error: 11.5·u ≈ 6.9e-7 for 10⁶ elements.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "./fault-points.ts";

/** s is clamped into [2⁻¹²⁶, 2¹²⁶] so that r = 1/s is a normal float32 (a GPU may flush subnormals). */
const SCALE_MIN = 2 ** -126;
const SCALE_MAX = 2 ** 126;

/**
 * The backend half: a [2] tensor [r, S] from which `globalNormFromParts` makes G.
 *
 * @example
 * const parts = globalNormParts(grads); const [r, S] = await parts.data();
 */
export function globalNormParts(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.tensor1d([1, 0]);
    const flat = tensors.length === 1 ? tf.reshape(tensors[0]!, [-1]) : tf.concat(tensors.map((t) => tf.reshape(t, [-1])));
    if (fault("global-norm/float32-left-to-right")) return tf.stack([tf.scalar(1), tf.sum(tf.square(flat))]) as tf.Tensor1D;
    return tf.reshape(globalNormPartsOfRows(tf.reshape(flat, [1, flat.size]) as tf.Tensor2D), [2]) as tf.Tensor1D;
  });
}

/**
 * The backend half for each row of an [M, n] matrix at once, [M, 2]: row k's [r, S] as
 * `globalNormParts` gives them for row k's numbers alone (the same operations, one row per
 * replica: the population engine's G per replica).
 *
 * @example
 * const parts = globalNormPartsOfRows(flatGradients); // [M, n] → [M, 2]
 */
export function globalNormPartsOfRows(rows: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [M, n] = rows.shape;
    const r = tf.reciprocal(tf.clipByValue(tf.max(tf.abs(rows), 1, true), SCALE_MIN, SCALE_MAX));
    let terms = tf.square(tf.mul(rows, r)) as tf.Tensor2D;
    const padded = 2 ** Math.ceil(Math.log2(Math.max(1, n)));
    if (padded > n) terms = tf.pad(terms, [[0, 0], [0, padded - n]]);
    // One level: the first half plus the second, elementwise (a map, fast everywhere; a
    // reduction over pairs ran one GPU workgroup per pair).
    for (let half = padded / 2; half >= 1; half /= 2) terms = tf.add(tf.slice(terms, [0, 0], [M, half]), tf.slice(terms, [0, half], [M, half]));
    return tf.concat([r, terms], 1) as tf.Tensor2D;
  });
}

/**
 * The host half: G = √S / r in float64.
 *
 * @example
 * globalNormFromParts(0.25, 4); // 8
 */
export function globalNormFromParts(r: number, sumOfScaledSquares: number): number {
  return Math.sqrt(sumOfScaledSquares) / r;
}

/**
 * G of `tensors`, read back from the backend (one read).
 *
 * @example
 * await accurateGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])]); // 5
 */
export async function accurateGlobalNorm(tensors: readonly tf.Tensor[]): Promise<number> {
  const parts = globalNormParts(tensors);
  const [r, s] = await parts.data();
  parts.dispose();
  return globalNormFromParts(r!, s!);
}
