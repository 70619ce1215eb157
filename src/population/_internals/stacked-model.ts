/**
 * M replicas of one model spec as stacked tensors: every trainable parameter of every replica
 * in one flat [M, N] variable (replica-major, each replica's parameters in the core's order and
 * row-major layout, so row k is replica k's parameters exactly as the core lays them out), the
 * batch-norm moving statistics as [M, 1, n] variables, and the forward pass over all replicas
 * at once: kernels viewed as [M, in, out], biases and batch-norm γ, β as [M, 1, out], a batch
 * as [1, rows, in] (the same rows for every replica, broadcast) or [M, rows, in].
 *
 * Per replica the forward pass issues the core's float32 operations (model.ts, batchnorm.ts,
 * losses.ts) in the same order; only the leading axis is new.
 */
import * as tf from "@tensorflow/tfjs-core";
import { isolatedProduct } from "./isolated-product.ts";
import { activate, createModel, disposeModel, type LossName, type ModelSpec, type ParameterRole, Rng } from "../../core/mod.ts";

/** Where one of the core's parameters lies in a replica's row of the flat variable. */
export interface StackedParameter {
  name: string;
  /** 1-based layer index */
  layer: number;
  role: ParameterRole;
  /** the single model's shape */
  shape: number[];
  offset: number;
  size: number;
}

export interface StackedModel {
  spec: ModelSpec;
  replicas: number;
  parameters: StackedParameter[];
  /** Σ sizes: the length of one replica's row */
  size: number;
  /** [M, size] */
  flat: tf.Variable;
  /** per layer: moving mean and variance [M, 1, units] when the layer is batch-normalized, else null */
  batchNorm: ({ movingMean: tf.Variable; movingVariance: tf.Variable } | null)[];
}

/** One training-mode batch-norm layer's statistics, [M, 1, units] each. */
export interface StackedBatchStats {
  layer: number;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

let stackedCounter = 0;

/**
 * The replicas' initial values, each drawn exactly as `train` draws a run's
 * (`createModel(spec, new Rng(seed).fork("init"))`), stacked on the backend without a read-back.
 *
 * @example
 * const model = createStackedModel(spec, [1, 2, 3]);
 */
export function createStackedModel(spec: ModelSpec, seeds: readonly number[]): StackedModel {
  const id = stackedCounter++;
  const rows: tf.Tensor1D[] = [];
  const movingMeans: tf.Tensor[][] = spec.layers.map(() => []);
  const movingVariances: tf.Tensor[][] = spec.layers.map(() => []);
  let parameters: StackedParameter[] = [];
  for (const seed of seeds) {
    const model = createModel(spec, new Rng(seed).fork("init"));
    try {
      if (parameters.length === 0) {
        let offset = 0;
        parameters = model.parameters.map((p) => {
          const shape = [...p.variable.shape];
          const out = { name: p.name, layer: p.layer, role: p.role, shape, offset, size: p.variable.size };
          offset += p.variable.size;
          return out;
        });
      }
      rows.push(tf.tidy(() => tf.concat(model.parameters.map((p) => tf.reshape(p.variable, [-1]))) as tf.Tensor1D));
      model.batchNorm.forEach((s, i) => {
        if (!s) return;
        movingMeans[i]!.push(tf.clone(s.movingMean));
        movingVariances[i]!.push(tf.clone(s.movingVariance));
      });
    } finally {
      disposeModel(model);
    }
  }
  const size = parameters.reduce((n, p) => n + p.size, 0);
  const flat = tf.tidy(() => tf.variable(tf.stack(rows), true, `population${id}/parameters`));
  const stackBn = (ts: tf.Tensor[], layer: number, what: string) =>
    tf.tidy(() => tf.variable(tf.expandDims(tf.stack(ts), 1), false, `population${id}/bn${layer}/${what}`));
  const batchNorm = spec.layers.map((layer, i) =>
    layer.batchNorm ? { movingMean: stackBn(movingMeans[i]!, i + 1, "movingMean"), movingVariance: stackBn(movingVariances[i]!, i + 1, "movingVariance") } : null
  );
  tf.dispose([...rows, ...movingMeans.flat(), ...movingVariances.flat()]);
  return { spec, replicas: seeds.length, parameters, size, flat, batchNorm };
}

/** Frees the model's variables. */
export function disposeStackedModel(model: StackedModel): void {
  model.flat.dispose();
  for (const s of model.batchNorm) {
    s?.movingMean.dispose();
    s?.movingVariance.dispose();
  }
}

/**
 * The parameters as the forward pass takes them, cut from a flat [M, size] tensor: kernels
 * [M, in, out], everything else [M, 1, n] (broadcast over a batch's rows).
 */
export function parameterViews(model: StackedModel, flat: tf.Tensor): tf.Tensor[] {
  const M = model.replicas;
  return model.parameters.map((p) => {
    const cut = tf.slice(flat, [0, p.offset], [M, p.size]);
    return tf.reshape(cut, p.role === "kernel" ? [M, p.shape[0]!, p.shape[1]!] : [M, 1, p.size]);
  });
}

/**
 * The forward pass of every replica (model.ts's `forward`, with a leading replica axis).
 * `views` are `parameterViews` (or tensors shaped like them, for autodiff); `x` is
 * [1, rows, in] (shared rows) or [M, rows, in]. In "train" mode batch-norm layers use each
 * replica's batch statistics (returned), in "infer" mode its moving averages. The products are
 * `isolatedProduct`s: `marks`, when given, collects which replicas' operands were non-finite.
 */
export function stackedForward(
  model: StackedModel,
  views: readonly tf.Tensor[],
  x: tf.Tensor,
  mode: "train" | "infer",
  marks: tf.Tensor[] | null = null,
): { output: tf.Tensor; batchStats: StackedBatchStats[] } {
  const batchStats: StackedBatchStats[] = [];
  const of = (layer: number, role: ParameterRole) => {
    const i = model.parameters.findIndex((p) => p.layer === layer && p.role === role);
    return i >= 0 ? views[i] : undefined;
  };
  let h = x;
  model.spec.layers.forEach((layer, i) => {
    const n = i + 1;
    let z = isolatedProduct(h, of(n, "kernel")!, i > 0, marks);
    const bias = of(n, "bias");
    if (bias) z = tf.add(z, bias);
    const bn = layer.batchNorm;
    if (bn) {
      const gamma = of(n, "gamma")!;
      const beta = of(n, "beta")!;
      if (mode === "train") {
        // batchnorm.ts's batchNormTrain over each replica's rows (axis 1).
        const mean = tf.mean(z, 1, true);
        const centered = tf.sub(z, mean);
        const variance = tf.mean(tf.square(centered), 1, true);
        const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, bn.epsilon)));
        batchStats.push({ layer: n, mean, variance });
        z = tf.add(tf.mul(normalized, gamma), beta);
      } else {
        const state = model.batchNorm[i]!;
        z = tf.add(tf.mul(tf.mul(tf.sub(z, state.movingMean), tf.rsqrt(tf.add(state.movingVariance, bn.epsilon))), gamma), beta);
      }
    }
    h = activate(layer.activation, z);
  });
  return { output: h, batchStats };
}

/**
 * Each replica's batch loss, [M] (losses.ts's `loss` over axis 1 and beyond): the mean
 * softmax cross-entropy of its rows, or the mean squared error over its rows and outputs.
 * `targets` is [1, rows, width] (shared) or [M, rows, width].
 */
export function replicaLosses(name: LossName, output: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    if (name === "mse") {
      const M = output.shape[0]!;
      return tf.mean(tf.reshape(tf.squaredDifference(targets, output), [M, -1]), 1) as tf.Tensor1D;
    }
    const lse = tf.logSumExp(output, 2);
    const picked = tf.sum(tf.mul(targets, output), 2);
    return tf.mean(tf.sub(lse, picked), 1) as tf.Tensor1D;
  });
}

/**
 * Each replica's count of rows whose arg-max output is the label, [M] float32.
 *
 * @example
 * const hits = replicaHits(output, labels); // labels [1, rows] or [M, rows], int32
 */
export function replicaHits(output: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(output, 2), labels), "float32"), 1) as tf.Tensor1D);
}
