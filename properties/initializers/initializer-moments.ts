/**
 * Law (the initializer table, source 001): for every random initializer, fan-in and fan-out in
 * 1…2048 and seed, the drawn weights have sample mean ≈ the target mean and sample variance
 * ≈ the target variance (Glorot 2/(n_in+n_out), He 2/n_in, LeCun 1/n_in, × gain², …), uniform
 * draws stay within ±r and truncated draws within 2σ; the core's `initializerDistribution`
 * states the same numbers. The moments are computed on the backend (tf.moments), and the
 * weights read back from the backend bit for bit as drawn.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { initialValues, initializerDistribution, initializerLabel, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { fan, randomInitializers, targetDistribution } from "../_internals/initializer-theory.ts";
import { standardizedMoments } from "../_internals/stats.ts";
import { defineLaw, type Law } from "../law.ts";
import { F32_U, FALSE_ALARM_RATE, sampleMeanTolerance, sampleVarianceTolerance, Z_FALSE_ALARM } from "../tolerance.ts";
import type { DrawInitial } from "../implementations.ts";

/** Agreement of two formulas for the same number, to the 1.2e-7 accuracy of the erfc fit in stats.ts. */
const relClose = (a: number, b: number) => isClose(a, b, { rtol: 1e-6, atol: 0 });

/**
 * The law, for an initializer implementation (the core's `initialValues` unless a fault is planted).
 *
 * @example
 * const law = initializerMoments();
 */
export function initializerMoments(draw: DrawInitial = initialValues): Law {
  return defineLaw({
    name: "initializer-moments",
    group: "initializers",
    statement: "For every random initializer, fans in 1…2048 and seed, the weights' sample mean and variance match the " +
      "target (Glorot 2/(n_in+n_out), He 2/n_in, LeCun 1/n_in, × gain²), uniform draws lie within ±r and truncated ones within 2σ.",
    runs: 40,
    tolerance: () => ({
      rule: "mean: Z·σ/√n + γ_n·mean|x|; variance: Z_cf·σ²·√((κ−1)/n) + σ²/n + γ_{n+2}·σ², Z_cf = Z + |skew|(Z²−1)/6 (Cornish–Fisher); " +
        "Z for the false-alarm rate per check; bounds within one rounding (1 + u)",
      values: { falseAlarmRate: FALSE_ALARM_RATE, z: Z_FALSE_ALARM, minDraws: 2000, maxDraws: 16384 },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(randomInitializers(), fan(), fan(), fc.integer({ min: 2000, max: 16384 }), seed32(), async (spec, fanIn, fanOut, n, seed) => {
        const label = `${initializerLabel(spec)} with fans ${fanIn}→${fanOut}`;
        const target = targetDistribution(spec, fanIn, fanOut);
        const core = initializerDistribution(spec, fanIn, fanOut);
        expect(core.kind === target.kind && relClose(core.mean, target.mean) && relClose(core.variance, target.variance) &&
          (target.limit === undefined || relClose(core.limit!, target.limit)) && (target.stddev === undefined || relClose(core.stddev!, target.stddev)),
          () => `${label}: initializerDistribution says ${JSON.stringify(core)}, the literature ${JSON.stringify(target)}`);

        const values = draw(spec, n, fanIn, fanOut, new Rng(seed));
        const t = tf.tensor1d(values);
        const m = tf.moments(t);
        const [stored, mean, variance] = await Promise.all([t.data(), m.mean.data(), m.variance.data()]);
        tf.dispose([t, m.mean, m.variance]);
        expect(stored.every((v, i) => Object.is(v, values[i])), () => `${label}: the backend did not store the drawn weights bit for bit`);

        let meanAbs = 0;
        for (const v of values) meanAbs += Math.abs(v) / n;
        if (target.kind === "uniform") {
          const r = target.limit! * (1 + F32_U);
          expect(values.every((v) => Math.abs(v - target.mean) <= r), () => `${label}: a draw lies beyond ±r = ±${fmt(target.limit!)}`);
        } else if (target.kind === "truncatedNormal") {
          const cut = 2 * target.stddev! * (1 + F32_U);
          expect(values.every((v) => Math.abs(v - target.mean) <= cut), () => `${label}: a draw lies beyond 2σ = ${fmt(2 * target.stddev!)}`);
        }
        const sigma = Math.sqrt(target.variance);
        const meanTol = sampleMeanTolerance(sigma, n, meanAbs, bt);
        expect(isClose(mean[0], target.mean, { rtol: 0, atol: meanTol }), () =>
          `${label}, ${n} draws: sample mean ${fmt(mean[0])}, expected ${fmt(target.mean)} ± ${fmt(meanTol)}`);
        const { m4, m6 } = standardizedMoments(target.kind);
        const varTol = sampleVarianceTolerance(target.variance, n, m4, m6, bt);
        expect(isClose(variance[0], target.variance, { rtol: 0, atol: varTol }), () =>
          `${label}, ${n} draws: sample variance ${fmt(variance[0])}, expected ${fmt(target.variance)} ± ${fmt(varTol)}`);
      }),
  });
}
