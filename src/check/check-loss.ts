/**
 * Which loss `check` differentiates, and its targets. The model's compiled loss when it has
 * one (tfjs-layers' own function, as `model.fit` would use); else the loss its output layer
 * is trained with: softmax → categorical cross-entropy, sigmoid → binary cross-entropy, a
 * linear output with ≥ 2 units → softmax cross-entropy on it as logits, anything else → mean
 * squared error. Targets come from the data when it has them, else are drawn from the seed.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { loss as coreLoss, Rng } from "../core/mod.ts";
import type { CheckBatch } from "./batch.ts";
import type { ChainLayer } from "./layer-chain.ts";

/** The losses `check` computes (tfjs-layers' names; softmaxCrossEntropy is gradlab's, on logits). */
export const CHECK_LOSSES = [
  "categoricalCrossentropy",
  "sparseCategoricalCrossentropy",
  "binaryCrossentropy",
  "softmaxCrossEntropy",
  "meanSquaredError",
  "meanAbsoluteError",
] as const;
export type CheckLossName = (typeof CHECK_LOSSES)[number];

/** Keras and tfjs spellings of the same losses. */
const ALIASES: Record<string, CheckLossName> = {
  mse: "meanSquaredError",
  MSE: "meanSquaredError",
  mae: "meanAbsoluteError",
  MAE: "meanAbsoluteError",
  categorical_crossentropy: "categoricalCrossentropy",
  sparse_categorical_crossentropy: "sparseCategoricalCrossentropy",
  binary_crossentropy: "binaryCrossentropy",
  mean_squared_error: "meanSquaredError",
  mean_absolute_error: "meanAbsoluteError",
};

/** What the targets must be: class labels (one-hot over the outputs), 0/1 per output, or real values. */
export type TargetKind = "classes" | "binary" | "values";

const TARGETS: Record<CheckLossName, TargetKind> = {
  categoricalCrossentropy: "classes",
  sparseCategoricalCrossentropy: "classes",
  softmaxCrossEntropy: "classes",
  binaryCrossentropy: "binary",
  meanSquaredError: "values",
  meanAbsoluteError: "values",
};

/** The loss chosen, and why, for the report. */
export interface LossChoice {
  name: CheckLossName;
  /** "compiled": the model's own; "requested": asked for; "output": chosen from the output layer */
  origin: "compiled" | "requested" | "output";
  why: string;
  targets: TargetKind;
}

/**
 * Picks the loss (see the module comment). `requested` overrides ("auto" or a name).
 *
 * @example
 * chooseLoss(model, chain, "auto"); // { name: "softmaxCrossEntropy", origin: "output", … }
 */
export function chooseLoss(model: tfl.LayersModel, chain: readonly ChainLayer[], requested: "auto" | string, source: string): LossChoice {
  if (requested !== "auto") {
    const name = resolveName(requested);
    if (!name) throw new Error(`--loss: ${JSON.stringify(requested)} is not one of auto, ${CHECK_LOSSES.join(", ")}`);
    return { name, origin: "requested", why: "asked for with --loss", targets: TARGETS[name] };
  }
  const compiled = compiledLoss(model);
  if (compiled !== undefined) {
    if (typeof compiled !== "string") {
      throw new Error(`${source}: the model's compiled loss is a function (${compiled || "anonymous"}), which check cannot name; choose one with --loss (${CHECK_LOSSES.join(", ")})`);
    }
    const name = resolveName(compiled);
    if (!name) throw new Error(`${source}: the model's compiled loss ${JSON.stringify(compiled)} is not one check computes; choose one with --loss (${CHECK_LOSSES.join(", ")})`);
    return { name, origin: "compiled", why: `the model's compiled loss (${compiled}), tfjs-layers' own function, as model.fit uses it`, targets: TARGETS[name] };
  }
  const last = [...chain].reverse().find((l) => l.activation !== null)!;
  const units = outputWidth(model);
  const out = (name: CheckLossName, why: string): LossChoice => ({ name, origin: "output", why: `the model has no compiled loss; ${why}`, targets: TARGETS[name] });
  if (last.activation === "softmax") return out("categoricalCrossentropy", "its output is a softmax, trained with categorical cross-entropy");
  if (last.activation === "sigmoid") return out("binaryCrossentropy", "its output is a sigmoid, trained with binary cross-entropy");
  if (last.activation === "linear" && units >= 2) return out("softmaxCrossEntropy", `its output is linear with ${units} units, read as logits (softmax cross-entropy, as a classifier is trained)`);
  return out("meanSquaredError", `its output (${last.activation}, ${units} unit${units === 1 ? "" : "s"}) is read as a regression (mean squared error)`);
}

function resolveName(name: string): CheckLossName | undefined {
  return (CHECK_LOSSES as readonly string[]).includes(name) ? name as CheckLossName : ALIASES[name];
}

/** The compiled loss: a name, a function's name, or undefined for an uncompiled model. */
function compiledLoss(model: tfl.LayersModel): string | undefined {
  let loss: unknown;
  try {
    loss = model.loss; // Sequential forwards to its inner model, which throws before compile()
  } catch {
    return undefined;
  }
  if (loss === undefined || loss === null || (Array.isArray(loss) && loss.length === 0)) return undefined;
  if (Array.isArray(loss)) loss = loss[0];
  if (typeof loss === "function") return (loss as { name?: string }).name ?? "";
  return typeof loss === "string" ? loss : String(loss);
}

/** Units of the model's output (its last dimension). */
export function outputWidth(model: tfl.LayersModel): number {
  const shape = model.outputs[0]!.shape;
  return shape[shape.length - 1] ?? 1;
}

/**
 * The targets as a [rows, width] tensor: the batch's own when it has them (checked against
 * the loss and the output width), else drawn from `seed`. Returns where they came from.
 *
 * @example
 * const { targets, origin } = makeTargets(choice, batch, 10, 7, "--data x.csv");
 */
export function makeTargets(choice: LossChoice, batch: CheckBatch, width: number, seed: number, where: string): { targets: tf.Tensor2D; origin: string } {
  const rows = batch.rows;
  const values = new Float32Array(rows * width);
  const t = batch.targets;
  if (!t) {
    const rng = new Rng(seed).fork("check/targets");
    if (choice.targets === "classes") {
      for (let r = 0; r < rows; r++) values[r * width + rng.int(width)] = 1;
      return { targets: tf.tensor2d(values, [rows, width]), origin: `random class labels, uniform over ${width} classes, seed ${seed}` };
    }
    if (choice.targets === "binary") {
      for (let i = 0; i < values.length; i++) values[i] = rng.int(2);
      return { targets: tf.tensor2d(values, [rows, width]), origin: `random 0/1 targets, each with probability 1/2, seed ${seed}` };
    }
    for (let i = 0; i < values.length; i++) values[i] = rng.normal();
    return { targets: tf.tensor2d(values, [rows, width]), origin: `random targets N(0, 1), seed ${seed}` };
  }
  if (t.kind === "classes") {
    const limit = choice.targets === "binary" && width === 1 ? 2 : width;
    t.labels.forEach((label, r) => {
      if (label >= limit) throw new Error(`${where}: label ${label} at row ${r} is outside [0, ${limit}): the model's output has ${width} unit${width === 1 ? "" : "s"}${limit !== width ? " (binary labels are 0 or 1)" : ""}`);
      if (width === 1) values[r] = label;
      else values[r * width + label] = 1;
    });
    return { targets: tf.tensor2d(values, [rows, width]), origin: `the data's class labels${width > 1 ? " (one-hot)" : ""}` };
  }
  if (choice.targets === "classes" && choice.name === "sparseCategoricalCrossentropy") throw new Error(`${where}: holds target values; ${choice.name} needs class labels`);
  if (t.width !== width) throw new Error(`${where}: target rows of ${t.width} value${t.width === 1 ? "" : "s"}; the model's output has ${width} unit${width === 1 ? "" : "s"}`);
  return { targets: tf.tensor2d(t.values, [rows, width]), origin: "the data's target values" };
}

/**
 * The loss as a function of targets and outputs, averaged over the batch as `model.fit` does.
 *
 * @example
 * const l = lossFunction("categoricalCrossentropy")(targets, probabilities);
 */
export function lossFunction(name: CheckLossName): (targets: tf.Tensor2D, output: tf.Tensor) => tf.Scalar {
  const perRow = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (y: tf.Tensor2D, out: tf.Tensor) => tf.mean(f(y, out)) as tf.Scalar;
  switch (name) {
    case "categoricalCrossentropy":
    case "sparseCategoricalCrossentropy": // its targets are one-hot here: the same loss
      return perRow(tfl.metrics.categoricalCrossentropy);
    case "binaryCrossentropy":
      return perRow(tfl.metrics.binaryCrossentropy);
    case "meanSquaredError":
      return perRow(tfl.metrics.meanSquaredError);
    case "meanAbsoluteError":
      return perRow(tfl.metrics.meanAbsoluteError);
    case "softmaxCrossEntropy":
      return (y, out) => coreLoss("softmaxCrossEntropy", out as tf.Tensor2D, y);
  }
}
