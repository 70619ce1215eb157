/**
 * Law (batch normalization in training mode, source 001): for every batch, per feature, the
 * output's mean is β and its (biased) variance is γ²·σ²/(σ² + ε), where σ² is the biased
 * batch variance; the returned batch statistics are μ and that σ² (1/m, not 1/(m − 1)).
 */
import * as fc from "fast-check";
import { batchNormTrain } from "../../src/core/mod.ts";
import { type BatchNormTrain, batchCases, column, evaluateBatchNorm, featureStats } from "../_internals/batches.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { sampleMoments } from "../_internals/stats.ts";
import { defineLaw, type Law } from "../law.ts";
import { arithmeticUnit, batchNormOutputError, gamma } from "../tolerance.ts";

/**
 * The law, for a BN implementation (the core's `batchNormTrain` unless a fault is planted).
 *
 * @example
 * const law = batchNormTrainMoments();
 */
export function batchNormTrainMoments(bn: BatchNormTrain = batchNormTrain): Law {
  return defineLaw({
    name: "batchnorm-train-moments",
    group: "batch-norm",
    statement: "In training mode each feature's output has mean β and biased variance γ²σ²/(σ² + ε), and the returned " +
      "statistics are the batch mean and the biased (1/m) batch variance.",
    runs: 40,
    tolerance: () => ({
      rule: "per feature, every output within E of exact BN (batchNormOutputError: mean γ_{m+1}·mean|x|, variance, rsqrt and the " +
        "final roundings); output mean within E of β, output variance within 2√V·E + E²; returned μ within γ_{m+1}·mean|x|, σ² within δ² + γ_{m+3}(σ² + δ²)",
      values: {},
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(batchCases(), async (c) => {
        const { output, mean, variance } = await evaluateBatchNorm(bn, c, c.x);
        const unit = arithmeticUnit(bt);
        for (let j = 0; j < c.features; j++) {
          const s = featureStats(c, c.x, j);
          const e = batchNormOutputError(bt, s);
          const out = sampleMoments(column(output, c.rows, c.features, j));
          const want = (s.gamma ** 2 * s.variance) / (s.variance + s.epsilon);
          const where = `feature ${j} (σ² = ${fmt(s.variance)}, ε = ${fmt(s.epsilon)}, γ = ${fmt(s.gamma)}, β = ${fmt(s.beta)}, m = ${c.rows})`;
          expect(isClose(out.mean, s.beta, { rtol: 0, atol: e }), () => `${where}: output mean ${fmt(out.mean)}, expected β ± ${fmt(e)}`);
          const varTol = 2 * Math.sqrt(want) * e + e * e;
          expect(isClose(out.variance, want, { rtol: 0, atol: varTol }), () => `${where}: output variance ${fmt(out.variance)}, expected γ²σ²/(σ²+ε) = ${fmt(want)} ± ${fmt(varTol)}`);
          const delta = gamma(c.rows + 1, unit) * s.meanAbs;
          expect(isClose(mean[j], s.mean, { rtol: 0, atol: delta }), () => `${where}: batch mean ${fmt(mean[j])}, expected ${fmt(s.mean)} ± ${fmt(delta)}`);
          const dv = delta ** 2 + gamma(c.rows + 3, unit) * (s.variance + delta ** 2);
          expect(isClose(variance[j], s.variance, { rtol: 0, atol: dv }), () => `${where}: batch variance ${fmt(variance[j])}, expected the biased ${fmt(s.variance)} ± ${fmt(dv)}`);
        }
      }),
  });
}
