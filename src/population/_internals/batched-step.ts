/**
 * One training step of every replica at once, on the backend, with nothing read back:
 * loss and gradients by tfjs autodiff of the SUM of the replicas' losses (replica k's loss
 * depends only on its own parameters, so ∂Σ/∂θ_k = ∂L_k/∂θ_k: each replica gets its own
 * gradient), a non-finite probe per replica kept on the device, clipping per replica,
 * the optimizer on the flat [M, N] parameters with [M, 1] hyper-parameters, batch-norm
 * moving averages per replica. A replica whose loss or gradient is non-finite is frozen from
 * that step on (its parameters, optimizer slots and moving averages keep their values) and
 * the iteration is kept in `firstBad`; the others go on.
 *
 * Per replica every operation is the one the core's autodiff engine issues (autodiff-engine.ts,
 * clipping.ts, optimizers/), in the same order, with the leading replica axis added; the
 * products keep one replica's NaN or ±Inf out of the others' (isolated-product.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { adamStepSize, globalNormPartsOfRows, type TrainConfig } from "../../core/mod.ts";
import { parameterViews, replicaHits, replicaLosses, type StackedBatchStats, stackedForward, type StackedModel } from "./stacked-model.ts";

/** A batch on the backend: rows shared by every replica ([1, rows, …]) or one set per replica ([M, rows, …]). */
export interface StackedBatch {
  x: tf.Tensor3D;
  targets: tf.Tensor3D;
  /** class indices [1 | M, rows], int32; null for regression */
  labels: tf.Tensor2D | null;
}

/** What a step leaves on the backend until `update`. */
interface StepState {
  output: tf.Tensor;
  losses: tf.Tensor1D;
  /** per parameter, [M, size] */
  gradients: tf.Tensor2D[];
  /** [M, N]: every gradient of a replica in its row, in the core's parameter layout */
  flat: tf.Tensor2D;
  clipped: tf.Tensor2D;
  batchStats: StackedBatchStats[];
}

/**
 * A fault planted for a test (a property must catch it); never used outside tests.
 * `gradients` replaces the flat [M, N] gradients before the probe, clipping and update;
 * `configs` replaces the configs the step reads its hyper-parameters from.
 */
export interface PlantedFault {
  gradients?: (flat: tf.Tensor2D) => tf.Tensor2D;
  configs?: (configs: readonly TrainConfig[]) => TrainConfig[];
}

/** [M, 1] float32 of one number per replica. */
function perReplica(values: readonly number[]): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(values), [values.length, 1]);
}

/**
 * The step machinery for a stacked model and its replicas' configs (which agree on everything
 * but seeds, hyper-parameters and thresholds: population-configs.ts).
 *
 * @example
 * const engine = batchedStep(model, configs);
 * engine.compute(batch, 0); const stats = engine.statistics(); engine.update();
 */
export function batchedStep(model: StackedModel, replicaConfigs: readonly TrainConfig[], fault: PlantedFault = {}) {
  const M = model.replicas;
  const configs = fault.configs ? fault.configs(replicaConfigs) : replicaConfigs;
  const config = configs[0]!;
  const optimizer = config.optimizer;
  const clipping = config.clipping;
  const constants: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (constants.push(t), t);
  const column = (of: (c: TrainConfig) => number) => keep(perReplica(configs.map(of)));
  const slot = (label: string) => tf.variable(tf.zerosLike(model.flat), false, `${model.flat.name}/${label}`);

  // Hyper-parameters as the core's optimizers use them: JavaScript numbers (1 − β in float64)
  // that tfjs turns into float32 scalars; here one float32 per replica.
  const lr = column((c) => c.optimizer.learningRate);
  const hyper = {
    mu: optimizer.name === "momentum" ? column((c) => (c.optimizer as { momentum: number }).momentum) : null,
    beta1: optimizer.name === "adam" ? column((c) => (c.optimizer as { beta1: number }).beta1) : null,
    oneMinusBeta1: optimizer.name === "adam" ? column((c) => 1 - (c.optimizer as { beta1: number }).beta1) : null,
    beta2: optimizer.name === "adam" ? column((c) => (c.optimizer as { beta2: number }).beta2) : null,
    oneMinusBeta2: optimizer.name === "adam" ? column((c) => 1 - (c.optimizer as { beta2: number }).beta2) : null,
    epsilon: optimizer.name === "adam" ? column((c) => (c.optimizer as { epsilon: number }).epsilon) : null,
  };
  const clip = {
    maxNorm: clipping.name === "norm" || clipping.name === "globalNorm" ? column((c) => (c.clipping as { maxNorm: number }).maxNorm) : null,
    min: clipping.name === "value" ? column((c) => (c.clipping as { min: number }).min) : null,
    max: clipping.name === "value" ? column((c) => (c.clipping as { max: number }).max) : null,
  };
  const slots = {
    velocity: optimizer.name === "momentum" ? slot("velocity") : null,
    m: optimizer.name === "adam" ? slot("m") : null,
    v: optimizer.name === "adam" ? slot("v") : null,
  };
  let updates = 0;
  /** true while a replica has been finite at every step */
  let active: tf.Tensor1D = tf.ones([M], "bool");
  /** the iteration at which a replica first went non-finite, −1 while it has not */
  let firstBad: tf.Tensor1D = tf.fill([M], -1);
  let current: StepState | null = null;

  const release = () => {
    if (!current) return;
    const { output, losses, gradients, flat, clipped, batchStats } = current;
    tf.dispose([output, losses, ...gradients, flat, ...batchStats.flatMap((s) => [s.mean, s.variance])]);
    if (clipped !== flat) clipped.dispose();
    current = null;
  };

  /** Per parameter, the rows [M, size] of a flat [M, N] tensor. */
  const cut = (flat: tf.Tensor2D): tf.Tensor2D[] => model.parameters.map((p) => tf.slice(flat, [0, p.offset], [M, p.size]));

  function clipGradients(gradients: tf.Tensor2D[], flat: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy((): tf.Tensor2D => {
      const nan = tf.scalar(NaN);
      switch (clipping.name) {
        case "none": return flat;
        case "value": return tf.where(tf.isNaN(flat), flat, tf.minimum(tf.maximum(flat, clip.min!), clip.max!)) as tf.Tensor2D;
        case "norm": {
          const c = clip.maxNorm!;
          return tf.concat(gradients.map((g) => {
            const norm = tf.sqrt(tf.sum(tf.square(g), 1, true));
            return tf.mul(g, tf.where(tf.isFinite(norm), tf.div(c, tf.maximum(norm, c)), nan));
          }), 1) as tf.Tensor2D;
        }
        case "globalNorm": {
          const c = clip.maxNorm!;
          const norm = tf.reshape(tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g), 1)))), [M, 1]);
          return tf.mul(flat, tf.where(tf.isFinite(norm), tf.div(c, tf.maximum(norm, c)), nan)) as tf.Tensor2D;
        }
      }
    });
  }

  return {
    /**
     * Forward and backward pass of every replica on `batch`, the non-finite probe and clipping;
     * nothing is read back. Returns [2, M]: each replica's loss and correct count.
     */
    compute(batch: StackedBatch, iteration: number): tf.Tensor2D {
      release();
      let output: tf.Tensor | undefined, losses: tf.Tensor1D | undefined;
      let batchStats: StackedBatchStats[] = [];
      const views = parameterViews(model, model.flat);
      // Per product operand, the replicas whose operand held a NaN or ±Inf (isolated-product.ts).
      const marks: tf.Tensor[] = [];
      const { value, grads } = tf.valueAndGrads((...params: tf.Tensor[]) => {
        const r = stackedForward(model, params, batch.x, "train", marks);
        output = tf.keep(r.output);
        batchStats = r.batchStats.map((s) => ({ layer: s.layer, mean: tf.keep(s.mean), variance: tf.keep(s.variance) }));
        losses = tf.keep(replicaLosses(config.loss, r.output, batch.targets));
        return tf.sum(losses) as tf.Scalar;
      })(views);
      value.dispose();
      tf.dispose(views);
      let gradients = tf.tidy(() => grads.map((g) => tf.reshape(g, [M, -1]) as tf.Tensor2D));
      tf.dispose(grads);
      let flat = gradients.length === 1 ? tf.clone(gradients[0]!) : (tf.concat(gradients, 1) as tf.Tensor2D);
      if (fault.gradients) {
        const planted = fault.gradients(flat);
        tf.dispose([flat, ...gradients]);
        flat = planted;
        gradients = cut(flat);
      }
      current = { output: output!, losses: losses!, gradients, flat, clipped: flat, batchStats };
      // NaN iff the replica's loss or some gradient element is NaN or ±Inf (x·0 is NaN for those),
      // or a product operand of the replica was (which the isolated products hid from its numbers).
      const [nextActive, nextFirstBad] = tf.tidy(() => {
        const numbers = tf.logicalNot(tf.isFinite(tf.add(tf.mul(losses!, 0), tf.sum(tf.mul(flat, 0), 1))));
        const bad = tf.logicalOr(numbers, tf.any(tf.stack(marks), 0));
        const newly = tf.logicalAnd(bad, active);
        return [tf.logicalAnd(active, tf.logicalNot(bad)), tf.where(newly, tf.fill([M], iteration), firstBad)];
      });
      tf.dispose([active, firstBad, ...marks]);
      active = nextActive as tf.Tensor1D;
      firstBad = nextFirstBad as tf.Tensor1D;
      current.clipped = clipGradients(gradients, flat);
      return tf.tidy(() => tf.stack([losses!, batch.labels ? replicaHits(output!, batch.labels) : tf.zeros([M])]) as tf.Tensor2D);
    },

    /**
     * [M, K]: per replica the recorder's statistics of the last step (autodiff-engine.ts's
     * `stats`): mean |g| and ‖g‖ per tensor, G's two parts, and when clipping ‖g‖ per clipped
     * tensor and the clipped G's parts. The core's `gradientStatsFromRow` reads a row.
     */
    statistics(): tf.Tensor2D {
      const { gradients, clipped } = current!;
      return tf.tidy(() => {
        const col = (t: tf.Tensor) => tf.reshape(t, [M, 1]);
        const columns = [
          ...gradients.map((g) => col(tf.mean(tf.abs(g), 1))),
          ...gradients.map((g) => col(tf.norm(g, "euclidean", 1))),
          globalNormPartsOfRows(current!.flat),
        ];
        if (clipping.name !== "none") {
          columns.push(...cut(clipped).map((g) => col(tf.norm(g, "euclidean", 1))), globalNormPartsOfRows(clipped));
        }
        return tf.concat(columns, 1) as tf.Tensor2D;
      });
    },

    /** [M, N]: every gradient element of the last step, replica k in row k (before clipping). */
    gradients(): tf.Tensor2D {
      return current!.flat;
    },

    /** [M]: the iteration at which each replica first went non-finite, or −1. */
    firstBad(): tf.Tensor1D {
      return firstBad;
    },

    /** Applies each active replica's optimizer step and batch-norm moving averages; frees the step's tensors. */
    update(): void {
      const { clipped: g, batchStats } = current!;
      updates += 1;
      const t = updates;
      tf.tidy(() => {
        const on = tf.reshape(active, [M, 1]);
        const assign = (v: tf.Variable, next: tf.Tensor) => v.assign(tf.where(on, next, v));
        const p = model.flat;
        switch (optimizer.name) {
          case "sgd":
            assign(p, tf.sub(p, tf.mul(g, lr)));
            break;
          case "momentum": {
            const vel = tf.add(tf.mul(slots.velocity!, hyper.mu!), g);
            const step = optimizer.nesterov ? tf.add(g, tf.mul(vel, hyper.mu!)) : vel;
            assign(slots.velocity!, vel);
            assign(p, tf.sub(p, tf.mul(step, lr)));
            break;
          }
          case "adam": {
            const lrT = perReplica(configs.map((c) => {
              const o = c.optimizer as { learningRate: number; beta1: number; beta2: number };
              return adamStepSize(o.learningRate, o.beta1, o.beta2, t);
            }));
            const mNew = tf.add(tf.mul(slots.m!, hyper.beta1!), tf.mul(g, hyper.oneMinusBeta1!));
            const vNew = tf.add(tf.mul(slots.v!, hyper.beta2!), tf.mul(tf.square(g), hyper.oneMinusBeta2!));
            assign(slots.m!, mNew);
            assign(slots.v!, vNew);
            assign(p, tf.sub(p, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), hyper.epsilon!)), lrT)));
            break;
          }
        }
        const on3 = tf.reshape(active, [M, 1, 1]);
        for (const s of batchStats) {
          const momentum = model.spec.layers[s.layer - 1]!.batchNorm!.momentum;
          const state = model.batchNorm[s.layer - 1]!;
          // batchnorm.ts's updateMovingAverage, per replica.
          for (const [moving, batch] of [[state.movingMean, s.mean], [state.movingVariance, s.variance]] as const) {
            moving.assign(tf.where(on3, tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum)), moving));
          }
        }
      });
      release();
    },

    dispose(): void {
      release();
      tf.dispose([...constants, active, firstBad]);
      for (const s of Object.values(slots)) s?.dispose();
    },
  };
}

export type BatchedStep = ReturnType<typeof batchedStep>;
