/**
 * The gradient-flow diagnosis of a tfjs-layers model at its current weights, on one batch:
 * the model's own layers (tfjs-layers' `apply`) run forward, tfjs autodiff runs backward, and
 * every layer's output and weights are measured on the way. See docs/check.md.
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { environment, runtimeInfo } from "../backend/mod.ts";
import { type CheckBatch, standardNormalBatch } from "./batch.ts";
import { chooseLoss, type CheckLossName, lossFunction, makeTargets, outputWidth } from "./check-loss.ts";
import { CHECK_REPORT_FORMAT, type CheckReport } from "./check-report.ts";
import { diagnose } from "./diagnose.ts";
import { type ChainLayer, layerChain } from "./layer-chain.ts";
import { CHECK_THRESHOLDS } from "./thresholds.ts";

/** Rows of the standard-normal batch when none is given. */
export const DEFAULT_CHECK_ROWS = 256;

/**
 * Options of `checkModel`: the batch (or standard-normal rows), the loss, the thresholds.
 *
 * @example
 * const report = await checkModel(model, { seed: 1, batch: standardNormalBatch(256, 784, 1) });
 */
export interface CheckOptions {
  /** the seed of every random choice (standard-normal inputs, random targets) */
  seed: number;
  /** the batch to measure on (its targets are used when it has them); default: standard normal */
  batch?: CheckBatch;
  /** rows of the standard-normal batch (default 256) */
  rows?: number;
  /** "auto" (default): the compiled loss, else one chosen from the output layer (check-loss.ts) */
  loss?: "auto" | CheckLossName;
  /** names the model in errors and the report: its model.json (default "in-memory") */
  source?: string;
}

/** What the layers measure, before verdicts: numbers as measured (NaN and ±Inf kept). */
export interface FlowMeasurement {
  loss: number;
  /** the input x as the first layer gets it */
  input: { forwardVariance: number; backwardVariance: number };
  inputFeatures: number;
  layers: {
    forwardMean: number;
    forwardVariance: number;
    backwardVariance: number;
    saturatedShare: number | null;
    deadShare: number | null;
    weights: { name: string; shape: number[]; meanAbsGradient: number; gradientL2: number; kernel: boolean }[];
  }[];
}

const MODE = "batch normalization on the batch's own statistics (training mode, as a training step sees it; its moving averages are put back afterwards); dropout off (its masks are random per step: the diagnosis follows the expected signal path)";

/**
 * Diagnoses gradient flow in `model` at its current weights: per layer mean |∂L/∂W| and its
 * ratio to the last layer's, forward and backward variances and their layer-to-layer ratios
 * (the Glorot condition), saturated sigmoid/tanh units and dead ReLUs, the global gradient
 * norm, and verdicts (healthy, vanishing, exploding) from CHECK_THRESHOLDS. The model is left
 * as it was.
 *
 * @example
 * const report = await checkModel(model, { seed: 7 });
 * report.verdict; // "vanishing"
 * report.layers[0].kernel?.ratioToLast; // 0.003
 */
export async function checkModel(model: tfl.LayersModel, options: CheckOptions): Promise<CheckReport> {
  const source = options.source ?? "in-memory";
  const chain = layerChain(model, source);
  const inputShape = model.inputs[0]!.shape.slice(1);
  if (inputShape.some((d) => d === null)) throw new Error(`${source}: input shape [${inputShape.join(", ")}] has an unknown dimension; check needs a fixed input shape`);
  const features = (inputShape as number[]).reduce((a, b) => a * b, 1);
  const outShape = model.outputs[0]!.shape;
  if (outShape.length !== 2) throw new Error(`${source}: output shape [${outShape.join(", ")}]; check takes outputs of one dimension per row`);
  const rows = options.rows ?? DEFAULT_CHECK_ROWS;
  if (!Number.isInteger(rows) || rows < 2) throw new Error(`rows: expected an integer ≥ 2, got ${rows}`);
  const batch = options.batch ?? standardNormalBatch(rows, features, options.seed);
  if (batch.features !== features) {
    throw new Error(`${batch.source}: ${batch.features} features per row; the model's input [${inputShape.join(", ")}] takes ${features}`);
  }
  const choice = chooseLoss(model, chain, options.loss ?? "auto", source);
  const width = outputWidth(model);
  const { targets, origin } = makeTargets(choice, batch, width, options.seed, batch.source);
  let measured: FlowMeasurement;
  try {
    measured = await measureFlow(model, chain, batch, inputShape as number[], targets, lossFunction(choice.name));
  } finally {
    targets.dispose();
  }
  return diagnose(measured, chain, {
    format: CHECK_REPORT_FORMAT,
    model: {
      source,
      name: model.name,
      className: model.getClassName(),
      inputShape: model.inputs[0]!.shape.slice(1),
      outputUnits: width,
      parameters: model.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0),
    },
    batch: { source: batch.source, rows: batch.rows, features, preprocessing: batch.preprocessing, targets: origin, seed: options.seed },
    loss: { name: choice.name, origin: choice.origin, why: choice.why, value: null },
    mode: MODE,
    environment: describeEnvironment(),
    thresholds: CHECK_THRESHOLDS,
  });
}

function describeEnvironment(): CheckReport["environment"] {
  try {
    const e = environment();
    return { backend: e.backend, device: e.device, runtime: e.runtime, runtimeVersion: e.runtimeVersion, tfjsVersion: e.tfjsVersion };
  } catch {
    // a backend chosen by tfjs itself, not through gradlab's useBackend
    const r = runtimeInfo();
    return { backend: tf.getBackend(), runtime: r.runtime, runtimeVersion: r.runtimeVersion, tfjsVersion: tf.version_core };
  }
}

/** The tf.Variable behind a tfjs-layers weight. */
function variableOf(w: tfl.LayerVariable): tf.Variable {
  const v = w.read();
  if (!(v instanceof tf.Variable)) throw new Error(`weight ${w.name}: not a tf.Variable`);
  return v;
}

/**
 * One forward pass through the chain with a zero "probe" added to the input and to every
 * layer's output, one backward pass for the loss's gradient with respect to every trainable
 * weight and every probe (∂L/∂probe = ∂L/∂output), then every statistic in one read.
 */
async function measureFlow(
  model: tfl.LayersModel,
  chain: readonly ChainLayer[],
  batch: CheckBatch,
  inputShape: number[],
  targets: tf.Tensor2D,
  lossOf: (targets: tf.Tensor2D, output: tf.Tensor) => tf.Scalar,
): Promise<FlowMeasurement> {
  const shapes = chain.map(outputShapeOf);
  const weights = chain.map((l) => l.layer.trainableWeights.map((w) => ({ w, v: variableOf(w) })));
  // Batch normalization in training mode updates its moving averages: keep them to put back.
  const saved = chain.flatMap((l) => (l.className === "BatchNormalization" ? l.layer.nonTrainableWeights.map((w) => ({ w, value: tf.clone(w.read()) })) : []));
  const x = tf.tensor(batch.x, [batch.rows, ...inputShape]);
  // (made in a tidy: a variable shares its initial tensor's data, which the tidy then frees)
  const probe0 = tf.tidy(() => tf.variable(tf.zerosLike(x), true));
  const probes = shapes.map((shape) => tf.tidy(() => tf.variable(tf.zeros([batch.rows, ...shape]), true)));
  const outputs: tf.Tensor[] = [];
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(() => {
      let h: tf.Tensor = tf.add(x, probe0);
      chain.forEach((l, i) => {
        if (l.className !== "InputLayer") h = l.layer.apply(h, { training: l.className !== "Dropout" }) as tf.Tensor;
        h = tf.add(h, probes[i]!);
        outputs[i] = tf.keep(h);
      });
      return lossOf(targets, h);
    }, [...weights.flat().map((e) => e.v), probe0, ...probes]);
  } catch (e) {
    tf.dispose([x, probe0, ...probes, ...outputs]);
    throw e;
  } finally {
    for (const { w, value } of saved) {
      w.write(value);
      value.dispose();
    }
  }
  const { value, grads } = result;
  try {
    const stats = tf.tidy(() => {
      const parts: tf.Tensor[] = [value];
      const moments = (t: tf.Tensor) => tf.moments(t);
      const g0 = grads[probe0.name]!;
      parts.push(moments(x).variance, moments(g0).variance);
      chain.forEach((l, i) => {
        const h = outputs[i]!;
        const m = moments(h);
        parts.push(m.mean, m.variance, moments(grads[probes[i]!.name]!).variance);
        parts.push(saturation(l.activation, h) ?? tf.scalar(NaN), dead(l.activation, h, batch.rows) ?? tf.scalar(NaN));
        for (const { v } of weights[i]!) {
          const g = grads[v.name]!;
          parts.push(tf.mean(tf.abs(g)), tf.norm(g));
        }
      });
      return tf.stack(parts.map((p) => tf.reshape(p, [])));
    });
    const s = Array.from(await stats.data());
    stats.dispose();
    let k = 0;
    const next = () => s[k++]!;
    const loss = next();
    const input = { forwardVariance: next(), backwardVariance: next() };
    const layers = chain.map((l, i) => ({
      forwardMean: next(),
      forwardVariance: next(),
      backwardVariance: next(),
      saturatedShare: ((v) => (l.activation === "sigmoid" || l.activation === "tanh" ? v : null))(next()),
      deadShare: ((v) => (isRelu(l.activation) ? v : null))(next()),
      weights: weights[i]!.map(({ w }) => ({
        name: w.originalName,
        shape: [...w.shape] as number[],
        meanAbsGradient: next(),
        gradientL2: next(),
        kernel: l.dense && /kernel$/.test(w.originalName),
      })),
    }));
    return { loss, input, inputFeatures: batch.features, layers };
  } finally {
    tf.dispose([value, ...Object.values(grads), x, probe0, ...probes, ...outputs]);
  }
}

/** A layer's output shape without the batch dimension. */
function outputShapeOf(l: ChainLayer): number[] {
  const shape = (l.layer.outputShape as (number | null)[]).slice(1);
  if (shape.some((d) => d === null)) throw new Error(`layer ${l.index} "${l.name}": output shape [${shape.join(", ")}] has an unknown dimension`);
  return shape as number[];
}

function isRelu(activation: string | null): boolean {
  return activation === "relu" || activation === "relu6";
}

/** Share of unit activations whose derivative is below the threshold's fraction of its maximum (sigmoid, tanh). */
function saturation(activation: string | null, h: tf.Tensor): tf.Scalar | null {
  const f = CHECK_THRESHOLDS.saturation.derivativeFraction;
  if (activation === "sigmoid") return tf.mean(tf.cast(tf.less(tf.mul(h, tf.sub(1, h)), 0.25 * f), "float32")) as tf.Scalar;
  if (activation === "tanh") return tf.mean(tf.cast(tf.less(tf.sub(1, tf.square(h)), 1 * f), "float32")) as tf.Scalar;
  return null;
}

/** Share of units (columns) whose output is ≤ 0 on every row (ReLU). */
function dead(activation: string | null, h: tf.Tensor, rows: number): tf.Scalar | null {
  if (!isRelu(activation)) return null;
  return tf.mean(tf.cast(tf.lessEqual(tf.max(tf.reshape(h, [rows, -1]), 0), 0), "float32")) as tf.Scalar;
}
