/**
 * Batch normalization (Ioffe & Szegedy 2015) on [batch, features] inputs.
 * Training mode: μ_B and the biased σ²_B (1/m) over the batch, x̂ = (x − μ_B)/√(σ²_B + ε),
 * z = γ·x̂ + β. Inference mode uses the moving averages, updated after each training step as
 * moving = momentum·moving + (1 − momentum)·batch (TF1's `batch_normalization` convention).
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "./fault-points.ts";

/**
 * Normalizes with the batch's own statistics and returns them (for the moving averages).
 *
 * @example
 * const { output, mean, variance } = batchNormTrain(x, gamma, beta, 1e-3);
 */
export function batchNormTrain(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): { output: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  // (a planted fault: the column means as a constant in backprop)
  const mean = (fault("batchnorm/mean-without-gradient")
    ? tf.customGrad((t) => ({ value: tf.mean(t as tf.Tensor, 0), gradFunc: () => tf.zerosLike(t as tf.Tensor) }))(x)
    : tf.mean(x, 0)) as tf.Tensor1D;
  const centered = tf.sub(x, mean);
  const squares = tf.square(centered);
  const variance = (fault("batchnorm/unbiased-variance") ? tf.div(tf.sum(squares, 0), x.shape[0] - 1) : tf.mean(squares, 0)) as tf.Tensor1D;
  const normalized = tf.mul(fault("batchnorm/not-centered") ? x : centered, tf.rsqrt(fault("batchnorm/no-epsilon") ? variance : tf.add(variance, epsilon)));
  return { output: tf.add(tf.mul(normalized, gamma), beta) as tf.Tensor2D, mean, variance };
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
 * moving ← momentum·moving + (1 − momentum)·batch, in place.
 *
 * @example
 * updateMovingAverage(movingMean, batchMean, 0.9);
 */
export function updateMovingAverage(moving: tf.Variable, batch: tf.Tensor, momentum: number): void {
  const [keep, take] = fault("batchnorm/moving-momentum-swapped") ? [1 - momentum, momentum] : [momentum, 1 - momentum];
  tf.tidy(() => moving.assign(tf.add(tf.mul(moving, keep), tf.mul(batch, take))));
}
