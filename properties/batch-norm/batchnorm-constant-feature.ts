/**
 * Law: a constant feature (σ² = 0) gives β, never NaN: the output is β + γ·d/√(d² + ε),
 * where d = c − μ̂ is the float32 rounding error of the batch mean (|d| ≤ γ_{m+1}·|c|, and 0
 * wherever the backend sums exactly, as cpu does) — ε is what keeps 0/0 away.
 */
import * as fc from "fast-check";
import { batchNormTrain } from "../../src/core/mod.ts";
import { type BatchNormTrain, batchCases, column, evaluateBatchNorm, featureStats } from "../_internals/batches.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { arithmeticUnit, F32_U, gamma } from "../tolerance.ts";

/**
 * The law, for a BN implementation (the core's `batchNormTrain` unless a fault is planted).
 *
 * @example
 * const law = batchNormConstantFeature();
 */
export function batchNormConstantFeature(bn: BatchNormTrain = batchNormTrain): Law {
  return defineLaw({
    name: "batchnorm-constant-feature",
    group: "batch-norm",
    statement: "A constant feature comes out as β + γ·d/√(d² + ε) with d = c − μ̂ the float32 rounding of its mean " +
      "(|d| ≤ γ_{m+1}|c|), so β when the mean is exact — never NaN.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "|d| ≤ γ_{m+1}·|c|; output within 2·unit·(|β| + |γ|) + |γ|·(kernelUlps + 4)·u of β + γ·d/√(d² + ε)",
      values: { kernelUlps: bt.kernelUlps },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(batchCases({ constantFeatures: true }), async (c) => {
        const { output, mean } = await evaluateBatchNorm(bn, c, c.x);
        const unit = arithmeticUnit(bt);
        for (let j = 0; j < c.features; j++) {
          const col = column(c.x, c.rows, c.features, j);
          const out = column(output, c.rows, c.features, j);
          expect(out.every((v) => !Number.isNaN(v)), () => `feature ${j}: NaN in the output`);
          if (!col.every((v) => v === col[0])) continue;
          const s = featureStats(c, c.x, j);
          const d = col[0] - mean[j];
          const bound = gamma(c.rows + 1, unit) * Math.abs(col[0]);
          expect(isClose(mean[j], col[0], { rtol: 0, atol: bound }), () => `feature ${j} is constant ${fmt(col[0])}, but its batch mean is ${fmt(mean[j])}`);
          const want = s.beta + (s.gamma * d) / Math.sqrt(d * d + c.epsilon);
          const tol = 2 * unit * (Math.abs(s.beta) + Math.abs(s.gamma)) + Math.abs(s.gamma) * (bt.kernelUlps + 4) * F32_U;
          out.forEach((v, i) => expect(isClose(v, want, { rtol: 0, atol: tol }), () =>
            `feature ${j} is constant ${fmt(col[0])}: row ${i} gives ${fmt(v)}, expected β + γd/√(d²+ε) = ${fmt(want)} (β = ${fmt(s.beta)}, d = ${fmt(d)}, ε = ${fmt(c.epsilon)})`));
        }
      }),
  });
}
