/**
 * What a training run records, as plain data (JSON Schema + derived type). Timings are not
 * part of it, so the same config, seed, backend and runtime give an identical result.
 */
import type { FromSchema } from "json-schema-to-ts";

const numbers = { type: "array", items: { type: "number" } } as const;

export const epochMetricsSchema = {
  type: "object",
  properties: {
    epoch: { type: "integer", minimum: 1 },
    lossSum: { type: "number", description: "sum of the batch losses (source 000's epoch_loss)" },
    lossMean: { type: "number", description: "mean of the batch losses" },
    trainAccuracy: { type: "number", description: "exact fraction of training rows classified right during the epoch, before each batch's update" },
    trainLoss: { type: "number", description: "loss on the whole training set after the epoch, inference mode" },
    trainEvalAccuracy: { type: "number", description: "accuracy on the whole training set after the epoch, inference mode" },
    testLoss: { type: "number" },
    testAccuracy: { type: "number" },
  },
  required: ["epoch", "lossSum", "lossMean"],
  additionalProperties: false,
} as const;
/**
 * One epoch's loss and accuracy (train and test) in a train result.
 *
 * @example
 * const last: EpochMetrics = result.epochs[result.epochs.length - 1];
 */
export type EpochMetrics = FromSchema<typeof epochMetricsSchema>;

export const stepRecordSchema = {
  type: "object",
  description: "Gradient statistics at one iteration, on that iteration's batch, before the update; arrays follow parameterNames.",
  properties: {
    iteration: { type: "integer", minimum: 0 },
    epoch: { type: "integer", minimum: 1 },
    loss: { type: "number" },
    meanAbs: numbers,
    l2: numbers,
    globalNorm: { type: "number" },
    clippedL2: numbers,
    clippedGlobalNorm: { type: "number" },
    values: { type: "array", items: numbers, description: "every gradient element, per parameter (when asked)" },
  },
  required: ["iteration", "epoch", "loss", "meanAbs", "l2", "globalNorm"],
  additionalProperties: false,
} as const;
/**
 * One recorded step: per-layer gradient statistics (mean |∂L/∂W|, norms) at that iteration.
 *
 * @example
 * const first: StepRecord = result.steps[0]; console.log(first.iteration, first.meanAbs);
 */
export type StepRecord = FromSchema<typeof stepRecordSchema>;

export const snapshotSchema = {
  type: "object",
  description: "Every element of the weights (and of the last batch's gradients) at the end of an epoch; epoch 0 = initialization.",
  properties: {
    epoch: { type: "integer", minimum: 0 },
    weights: { type: "array", items: numbers },
    gradients: { type: "array", items: numbers },
  },
  required: ["epoch", "weights"],
  additionalProperties: false,
} as const;
export type Snapshot = FromSchema<typeof snapshotSchema>;

export const trainResultSchema = {
  type: "object",
  properties: {
    engine: { enum: ["autodiff", "fast-dense"], description: "which engine computed the gradients (they agree within float32 rounding, not bitwise)" },
    parameterNames: { type: "array", items: { type: "string" } },
    parameterShapes: { type: "array", items: { type: "array", items: { type: "integer" } } },
    iterations: { type: "integer", minimum: 0 },
    iterationsPerEpoch: { type: "integer", minimum: 0 },
    epochs: { type: "array", items: epochMetricsSchema },
    steps: { type: "array", items: stepRecordSchema },
    snapshots: { type: "array", items: snapshotSchema },
  },
  required: ["engine", "parameterNames", "parameterShapes", "iterations", "iterationsPerEpoch", "epochs", "steps", "snapshots"],
  additionalProperties: false,
} as const;
/**
 * What `train` returns: the engine it used, per-epoch metrics, the recorded steps and snapshots.
 *
 * @example
 * const result: TrainResult = await train(spec, config, data);
 */
export type TrainResult = FromSchema<typeof trainResultSchema>;
