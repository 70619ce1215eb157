/**
 * The training configuration as plain data (JSON Schema + derived type).
 */
import type { FromSchema } from "json-schema-to-ts";

export const optimizerSchema = {
  oneOf: [
    {
      type: "object",
      description: "Plain SGD: θ ← θ − lr·g.",
      properties: { name: { const: "sgd" }, learningRate: { type: "number", exclusiveMinimum: 0 } },
      required: ["name", "learningRate"],
      additionalProperties: false,
    },
    {
      type: "object",
      description: "Heavy-ball momentum (TF MomentumOptimizer = PyTorch SGD(momentum)): v ← μ·v + g; θ ← θ − lr·v. Nesterov: θ ← θ − lr·(g + μ·v).",
      properties: {
        name: { const: "momentum" },
        learningRate: { type: "number", exclusiveMinimum: 0 },
        momentum: { type: "number", minimum: 0, exclusiveMaximum: 1 },
        nesterov: { type: "boolean" },
      },
      required: ["name", "learningRate", "momentum", "nesterov"],
      additionalProperties: false,
    },
    {
      type: "object",
      description: "Adam in TF1's form (Kingma & Ba 2015, Sec. 2 efficient version): lr_t = lr·√(1−β2^t)/(1−β1^t); θ ← θ − lr_t·m/(√v + ε).",
      properties: {
        name: { const: "adam" },
        learningRate: { type: "number", exclusiveMinimum: 0 },
        beta1: { type: "number", minimum: 0, exclusiveMaximum: 1 },
        beta2: { type: "number", minimum: 0, exclusiveMaximum: 1 },
        epsilon: { type: "number", exclusiveMinimum: 0 },
      },
      required: ["name", "learningRate", "beta1", "beta2", "epsilon"],
      additionalProperties: false,
    },
  ],
} as const;
/**
 * An optimizer in a train config: sgd, momentum or adam with its hyperparameters.
 *
 * @example
 * const opt: OptimizerSpec = { name: "momentum", learningRate: 0.01, momentum: 0.9, nesterov: false };
 */
export type OptimizerSpec = FromSchema<typeof optimizerSchema>;

export const clippingSchema = {
  oneOf: [
    { type: "object", properties: { name: { const: "none" } }, required: ["name"], additionalProperties: false },
    {
      type: "object",
      properties: { name: { const: "value" }, min: { type: "number" }, max: { type: "number" } },
      required: ["name", "min", "max"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: { name: { enum: ["norm", "globalNorm"] }, maxNorm: { type: "number", exclusiveMinimum: 0 } },
      required: ["name", "maxNorm"],
      additionalProperties: false,
    },
  ],
} as const;
/**
 * Gradient clipping in a train config: by global norm, per-tensor norm or value.
 *
 * @example
 * const clip: ClippingSpec = { name: "globalNorm", maxNorm: 1 };
 */
export type ClippingSpec = FromSchema<typeof clippingSchema>;

export const recordSchema = {
  type: "object",
  description: "What the gradient recorder keeps.",
  properties: {
    every: { type: "integer", minimum: 0, description: "record per-tensor gradient statistics every N iterations (global counter from 0, before the update); 0 = never" },
    gradientValues: { type: "boolean", description: "keep every gradient element at the recorded iterations" },
    epochEndValues: { type: "boolean", description: "at the end of each epoch keep every weight and the last batch's gradient elements" },
    initialValues: { type: "boolean", description: "keep every weight at initialization" },
  },
  required: ["every"],
  additionalProperties: false,
} as const;
/**
 * What the gradient recorder keeps per layer, and how often.
 *
 * @example
 * const record: RecordSpec = { every: 10 };
 */
export type RecordSpec = FromSchema<typeof recordSchema>;

export const trainConfigSchema = {
  type: "object",
  properties: {
    loss: { enum: ["softmaxCrossEntropy", "sparseSoftmaxCrossEntropy", "mse"] },
    optimizer: optimizerSchema,
    batchSize: { type: "integer", minimum: 1 },
    epochs: { type: "integer", minimum: 0 },
    shuffle: { type: "boolean", description: "reshuffle the training rows every epoch (seeded); false = file order" },
    clipping: clippingSchema,
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
    record: recordSchema,
    evaluateTrainSet: { type: "boolean", description: "after each epoch also evaluate the whole training set in inference mode" },
  },
  required: ["loss", "optimizer", "batchSize", "epochs", "shuffle", "clipping", "seed", "record"],
  additionalProperties: false,
} as const;
/**
 * How to train: epochs, batch size, loss, optimizer, clipping, recording, seed.
 *
 * @example
 * const config: TrainConfig = {
 *   loss: "sparseSoftmaxCrossEntropy", optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 32, epochs: 1,
 *   shuffle: true, clipping: { name: "none" }, seed: 1, record: { every: 10 },
 * };
 */
export type TrainConfig = FromSchema<typeof trainConfigSchema>;
