/**
 * Law: training-mode BN is invariant to a positive per-feature scaling and a shift of its
 * input, up to ε: with a > 0 and any b,
 *
 *   BN(a·x + b)_i − BN(x)_i = γ·x̂_i·(f(aσ) − f(σ)),   x̂_i = (x_i − μ)/σ,  f(s) = s/√(s² + ε),
 *
 * which vanishes as σ² ≫ ε; so only ε (and float32) ever tell a·x + b from x.
 */
import * as fc from "fast-check";
import { batchNormTrain, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { type BatchNormTrain, batchCases, evaluateBatchNorm, featureStats } from "../_internals/batches.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { batchNormOutputError, F32_U } from "../tolerance.ts";

/**
 * The law, for a BN implementation (the core's `batchNormTrain` unless a fault is planted).
 *
 * @example
 * const law = batchNormInvariance();
 */
export function batchNormInvariance(bn: BatchNormTrain = batchNormTrain): Law {
  return defineLaw({
    name: "batchnorm-invariance",
    group: "batch-norm",
    statement: "Training-mode BN(a·x + b) equals BN(x) for per-feature a > 0 and any b, up to the ε term γ·x̂·(f(aσ) − f(σ)), f(s) = s/√(s² + ε).",
    runs: 40,
    tolerance: () => ({
      rule: "|BN(a·x+b) − BN(x)| ≤ |γ||x̂||f(aσ) − f(σ)| + E(x) + E(a·x+b) + |γ|(|x̂| + 2)·u·max|a·x+b|/√(σ'² + ε) (rounding a·x + b to float32)",
      values: { u: F32_U },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(batchCases(), seed32(), async (c, seed) => {
        const rng = new Rng(seed);
        const a = Float64Array.from({ length: c.features }, () => 10 ** rng.uniformIn(-3, 3));
        const b = Float64Array.from({ length: c.features }, (_, j) => a[j] * c.scale[j] * 10 ** rng.uniformIn(-2, 2) * (rng.uniform() < 0.5 ? -1 : 1));
        const moved = c.x.map((v, k) => a[k % c.features] * v + b[k % c.features]);
        const [base, shifted] = [await evaluateBatchNorm(bn, c, c.x), await evaluateBatchNorm(bn, c, moved)];
        for (let j = 0; j < c.features; j++) {
          const s = featureStats(c, c.x, j), s2 = featureStats(c, moved, j);
          if (s.variance === 0) continue;
          const f = (v: number) => Math.sqrt(v) / Math.sqrt(v + c.epsilon);
          const sigma = Math.sqrt(s.variance);
          const epsTerm = Math.abs(f(a[j] ** 2 * s.variance) - f(s.variance));
          let maxMoved = 0;
          for (let i = 0; i < c.rows; i++) maxMoved = Math.max(maxMoved, Math.abs(moved[i * c.features + j]));
          const roundIn = (F32_U * maxMoved) / Math.sqrt(s2.variance + c.epsilon);
          const e = batchNormOutputError(bt, s) + batchNormOutputError(bt, s2);
          for (let i = 0; i < c.rows; i++) {
            const k = i * c.features + j;
            const xhat = Math.abs(c.x[k] - s.mean) / sigma;
            const allowed = Math.abs(s.gamma) * (xhat * epsTerm + (xhat + 2) * roundIn) + e;
            expect(isClose(shifted.output[k], base.output[k], { rtol: 0, atol: allowed }), () =>
              `feature ${j}, row ${i}: BN(${fmt(a[j])}·x + ${fmt(b[j])}) = ${fmt(shifted.output[k])} but BN(x) = ${fmt(base.output[k])} ` +
              `(allowed ${fmt(allowed)}; σ² = ${fmt(s.variance)}, ε = ${fmt(c.epsilon)})`);
          }
        }
      }),
  });
}
