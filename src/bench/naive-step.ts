/**
 * The naive formulation the speed-up is measured against: tfjs autodiff
 * (`tf.variableGrads`) and tfjs's own optimizer (`optimizer.applyGradients`), the way a
 * tfjs tutorial writes a training step.
 */
import * as tf from "@tensorflow/tfjs-core";
import { forward, loss as lossOf, type Model, type TrainConfig } from "../core/mod.ts";

/**
 * A step function over (x, one-hot or regression targets) for the model and config.
 *
 * @example
 * const step = naiveStep(model, config); step(x, y);
 */
export function naiveStep(model: Model, config: TrainConfig): { step(x: tf.Tensor2D, y: tf.Tensor2D): Promise<void>; dispose(): void } {
  const o = config.optimizer;
  const optimizer = o.name === "adam"
    ? tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon)
    : o.name === "momentum"
    ? tf.train.momentum(o.learningRate, o.momentum, o.nesterov)
    : tf.train.sgd(o.learningRate);
  const vars = model.parameters.map((p) => p.variable);
  return {
    async step(x, y) {
      const value = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => lossOf(config.loss, forward(model, x, "train").output, y), vars);
        optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        return value;
      });
      // Read the loss as a training loop does (asynchronously: webgpu has no synchronous read here).
      await value.data();
      value.dispose();
    },
    dispose() {
      optimizer.dispose();
    },
  };
}
