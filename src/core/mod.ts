/** The training core: model specs, initializers, activations, batch norm, clipping, optimizers, training. */
export * from "./activations.ts";
export * from "./batches.ts";
export * from "./batchnorm.ts";
export * from "./clipping.ts";
export * from "./dataset.ts";
export * from "./evaluate.ts";
export * from "./gradients.ts";
export * from "./initializers.ts";
export * from "./losses.ts";
export * from "./model.ts";
export * from "./model-spec.ts";
export * from "./nonfinite.ts";
export * from "./optimizers/mod.ts";
export * from "./random.ts";
export * from "./train.ts";
export * from "./train-config.ts";
export * from "./train-result.ts";
