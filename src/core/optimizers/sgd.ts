/** Plain stochastic gradient descent: θ ← θ − lr·g. */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "../fault-points.ts";
import { checkGradients, type Optimizer } from "./optimizer.ts";

/**
 * @example
 * const opt = sgd(model.trainableVariables, { learningRate: 0.1 });
 * opt.apply(grads);
 */
export function sgd(variables: tf.Variable[], options: { learningRate: number }): Optimizer {
  const lr = options.learningRate;
  return {
    apply(gradients) {
      checkGradients(variables, gradients);
      const step = fault("optimizers/sgd-half-step") ? lr / 2 : lr;
      tf.tidy(() => variables.forEach((v, i) => v.assign(tf.sub(v, tf.mul(gradients[i], step)))));
    },
    dispose() {},
  };
}
