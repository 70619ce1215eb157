/**
 * Batch normalization (Ioffe & Szegedy 2015) on [batch, features] inputs, for both engines.
 * Training mode: μ_B and the biased σ²_B (1/m) over the batch, x̂ = (x − μ_B)/√(σ²_B + ε),
 * z = γ·x̂ + β. Inference mode uses the moving averages, updated after each training step as
 * moving = momentum·moving + (1 − momentum)·batch (TF1's `batch_normalization` convention).
 * The backward pass, which the autodiff engine leaves to tfjs, written out for the fast
 * engine (on the host, float64 per feature j over the m rows):
 *   dγ_j = Σ_i dy·x̂,  dβ_j = Σ_i dy,  dz = γ_j·rstd_j/m · (m·dy − Σdy − x̂·Σ(dy·x̂)).
 * The engine-batch-norm law checks it against float64 at every step.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "./fault-points.ts";

/** Training mode's output and what the backward pass and the moving averages need of it. */
export interface BatchNormTrainResult {
  output: tf.Tensor2D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  /** x̂, [m, n] */
  xhat: tf.Tensor2D;
  /** 1/√(σ²_B + ε), [n] */
  rstd: tf.Tensor1D;
}

/**
 * Normalizes with the batch's own statistics and returns them (for the moving averages), with
 * x̂ and 1/√(σ²_B + ε) (for the fast engine's backward pass).
 *
 * @example
 * const { output, mean, variance } = batchNormTrain(x, gamma, beta, 1e-3);
 */
export function batchNormTrain(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchNormTrainResult {
  // (a planted fault: the column means as a constant in backprop)
  const mean = (fault("batchnorm/mean-without-gradient")
    ? tf.customGrad((t) => ({ value: tf.mean(t as tf.Tensor, 0), gradFunc: () => tf.zerosLike(t as tf.Tensor) }))(x)
    : tf.mean(x, 0)) as tf.Tensor1D;
  const centered = tf.sub(x, mean);
  const squares = tf.square(centered);
  const variance = (fault("batchnorm/unbiased-variance") ? tf.div(tf.sum(squares, 0), x.shape[0] - 1) : tf.mean(squares, 0)) as tf.Tensor1D;
  const rstd = tf.rsqrt(fault("batchnorm/no-epsilon") ? variance : tf.add(variance, epsilon)) as tf.Tensor1D;
  const xhat = tf.mul(fault("batchnorm/not-centered") ? x : centered, rstd) as tf.Tensor2D;
  return { output: tf.add(tf.mul(xhat, gamma), beta) as tf.Tensor2D, mean, variance, xhat, rstd };
}

/** The backward pass's results: dZᵀ ([n, m]), dγ and dβ ([n]). */
export interface BatchNormGradients {
  dzT: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
}

/**
 * The backward pass on the host: `dyT` and the result transposed ([n, m]); `xhat` row-major
 * [m, n]. Written into `into` where given (the engine's buffers, reused step after step: every
 * element is overwritten), else into new arrays.
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
  into?: BatchNormGradients,
): BatchNormGradients {
  const { dzT, dGamma, dBeta } = into ?? { dzT: new Float32Array(n * m), dGamma: new Float32Array(n), dBeta: new Float32Array(n) };
  if (dzT.length !== n * m || dGamma.length !== n || dBeta.length !== n) {
    throw new Error(`batchNormBackward: into holds dzT ${dzT.length}, dGamma ${dGamma.length}, dBeta ${dBeta.length} floats; ${n * m}, ${n}, ${n} needed`);
  }
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
 * Normalizes with fixed (moving) statistics.
 *
 * @example
 * const z = batchNormInfer(x, movingMean, movingVariance, gamma, beta, 1e-3);
 */
export function batchNormInfer(
  x: tf.Tensor2D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): tf.Tensor2D {
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta) as tf.Tensor2D;
}

/**
 * moving ← momentum·moving + (1 − momentum)·batch, in place, as tfjs ops (the autodiff engine).
 *
 * @example
 * updateMovingAverage(movingMean, batchMean, 0.9);
 */
export function updateMovingAverage(moving: tf.Variable, batch: tf.Tensor, momentum: number): void {
  const [keep, take] = fault("batchnorm/moving-momentum-swapped") ? [1 - momentum, momentum] : [momentum, 1 - momentum];
  tf.tidy(() => moving.assign(tf.add(tf.mul(moving, keep), tf.mul(batch, take))));
}

/**
 * The same on host arrays, in float64 rounded to float32 (the fast engine).
 *
 * @example
 * updateMovingStatistic(movingMean, batchMean, 0.99);
 */
export function updateMovingStatistic(moving: Float32Array, batch: Float32Array, momentum: number): void {
  const [keep, take] = fault("fast/batchnorm-moving-swapped") ? [1 - momentum, momentum] : [momentum, 1 - momentum];
  for (let j = 0; j < moving.length; j++) moving[j] = keep * moving[j] + take * batch[j];
}
