/**
 * Heavy-ball momentum, as TF's MomentumOptimizer and PyTorch's SGD(momentum) compute it:
 * v ← μ·v + g; θ ← θ − lr·v. With Nesterov: θ ← θ − lr·(g + μ·v) (with the new v).
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "../fault-points.ts";
import { checkGradients, type Optimizer, zeroSlots } from "./optimizer.ts";

/**
 * @example
 * const opt = momentum(vars, { learningRate: 0.01, momentum: 0.9, nesterov: false });
 */
export function momentum(
  variables: tf.Variable[],
  options: { learningRate: number; momentum: number; nesterov: boolean },
): Optimizer {
  const { learningRate: lr, momentum: mu, nesterov } = options;
  const velocity = zeroSlots(variables);
  return {
    apply(gradients) {
      checkGradients(variables, gradients);
      const lookAhead = nesterov && !fault("optimizers/nesterov-ignored");
      tf.tidy(() => {
        variables.forEach((v, i) => {
          const vel = tf.add(tf.mul(velocity[i], mu), gradients[i]);
          velocity[i].assign(vel);
          const step = lookAhead ? tf.add(gradients[i], tf.mul(vel, mu)) : vel;
          v.assign(tf.sub(v, tf.mul(step, lr)));
        });
      });
    },
    dispose() {
      velocity.forEach((s) => s.dispose());
    },
  };
}
