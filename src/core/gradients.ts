/**
 * Loss and gradients by tfjs's own autodiff (`tf.variableGrads`): the reference formulation
 * every faster path is checked against.
 */
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core registers no gradient functions itself; the umbrella package registers them all
// (importing tfjs-core's ESM register_all_gradients fails under Deno, whose loader reads the CJS build).
import "@tensorflow/tfjs";
import { fault } from "./fault-points.ts";
import { loss as lossOf, type LossName } from "./losses.ts";
import { type BatchStats, forward, type Model } from "./model.ts";

/** Loss, per-parameter gradients (in `model.parameters` order), the output and batch-norm statistics. */
export interface LossAndGradients {
  loss: tf.Scalar;
  gradients: tf.Tensor[];
  output: tf.Tensor2D;
  batchStats: BatchStats[];
}

/**
 * One forward and backward pass in training mode. The caller disposes what it gets.
 *
 * @example
 * const { loss, gradients } = lossAndGradients(model, x, yOneHot, "softmaxCrossEntropy");
 */
export function lossAndGradients(model: Model, x: tf.Tensor2D, targets: tf.Tensor2D, lossName: LossName): LossAndGradients {
  let output: tf.Tensor2D | undefined;
  let batchStats: BatchStats[] = [];
  const vars = model.parameters.map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => {
    const r = forward(model, x, "train");
    output = tf.keep(r.output);
    batchStats = r.batchStats.map((s) => ({ layer: s.layer, mean: tf.keep(s.mean), variance: tf.keep(s.variance) }));
    return lossOf(lossName, r.output, targets);
  }, vars);
  const gradients = vars.map((v) => {
    const g = grads[v.name];
    if (!g) throw new Error(`lossAndGradients: no gradient for ${v.name}`);
    if (!fault("gradients/ten-percent-large")) return g;
    const wrong = tf.mul(g, 1.1);
    g.dispose();
    return wrong;
  });
  return { loss: value, gradients, output: output!, batchStats };
}
