/**
 * Law: the drawn weights follow the target distribution itself, not only its first two
 * moments — a Kolmogorov–Smirnov test against the uniform, normal or truncated-normal CDF,
 * with the DKW threshold at the stated false-alarm rate.
 */
import * as fc from "fast-check";
import { initialValues, initializerLabel, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { cdfOf, fan, maxDensity, randomInitializers, targetDistribution } from "../_internals/initializer-theory.ts";
import { kolmogorovSmirnov } from "../_internals/stats.ts";
import { defineLaw, type Law } from "../law.ts";
import { FALSE_ALARM_RATE, ksTolerance } from "../tolerance.ts";
import type { DrawInitial } from "../implementations.ts";

/**
 * The law, for an initializer implementation (the core's `initialValues` unless a fault is planted).
 *
 * @example
 * const law = initializerDistributionLaw();
 */
export function initializerDistributionLaw(draw: DrawInitial = initialValues): Law {
  return defineLaw({
    name: "initializer-distribution",
    group: "initializers",
    statement: "For every random initializer, fans and seed, the drawn weights pass a Kolmogorov–Smirnov test against " +
      "the target uniform, normal or truncated-normal distribution.",
    runs: 25,
    tolerance: () => ({
      rule: "KS statistic D ≤ √(ln(2/α)/(2n)) (Dvoretzky–Kiefer–Wolfowitz–Massart, exact for every n) + u·max|x|·max density",
      values: { falseAlarmRate: FALSE_ALARM_RATE, minDraws: 4096, maxDraws: 16384 },
    }),
    property: () =>
      fc.asyncProperty(randomInitializers(), fan(), fan(), fc.integer({ min: 4096, max: 16384 }), seed32(), async (spec, fanIn, fanOut, n, seed) => {
        const target = targetDistribution(spec, fanIn, fanOut);
        const values = draw(spec, n, fanIn, fanOut, new Rng(seed));
        const d = kolmogorovSmirnov(values, cdfOf(target));
        let maxAbs = 0;
        for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
        const allowed = ksTolerance(n, maxAbs, maxDensity(target));
        expect(d <= allowed, () =>
          `${initializerLabel(spec)} with fans ${fanIn}→${fanOut}, ${n} draws: KS distance ${fmt(d)} to the ${target.kind} target exceeds ${fmt(allowed)}`);
      }),
  });
}
