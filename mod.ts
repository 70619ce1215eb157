/**
 * gradlab as a library: train dense nets with per-layer gradient recording, check a
 * tfjs-layers model's gradient flow, and check your own activations, layers, optimizers and
 * clipping against the numeric laws — from Bun, Deno or Node, on tfjs's cpu and wasm
 * backends (WebGPU under Deno).
 *
 * The names below are re-exported from the modules' own entries (`src/<module>/mod.ts`,
 * `properties/mod.ts`); this file only chooses which of them are the public surface.
 *
 * @example
 * import { assertLaw, sigmoidDerivative } from "@gradlab/gradlab";
 * import * as tf from "@tensorflow/tfjs-core";
 *
 * const mySigmoid = (z: tf.Tensor) => tf.div(1, tf.add(1, tf.exp(tf.neg(z))));
 * await assertLaw(sigmoidDerivative((_spec, z) => mySigmoid(z)), { backend: "cpu" });
 *
 * @module
 */

// Choosing the backend
export { type Backend, type BackendName, BACKEND_NAMES, BackendRefusedError, chosenBackend, listBackends, useBackend } from "./src/backend/mod.ts";

// Training: the model spec, activations, initializers, optimizers, clipping, the gradient recorder
export {
  activate, type ActivationSpec, clipByGlobalNorm, clipByNorm, clipByValue, type ClippingSpec, createModel, createOptimizer, denseStack,
  derivativeFromOutput, disposeModel, type EpochMetrics, forward, globalNorm, type InitializerSpec, initialValues, type LayerSpec, type Model,
  type ModelSpec, NonFiniteError, type Optimizer, type OptimizerSpec, type RecordSpec, Rng, type StepRecord, train, type TrainConfig,
  type TrainData, type TrainOptions, type TrainResult,
} from "./src/core/mod.ts";

// Checking a tfjs-layers model's gradient flow
export { type CheckOptions as CheckModelOptions, checkModel, type CheckReport, checkText, CHECK_THRESHOLDS, standardNormalBatch } from "./src/check/mod.ts";

// Judging a claim over seeds
export { judgeOverSeeds, proportionInterval, type SeedJudgement, type SeedOutcome } from "./src/statistics/mod.ts";

// The laws, for the core and for your own implementations
export {
  type Activate, assertLaw, type AssertLawOptions, BACKEND_TOLERANCE, type BuildDenseLayer, clipByGlobalNormLaw, clipByNormLaw, clipByValueLaw,
  type ClipByGlobalNorm, type ClipByNorm, type ClipByValue, type CreateModel, type CreateOptimizer, type DenseLayerUnderTest, eluDerivative,
  glorotCondition, glorotConditionOfLayer, gradientCheck, type Law, LAWS, LawViolation, leakyReluDerivative, type OptimizerName, optimizerStep,
  reluDerivative, seluDerivative, sigmoidDerivative, tanhDerivative, varianceThroughDepth,
} from "./properties/mod.ts";
