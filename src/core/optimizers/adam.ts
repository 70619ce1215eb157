/**
 * Adam in the form TF1's AdamOptimizer computes it (Kingma & Ba 2015, end of Sec. 2):
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   lr_t = lr·√(1−β2^t)/(1−β1^t);  θ ← θ − lr_t·m/(√v + ε).
 * (ε here is the paper's ε̂; PyTorch adds ε to √v̂ instead, which differs slightly.)
 */
import * as tf from "@tensorflow/tfjs-core";
import { fault } from "../fault-points.ts";
import { checkGradients, type Optimizer, zeroSlots } from "./optimizer.ts";

/** The bias-corrected step size of update number t (1-based). */
export function adamStepSize(learningRate: number, beta1: number, beta2: number, t: number): number {
  return (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
}

/**
 * @example
 * const opt = adam(vars, { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 */
export function adam(
  variables: tf.Variable[],
  options: { learningRate: number; beta1: number; beta2: number; epsilon: number },
): Optimizer {
  const { learningRate, beta1, beta2, epsilon } = options;
  const m = zeroSlots(variables);
  const v = zeroSlots(variables);
  let t = 0;
  return {
    apply(gradients) {
      checkGradients(variables, gradients);
      t += 1;
      const lrT = fault("optimizers/adam-no-bias-correction") ? learningRate : adamStepSize(learningRate, beta1, beta2, t);
      tf.tidy(() => {
        variables.forEach((p, i) => {
          const g = gradients[i];
          const mNew = tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1));
          const vNew = tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
          m[i].assign(mNew);
          v[i].assign(vNew);
          p.assign(tf.sub(p, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), epsilon)), lrT)));
        });
      });
    },
    dispose() {
      m.forEach((s) => s.dispose());
      v.forEach((s) => s.dispose());
    },
  };
}
