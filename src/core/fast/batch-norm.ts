/**
 * Batch normalization in the fast engine (Ioffe & Szegedy 2015), on [m, n] pre-activations:
 * the forward pass as tfjs ops (batch mean, biased variance, x̂ = (z − μ)·rstd, y = γ·x̂ + β),
 * the backward pass and the moving averages on the host in float64:
 *   dγ_j = Σ_i dy·x̂,  dβ_j = Σ_i dy,  dz = γ_j·rstd_j/m · (m·dy − Σdy − x̂·Σ(dy·x̂)),
 *   moving ← momentum·moving + (1 − momentum)·batch.
 * The same math as batchnorm.ts and tfjs autodiff of it (engine-batch-norm law).
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "../fault-points.ts";

/** What a batch-normalized layer's forward pass keeps for its backward pass. */
export interface BatchNormTape {
  /** x̂, [m, n] */
  xhat: tf.Tensor2D;
  /** 1/√(σ²_B + ε), [n] */
  rstd: tf.Tensor1D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Batch norm in training mode on Z ([m, n]): the normalized and scaled output, and the tape.
 *
 * @example
 * const { y, tape } = batchNormForward(z, gamma, beta, 1e-3);
 */
export function batchNormForward(z: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor2D; tape: BatchNormTape } {
  return tf.tidy(() => {
    const mean = tf.mean(z, 0) as tf.Tensor1D;
    const centered = tf.sub(z, mean);
    const squares = tf.square(centered);
    const variance = (fault("fast/batchnorm-forward-unbiased") ? tf.div(tf.sum(squares, 0), z.shape[0] - 1) : tf.mean(squares, 0)) as tf.Tensor1D;
    const rstd = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const xhat = tf.mul(centered, rstd) as tf.Tensor2D;
    const y = tf.add(tf.mul(xhat, gamma), beta) as tf.Tensor2D;
    return { y, tape: { xhat, rstd, mean, variance } };
  });
}

/**
 * Batch norm's backward pass on the host, in float64 per feature j over the m rows.
 * `dyT` and the result are transposed ([n, m]); `xhat` is row-major [m, n].
 *
 * @example
 * const { dzT, dGamma, dBeta } = batchNormBackward(dyT, xhat, rstd, gamma, m, n);
 */
export function batchNormBackward(
  dyT: Float32Array,
  xhat: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array,
  m: number,
  n: number,
): { dzT: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  const dzT = new Float32Array(n * m);
  const dGamma = new Float32Array(n);
  const dBeta = new Float32Array(n);
  const projected = fault("fast/batchnorm-backward-no-projection") ? 0 : 1;
  for (let j = 0; j < n; j++) {
    const row = j * m;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < m; i++) {
      s1 += dyT[row + i];
      s2 += dyT[row + i] * xhat[i * n + j];
    }
    dBeta[j] = s1;
    dGamma[j] = s2;
    const k = (gamma[j] * rstd[j]) / m;
    const s2p = projected * s2;
    for (let i = 0; i < m; i++) dzT[row + i] = k * (m * dyT[row + i] - s1 - xhat[i * n + j] * s2p);
  }
  return { dzT, dGamma, dBeta };
}

/**
 * moving ← momentum·moving + (1 − momentum)·batch, in place, in float64 rounded to float32.
 *
 * @example
 * updateMovingStatistic(movingMean, batchMean, 0.99);
 */
export function updateMovingStatistic(moving: Float32Array, batch: Float32Array, momentum: number): void {
  const [keep, take] = fault("fast/batchnorm-moving-swapped") ? [1 - momentum, momentum] : [momentum, 1 - momentum];
  for (let j = 0; j < moving.length; j++) moving[j] = keep * moving[j] + take * batch[j];
}
