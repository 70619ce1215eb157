/**
 * The training loop: batches → loss and gradients → checks → recording → clipping → update.
 * Deterministic: the same config, seed, backend and runtime give a bitwise-identical result.
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchCount, batchTensors, gatherBatch } from "./batches.ts";
import { updateMovingAverage } from "./batchnorm.ts";
import { clipByGlobalNorm, clipByNorm, clipByValue, globalNorm } from "./clipping.ts";
import { checkDataset, type TrainData } from "./dataset.ts";
import { evaluate } from "./evaluate.ts";
import { lossAndGradients, type LossAndGradients } from "./gradients.ts";
import { isClassification } from "./losses.ts";
import { createModel, disposeModel, forward, type Model, readParameters } from "./model.ts";
import type { ModelSpec } from "./model-spec.ts";
import { nonFiniteLossError, throwOnNonFiniteGradient } from "./nonfinite.ts";
import { createOptimizer } from "./optimizers/mod.ts";
import { Rng } from "./random.ts";
import type { ClippingSpec, TrainConfig } from "./train-config.ts";
import type { EpochMetrics, Snapshot, StepRecord, TrainResult } from "./train-result.ts";

/** Progress reported after every iteration. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  iteration: number;
  iterations: number;
  loss: number;
}

/**
 * Computes loss and gradients for one batch; the default is tfjs autodiff
 * (`lossAndGradients`). A faster formulation may be plugged in if it computes the same math.
 */
export type StepFunction = (model: Model, x: tf.Tensor2D, targets: tf.Tensor2D, loss: TrainConfig["loss"]) => LossAndGradients;

export interface TrainOptions {
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (m: EpochMetrics) => void;
  step?: StepFunction;
}

function clip(spec: ClippingSpec, grads: tf.Tensor[]): tf.Tensor[] {
  switch (spec.name) {
    case "none": return grads;
    case "value": return grads.map((g) => clipByValue(g, spec.min, spec.max));
    case "norm": return grads.map((g) => clipByNorm(g, spec.maxNorm));
    case "globalNorm": return clipByGlobalNorm(grads, spec.maxNorm).clipped;
  }
}

async function valuesOf(tensors: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => Array.from(await t.data())));
}

/** Names the first parameter, then the first layer output, that is non-finite (for a non-finite loss). */
async function locateNonFiniteForward(model: Model, x: tf.Tensor2D): Promise<string> {
  for (const p of model.parameters) {
    const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(p.variable))));
    const isBad = (await bad.data())[0];
    bad.dispose();
    if (isBad) return `parameter ${p.name} (layer ${p.layer}) holds a non-finite value`;
  }
  const { trace } = forward(model, x, "train", { trace: true });
  let found = "no layer output is non-finite (the loss itself overflowed)";
  for (let i = 0; i < trace.length; i++) {
    const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(trace[i].output))));
    const isBad = (await bad.data())[0];
    bad.dispose();
    if (isBad) {
      found = `the output of layer ${i + 1} is the first non-finite one`;
      break;
    }
  }
  tf.dispose(trace.flatMap((t) => [t.preActivation, t.output]));
  return found;
}

/**
 * Trains a model from its spec and returns everything the config asked to record.
 *
 * @example
 * const result = await train(denseStack(2, [4, 1], { name: "tanh" }, { name: "torchDefault" }), config, data);
 */
export async function train(spec: ModelSpec, config: TrainConfig, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  checkDataset(data.train, "training set");
  if (data.test) checkDataset(data.test, "test set");
  if (data.train.features !== spec.inputSize) {
    throw new Error(`model inputSize is ${spec.inputSize} but the training set has ${data.train.features} features`);
  }
  const outputs = spec.layers[spec.layers.length - 1].units;
  const width = data.train.y.kind === "classes" ? data.train.y.classes : data.train.y.outputs;
  if (outputs !== width) throw new Error(`the last layer has ${outputs} units but the targets have width ${width}`);
  if (isClassification(config.loss) !== (data.train.y.kind === "classes")) {
    throw new Error(`loss ${config.loss} does not fit ${data.train.y.kind} targets`);
  }

  const rng = new Rng(config.seed);
  const shuffleRng = rng.fork("shuffle");
  const model = createModel(spec, rng.fork("init"));
  const vars = model.parameters.map((p) => p.variable);
  const names = model.parameters.map((p) => p.name);
  const layers = model.parameters.map((p) => p.layer);
  const shapes = model.parameters.map((p) => [...p.variable.shape]);
  const optimizer = createOptimizer(config.optimizer, vars);
  const step = options.step ?? lossAndGradients;
  const { every } = config.record;

  const perEpoch = batchCount(data.train.rows, config.batchSize);
  const total = perEpoch * config.epochs;
  const epochs: EpochMetrics[] = [];
  const steps: StepRecord[] = [];
  const snapshots: Snapshot[] = [];
  if (config.record.initialValues) {
    snapshots.push({ epoch: 0, weights: Object.values(await readParameters(model)).map((v) => Array.from(v)) });
  }

  let iteration = 0;
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = config.shuffle ? shuffleRng.permutation(data.train.rows) : null;
      let lossSum = 0;
      let correct = 0;
      let lastGradients: number[][] | undefined;
      for (let b = 0; b < perEpoch; b++) {
        const where = { iteration, epoch, batch: b };
        const start = b * config.batchSize;
        const rows = Math.min(config.batchSize, data.train.rows - start);
        const batch = batchTensors(gatherBatch(data.train, order, start, rows), data.train.features);
        const r = step(model, batch.x, batch.targets, config.loss);
        // One read per step: the loss, the correct count and a probe that is NaN iff some gradient is non-finite.
        const probe = tf.tidy(() => {
          const hits = batch.labels ? tf.sum(tf.cast(tf.equal(tf.argMax(r.output, 1), batch.labels), "float32")) : tf.scalar(0);
          const nonFinite = tf.addN(r.gradients.map((g) => tf.sum(tf.mul(g, 0))));
          return tf.stack([r.loss, hits, nonFinite]);
        });
        const [lossValue, hits, nonFinite] = await probe.data();
        probe.dispose();
        if (!Number.isFinite(lossValue)) throw nonFiniteLossError(lossValue, where, await locateNonFiniteForward(model, batch.x));
        if (!Number.isFinite(nonFinite)) await throwOnNonFiniteGradient(names, layers, r.gradients, where);
        lossSum += lossValue;
        correct += hits;

        const clipped = clip(config.clipping, r.gradients);
        if (every > 0 && iteration % every === 0) {
          const clippedToo = config.clipping.name !== "none";
          const stats = tf.tidy(() =>
            tf.stack([
              ...r.gradients.map((g) => tf.mean(tf.abs(g))),
              ...r.gradients.map((g) => tf.norm(g)),
              globalNorm(r.gradients),
              ...(clippedToo ? [...clipped.map((g) => tf.norm(g)), globalNorm(clipped)] : []),
            ])
          );
          const s = Array.from(await stats.data());
          stats.dispose();
          const n = names.length;
          const record: StepRecord = {
            iteration,
            epoch,
            loss: lossValue,
            meanAbs: s.slice(0, n),
            l2: s.slice(n, 2 * n),
            globalNorm: s[2 * n],
          };
          if (clippedToo) {
            record.clippedL2 = s.slice(2 * n + 1, 3 * n + 1);
            record.clippedGlobalNorm = s[3 * n + 1];
          }
          if (config.record.gradientValues) record.values = await valuesOf(r.gradients);
          steps.push(record);
        }
        if (config.record.epochEndValues && b === perEpoch - 1) lastGradients = await valuesOf(r.gradients);

        optimizer.apply(clipped);
        for (const s of r.batchStats) {
          const bn = model.spec.layers[s.layer - 1].batchNorm!;
          const state = model.batchNorm[s.layer - 1]!;
          updateMovingAverage(state.movingMean, s.mean, bn.momentum);
          updateMovingAverage(state.movingVariance, s.variance, bn.momentum);
        }
        tf.dispose([r.loss, r.output, ...r.gradients, ...r.batchStats.flatMap((s) => [s.mean, s.variance])]);
        if (clipped !== r.gradients) tf.dispose(clipped);
        tf.dispose([batch.x, batch.targets, ...(batch.labels ? [batch.labels] : [])]);
        options.onProgress?.({ epoch, epochs: config.epochs, iteration, iterations: total, loss: lossValue });
        iteration++;
      }

      const m: EpochMetrics = { epoch, lossSum, lossMean: lossSum / perEpoch };
      if (isClassification(config.loss)) m.trainAccuracy = correct / data.train.rows;
      if (config.evaluateTrainSet) {
        const ev = await evaluate(model, data.train, config.loss);
        m.trainLoss = ev.loss;
        if (ev.accuracy !== undefined) m.trainEvalAccuracy = ev.accuracy;
      }
      if (data.test) {
        const ev = await evaluate(model, data.test, config.loss);
        m.testLoss = ev.loss;
        if (ev.accuracy !== undefined) m.testAccuracy = ev.accuracy;
      }
      epochs.push(m);
      options.onEpoch?.(m);
      if (config.record.epochEndValues) {
        const snap: Snapshot = { epoch, weights: Object.values(await readParameters(model)).map((v) => Array.from(v)) };
        if (lastGradients) snap.gradients = lastGradients;
        snapshots.push(snap);
      }
    }
  } finally {
    optimizer.dispose();
    disposeModel(model);
  }
  return {
    parameterNames: names,
    parameterShapes: shapes,
    iterations: iteration,
    iterationsPerEpoch: perEpoch,
    epochs,
    steps,
    snapshots,
  };
}
