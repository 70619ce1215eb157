/** The training core: model specs, initializers, activations, batch norm, clipping, optimizers, training. */
export * from "./activations.ts";
export * from "./batches.ts";
export * from "./batchnorm.ts";
export * from "./clipping.ts";
export * from "./dataset.ts";
export * from "./engine.ts";
export * from "./evaluate.ts";
export {
  type BatchLayout, fastDenseUnsupported, type FastEngineOptions, kernelMemoryBytes, kernelMultiplyByDerivative, prepareFastEngine, sharedBatchLayout, threadsFor,
} from "./fast/mod.ts";
export { FAULT_POINTS, type FaultPoint, withFaultPoint } from "./fault-points.ts";
export { autodiffEngine, gradientStatsFromRow, locateNonFiniteForward, type StepFunction } from "./autodiff-engine.ts";
export { accurateGlobalNorm, globalNormFromParts, globalNormParts, globalNormPartsOfRows } from "./global-norm.ts";
export * from "./gradients.ts";
export * from "./initializers.ts";
export * from "./losses.ts";
export * from "./memory-check.ts";
export * from "./model.ts";
export * from "./model-spec.ts";
export * from "./nonfinite.ts";
export * from "./optimizers/mod.ts";
export { chooseEngine, type EngineOptions, prepareEngine } from "./prepare-engine.ts";
export * from "./random.ts";
export * from "./train.ts";
export * from "./train-config.ts";
export * from "./train-result.ts";
export * from "./validate.ts";
