/**
 * Batches for the batch-normalization laws: m ≥ 2 rows, 1–64 features, each feature with its
 * own scale (10^±6) and offset (up to 10^3 × its scale, either sign), γ and β over four
 * decades, ε from 1e-8 to 0.1. Shapes and ε come from fast-check; the per-feature numbers
 * from an Rng it seeds.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../src/core/mod.ts";
import type { FeatureStats } from "../tolerance.ts";
import { seed32, uniformReal } from "./arbitraries.ts";

/** A generated batch and BN parameters, row-major [rows, features]. */
export interface BatchCase {
  rows: number;
  features: number;
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  epsilon: number;
  /** per-feature scale and offset the values were drawn with */
  scale: Float64Array;
  offset: Float64Array;
}

/** Options: columns that are constant, and the row range. */
export interface BatchOptions {
  constantFeatures?: boolean;
  maxRows?: number;
}

const decade = (rng: Rng, lo: number, hi: number) => 10 ** rng.uniformIn(lo, hi);

/**
 * Generated batches.
 *
 * @example
 * fc.sample(batchCases(), 1);
 */
export function batchCases(options: BatchOptions = {}): fc.Arbitrary<BatchCase> {
  return fc.record({
    rows: fc.integer({ min: 2, max: options.maxRows ?? 64 }),
    features: fc.integer({ min: 1, max: 64 }),
    epsilonExponent: uniformReal(-8, -1),
    seed: seed32(),
  }).map(({ rows, features, epsilonExponent, seed }) => {
    const rng = new Rng(seed);
    const scale = Float64Array.from({ length: features }, () => decade(rng, -6, 6));
    const offset = scale.map((s) => s * decade(rng, -3, 3) * (rng.uniform() < 0.5 ? -1 : 1));
    const constant = Array.from({ length: features }, () => options.constantFeatures === true && rng.uniform() < 0.5);
    const x = new Float32Array(rows * features);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < features; j++) x[i * features + j] = constant[j] ? offset[j] : offset[j] + scale[j] * rng.normal();
    }
    const gamma = Float32Array.from({ length: features }, () => decade(rng, -2, 2) * (rng.uniform() < 0.8 ? 1 : -1));
    const beta = Float32Array.from({ length: features }, () => decade(rng, -2, 2) * rng.normal());
    return { rows, features, x, gamma, beta, epsilon: Math.fround(10 ** epsilonExponent), scale, offset };
  });
}

/**
 * Column j of a row-major [rows, features] array.
 *
 * @example
 * column([1, 2, 3, 4], 2, 2, 1); // [2, 4]
 */
export function column(a: ArrayLike<number>, rows: number, features: number, j: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => a[i * features + j]);
}

/**
 * The float64 description of feature j that the BN tolerances need.
 *
 * @example
 * const s = featureStats(c, c.x, 0);
 */
export function featureStats(c: BatchCase, x: ArrayLike<number>, j: number): FeatureStats {
  const col = column(x, c.rows, c.features, j);
  let mean = 0, meanAbs = 0;
  for (const v of col) {
    mean += v / c.rows;
    meanAbs += Math.abs(v) / c.rows;
  }
  let variance = 0, maxDeviation = 0;
  for (const v of col) {
    variance += (v - mean) ** 2 / c.rows;
    maxDeviation = Math.max(maxDeviation, Math.abs(v - mean));
  }
  return { rows: c.rows, meanAbs, mean, variance, maxDeviation, epsilon: c.epsilon, gamma: c.gamma[j], beta: c.beta[j] };
}

/** A training-mode batch normalization under test: the core's `batchNormTrain` unless a fault is planted. */
export type BatchNormTrain = (
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
) => { output: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D };

/**
 * Runs a training-mode BN on the active backend and reads back its output and batch statistics.
 *
 * @example
 * const { output, mean, variance } = await evaluateBatchNorm(batchNormTrain, c, c.x);
 */
export async function evaluateBatchNorm(bn: BatchNormTrain, c: BatchCase, x: Float32Array): Promise<{ output: Float32Array; mean: Float32Array; variance: Float32Array }> {
  const xt = tf.tensor2d(x, [c.rows, c.features]);
  const g = tf.tensor1d(c.gamma), b = tf.tensor1d(c.beta);
  // only what the law reads leaves the scope (the core's batchNormTrain also returns x̂ and 1/√(σ² + ε))
  const r = tf.tidy(() => {
    const { output, mean, variance } = bn(xt, g, b, c.epsilon);
    return { output, mean, variance };
  });
  const [output, mean, variance] = await Promise.all([r.output.data(), r.mean.data(), r.variance.data()]);
  tf.dispose([xt, g, b, r.output, r.mean, r.variance]);
  return { output: output as Float32Array, mean: mean as Float32Array, variance: variance as Float32Array };
}
