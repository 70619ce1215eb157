/**
 * Law: in training mode, the gradient of any loss with respect to BN's input sums to zero
 * over the batch, per feature: Σ_i ∂L/∂x_ij = 0. BN's output depends on x only through
 * x − mean(x), which is unchanged by adding the same amount to every row — the directional
 * derivative along (1, …, 1) is zero.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { batchNormTrain, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { type BatchNormTrain, batchCases, column, featureStats } from "../_internals/batches.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { batchNormGradientSumTolerance } from "../tolerance.ts";

/**
 * The law, for a BN implementation (the core's `batchNormTrain` unless a fault is planted).
 *
 * @example
 * const law = batchNormInputGradient();
 */
export function batchNormInputGradient(bn: BatchNormTrain = batchNormTrain): Law {
  return defineLaw({
    name: "batchnorm-input-gradient",
    group: "batch-norm",
    statement: "In training mode, for any upstream gradient, BN's input gradient sums to zero over the batch for every feature.",
    runs: 40,
    tolerance: () => ({
      rule: "|Σ_i ∂L/∂x_i| ≤ 2γ_{m+2}·(Σ|dc| + Σ|∂L/∂x|), dc = γr(dy − ĉ·mean(dy·ĉ)) the gradient at x − mean(x) (float64)",
      values: {},
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(batchCases({ maxRows: 32 }), seed32(), async (c, seed) => {
        const rng = new Rng(seed);
        const dy = Float32Array.from({ length: c.rows * c.features }, () => rng.normal());
        const xt = tf.tensor2d(c.x, [c.rows, c.features]);
        const dyt = tf.tensor2d(dy, [c.rows, c.features]);
        const g = tf.tensor1d(c.gamma), b = tf.tensor1d(c.beta);
        const dxt = tf.tidy(() => tf.grad((x: tf.Tensor) => {
          const r = bn(x as tf.Tensor2D, g, b, c.epsilon);
          return tf.sum(tf.mul(r.output, dyt));
        })(xt));
        const dx = await dxt.data();
        tf.dispose([xt, dyt, g, b, dxt]);
        for (let j = 0; j < c.features; j++) {
          const s = featureStats(c, c.x, j);
          const r = 1 / Math.sqrt(s.variance + c.epsilon);
          const col = column(c.x, c.rows, c.features, j), dyj = column(dy, c.rows, c.features, j), dxj = column(dx, c.rows, c.features, j);
          const chat = col.map((v) => (v - s.mean) * r);
          let mdc = 0;
          for (let i = 0; i < c.rows; i++) mdc += (dyj[i] * chat[i]) / c.rows;
          let sumAbsDc = 0, sumAbsDx = 0, sum = 0;
          for (let i = 0; i < c.rows; i++) {
            sumAbsDc += Math.abs(s.gamma * r * (dyj[i] - chat[i] * mdc));
            sumAbsDx += Math.abs(dxj[i]);
            sum += dxj[i];
          }
          const tol = batchNormGradientSumTolerance(bt, c.rows, sumAbsDc, sumAbsDx);
          expect(isClose(sum, 0, { rtol: 0, atol: tol }), () => `feature ${j}: Σ_i ∂L/∂x_i = ${fmt(sum)}, expected 0 ± ${fmt(tol)} (Σ|∂L/∂x| = ${fmt(sumAbsDx)}, m = ${c.rows})`);
        }
      }),
  });
}
