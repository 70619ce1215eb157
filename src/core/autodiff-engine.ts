/**
 * The reference engine: tfjs autodiff (`lossAndGradients`), clipping and optimizers as tfjs ops.
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchTensors, type HostBatch } from "./batches.ts";
import { updateMovingAverage } from "./batchnorm.ts";
import { clipByGlobalNorm, clipByNorm, clipByValue } from "./clipping.ts";
import type { Engine, GradientStats, StepPosition } from "./engine.ts";
import { globalNormFromParts, globalNormParts } from "./global-norm.ts";
import { fault } from "./fault-points.ts";
import { lossAndGradients, type LossAndGradients } from "./gradients.ts";
import { forward, type Model } from "./model.ts";
import { describeNonFinite, elementAt, firstNonFiniteIndex, type ForwardLocation, nonFiniteLossError, type NonFiniteValue, throwOnNonFiniteGradient } from "./nonfinite.ts";
import { createOptimizer } from "./optimizers/mod.ts";
import type { ClippingSpec, TrainConfig } from "./train-config.ts";

/** Computes loss and gradients for one batch (tfjs autodiff unless a test plugs in another). */
export type StepFunction = (model: Model, x: tf.Tensor2D, targets: tf.Tensor2D, loss: TrainConfig["loss"]) => LossAndGradients;

function clip(spec: ClippingSpec, grads: tf.Tensor[]): tf.Tensor[] {
  switch (spec.name) {
    case "none": return grads;
    case "value": return grads.map((g) => clipByValue(g, spec.min, spec.max));
    case "norm": return grads.map((g) => clipByNorm(g, spec.maxNorm));
    case "globalNorm": {
      const { clipped, norm } = clipByGlobalNorm(grads, spec.maxNorm);
      norm.dispose();
      return clipped;
    }
  }
}

/** 1 per tensor holding a NaN or ±Inf, else 0 (one read for the whole list). */
async function nonFiniteFlags(tensors: tf.Tensor[]): Promise<number[]> {
  const flags = tf.tidy(() => tf.stack(tensors.map((t) => tf.cast(tf.logicalNot(tf.all(tf.isFinite(t))), "float32"))));
  const out = Array.from(await flags.data());
  flags.dispose();
  return out;
}

/**
 * Names the first parameter, then the first layer output, that is non-finite (for a
 * non-finite loss), with the element and its value. Runs only on the way to a stop.
 */
export async function locateNonFiniteForward(model: Model, x: tf.Tensor2D): Promise<ForwardLocation> {
  const params = await nonFiniteFlags(model.parameters.map((p) => p.variable));
  const p = params.indexOf(1);
  if (p >= 0) {
    const { name, layer, variable } = model.parameters[p];
    const found = await firstNonFinite(variable);
    return {
      text: `parameter ${name} (layer ${layer}) holds a non-finite value (element [${found.element.join(", ")}] is ${found.value})`,
      layer,
      tensor: name,
      ...found,
    };
  }
  // The traced forward's intermediates (batch-norm statistics included) are freed by the tidy.
  const outputs = tf.tidy(() => {
    const { trace } = forward(model, x, "train", { trace: true });
    return tf.stack(trace.map((t) => tf.cast(tf.logicalNot(tf.all(tf.isFinite(t.output))), "float32")));
  });
  const layer = Array.from(await outputs.data()).indexOf(1);
  outputs.dispose();
  if (layer < 0) return { text: "no layer output is non-finite (the loss itself overflowed)", layer: null, tensor: null, element: null, value: null };
  const output = tf.tidy(() => forward(model, x, "train", { trace: true }).trace[layer].output);
  const found = await firstNonFinite(output);
  output.dispose();
  return {
    text: `the output of layer ${layer + 1} is the first non-finite one (element [${found.element.join(", ")}] is ${found.value})`,
    layer: layer + 1,
    tensor: null,
    ...found,
  };
}

/** The first non-finite element of a tensor known to hold one. */
async function firstNonFinite(t: tf.Tensor): Promise<{ element: number[]; value: NonFiniteValue }> {
  const values = await t.data();
  const j = firstNonFiniteIndex(values);
  return { element: elementAt(j, t.shape), value: describeNonFinite(values[j]) };
}

/**
 * The recorder's statistics from the row the backend computes them in: mean |g| and ‖g‖ per
 * tensor (`parameters` each), G's two parts [r, S] (global-norm.ts) and, when clipping, ‖g‖ per
 * clipped tensor and the clipped G's parts. The autodiff engine's `stats` reads one such row,
 * the population engine one per replica.
 *
 * @example
 * gradientStatsFromRow([0.5, 1, 1, 1], 1, false); // { meanAbs: [0.5], l2: [1], globalNorm: 1 }
 */
export function gradientStatsFromRow(row: ArrayLike<number>, parameters: number, clipped: boolean): GradientStats {
  const s = Array.from(row);
  const n = parameters;
  const out: GradientStats = { meanAbs: s.slice(0, n), l2: s.slice(n, 2 * n), globalNorm: globalNormFromParts(s[2 * n]!, s[2 * n + 1]!) };
  if (clipped) {
    out.clippedL2 = s.slice(2 * n + 2, 3 * n + 2);
    out.clippedGlobalNorm = globalNormFromParts(s[3 * n + 2]!, s[3 * n + 3]!);
  }
  return out;
}

/**
 * @example
 * const engine = autodiffEngine(model, config);
 */
export function autodiffEngine(model: Model, config: TrainConfig, step: StepFunction = lossAndGradients): Engine {
  const vars = model.parameters.map((p) => p.variable);
  const names = model.parameters.map((p) => p.name);
  const layers = model.parameters.map((p) => p.layer);
  const optimizer = createOptimizer(config.optimizer, vars);
  let current: { r: LossAndGradients; clipped: tf.Tensor[]; batch: ReturnType<typeof batchTensors> } | null = null;

  const release = () => {
    if (!current) return;
    const { r, clipped, batch } = current;
    tf.dispose([r.loss, r.output, ...r.gradients, ...r.batchStats.flatMap((s) => [s.mean, s.variance])]);
    if (clipped !== r.gradients) tf.dispose(clipped);
    tf.dispose([batch.x, batch.targets, ...(batch.labels ? [batch.labels] : [])]);
    current = null;
  };

  return {
    name: "autodiff",
    model,
    products: "tfjs ops",
    async compute(hb: HostBatch, where: StepPosition) {
      release();
      const batch = batchTensors(hb, model.spec.inputSize);
      const r = step(model, batch.x, batch.targets, config.loss);
      current = { r, clipped: r.gradients, batch };
      // One read: the loss, the correct count and a probe that is NaN iff some gradient is non-finite.
      const probe = tf.tidy(() => {
        const hits = batch.labels ? tf.sum(tf.cast(tf.equal(tf.argMax(r.output, 1), batch.labels), "float32")) : tf.scalar(0);
        const nonFinite = tf.addN(r.gradients.map((g) => tf.sum(tf.mul(g, 0))));
        return tf.stack([r.loss, hits, nonFinite]);
      });
      const [loss, hits, nonFinite] = await probe.data();
      probe.dispose();
      if (!Number.isFinite(loss)) throw nonFiniteLossError(loss, where, await locateNonFiniteForward(model, batch.x));
      if (!Number.isFinite(nonFinite)) await throwOnNonFiniteGradient(names, layers, r.gradients, where);
      current.clipped = clip(config.clipping, r.gradients);
      return { loss, hits };
    },
    async stats(): Promise<GradientStats> {
      const { r, clipped } = current!;
      const clippedToo = config.clipping.name !== "none";
      const stats = tf.tidy(() =>
        tf.stack([
          ...r.gradients.map((g) => tf.mean(fault("autodiff/recorder-signed-mean") ? g : tf.abs(g))),
          ...r.gradients.map((g) => tf.norm(g)),
          // G accurately (global-norm.ts): float32 left to right erred by 7e-5 for a 784×512 tensor.
          ...tf.unstack(globalNormParts(r.gradients)),
          ...(clippedToo ? [...clipped.map((g) => tf.norm(g)), ...tf.unstack(globalNormParts(clipped))] : []),
        ])
      );
      const s = await stats.data();
      stats.dispose();
      return gradientStatsFromRow(s, names.length, clippedToo);
    },
    async gradientValues() {
      return Promise.all(current!.r.gradients.map(async (g) => Array.from(await g.data())));
    },
    update() {
      const { r, clipped } = current!;
      optimizer.apply(fault("autodiff/clipped-gradients-unused") ? r.gradients : clipped);
      for (const s of r.batchStats) {
        const bn = model.spec.layers[s.layer - 1].batchNorm!;
        const state = model.batchNorm[s.layer - 1]!;
        updateMovingAverage(state.movingMean, s.mean, bn.momentum);
        updateMovingAverage(state.movingVariance, s.variance, bn.momentum);
      }
      release();
    },
    dispose() {
      release();
      optimizer.dispose();
    },
  };
}
