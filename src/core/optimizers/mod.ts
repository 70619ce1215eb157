/** Optimizers by spec. */
import type * as tf from "@tensorflow/tfjs-core";
import type { OptimizerSpec } from "../train-config.ts";
import { adam } from "./adam.ts";
import { momentum } from "./momentum.ts";
import type { Optimizer } from "./optimizer.ts";
import { sgd } from "./sgd.ts";

export { adam, adamStepSize } from "./adam.ts";
export { momentum } from "./momentum.ts";
export { sgd } from "./sgd.ts";
export type { Optimizer } from "./optimizer.ts";

/**
 * Creates the optimizer a spec names, for the given variables.
 *
 * @example
 * const opt = createOptimizer({ name: "sgd", learningRate: 0.1 }, vars);
 */
export function createOptimizer(spec: OptimizerSpec, variables: tf.Variable[]): Optimizer {
  switch (spec.name) {
    case "sgd": return sgd(variables, spec);
    case "momentum": return momentum(variables, spec);
    case "adam": return adam(variables, spec);
  }
}
