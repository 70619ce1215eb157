/** What every optimizer offers the training loop. */
import * as tf from "@tensorflow/tfjs-core";

/**
 * What every optimizer offers the training loop: one step from gradients.
 *
 * @example
 * const opt: Optimizer = createOptimizer({ name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, variables);
 */
export interface Optimizer {
  /** Applies one update to the variables it was created for, from gradients in the same order. */
  apply(gradients: tf.Tensor[]): void;
  /** Frees the optimizer's slot variables. */
  dispose(): void;
}

/** Slot variables (momentum, Adam moments) start at zero, one per trained variable (tfjs names them). */
export function zeroSlots(variables: tf.Variable[]): tf.Variable[] {
  return variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
}

/** Throws unless there is one gradient per variable with the same shape. */
export function checkGradients(variables: tf.Variable[], gradients: tf.Tensor[]): void {
  if (gradients.length !== variables.length) {
    throw new Error(`optimizer: ${gradients.length} gradients for ${variables.length} variables`);
  }
  variables.forEach((v, i) => {
    if (v.size !== gradients[i].size) throw new Error(`optimizer: gradient ${i} has shape [${gradients[i].shape}], variable ${v.name} has [${v.shape}]`);
  });
}
