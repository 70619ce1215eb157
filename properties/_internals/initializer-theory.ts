/**
 * What each initializer should draw, written from the papers and the frameworks' docs —
 * independently of src/core, so the laws check the core against the literature, not
 * against itself. Glorot & Bengio (2010): Var = 2/(n_in+n_out); He et al. (2015): 2/n_in;
 * LeCun et al. (1998): 1/n_in; uniform draws U(±√(3·Var)); Keras's truncated normal divides
 * σ by 0.8796 (the σ of N(0,1) cut at ±2) so the variance stays on target; TF1's
 * variance_scaling_initializer uses σ = √(1.3·factor/n) before truncation.
 */
import * as fc from "fast-check";
import type { InitializerSpec } from "../../src/core/mod.ts";
import { type DistributionKind, normalCdf, normalPdf, truncatedNormalMoments } from "./stats.ts";
import { logUniform } from "./arbitraries.ts";


/** The distribution an initializer must draw from. */
export interface TargetDistribution {
  kind: DistributionKind;
  mean: number;
  variance: number;
  /** uniform: half-width r (values in [−r, r]) */
  limit?: number;
  /** normal: σ; truncated normal: σ before truncation, values within mean ± 2σ */
  stddev?: number;
}

/** Variance of N(0,1) cut to [−2, 2]. */
const CUT_VARIANCE = truncatedNormalMoments(2).m2;

function fromVariance(kind: "uniform" | "normal" | "truncatedNormal", variance: number): TargetDistribution {
  if (kind === "uniform") return { kind, mean: 0, variance, limit: Math.sqrt(3 * variance) };
  if (kind === "normal") return { kind, mean: 0, variance, stddev: Math.sqrt(variance) };
  return { kind, mean: 0, variance, stddev: Math.sqrt(variance / CUT_VARIANCE) };
}

/**
 * The target distribution of an initializer for a kernel with the given fans.
 *
 * @example
 * targetDistribution({ name: "glorotUniform" }, 784, 30).limit; // √(6/814)
 */
export function targetDistribution(spec: InitializerSpec, fanIn: number, fanOut: number): TargetDistribution {
  const g2 = "gain" in spec && spec.gain !== undefined ? spec.gain ** 2 : 1;
  switch (spec.name) {
    case "glorotUniform": return fromVariance("uniform", (2 * g2) / (fanIn + fanOut));
    case "glorotNormal": return fromVariance("normal", (2 * g2) / (fanIn + fanOut));
    case "heUniform": return fromVariance("uniform", (2 * g2) / fanIn);
    case "heNormal": return fromVariance("normal", (2 * g2) / fanIn);
    case "lecunUniform": return fromVariance("uniform", g2 / fanIn);
    case "lecunNormal": return fromVariance("normal", g2 / fanIn);
    case "torchDefault": return { kind: "uniform", mean: 0, variance: 1 / (3 * fanIn), limit: 1 / Math.sqrt(fanIn) };
    case "randomUniform": return { kind: "uniform", mean: 0, variance: spec.limit ** 2 / 3, limit: spec.limit };
    case "randomNormal": return { kind: "normal", mean: spec.mean ?? 0, variance: spec.stddev ** 2, stddev: spec.stddev };
    case "truncatedNormal":
      return { kind: "truncatedNormal", mean: spec.mean ?? 0, variance: spec.stddev ** 2 * CUT_VARIANCE, stddev: spec.stddev };
    case "varianceScaling": {
      const n = spec.mode === "fanIn" ? fanIn : spec.mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
      if (spec.distribution === "truncatedNormalTf1") {
        const stddev = Math.sqrt((1.3 * spec.scale * g2) / n);
        return { kind: "truncatedNormal", mean: 0, variance: stddev ** 2 * CUT_VARIANCE, stddev };
      }
      return fromVariance(spec.distribution, (spec.scale * g2) / n);
    }
    case "zeros":
    case "constant":
      throw new Error(`targetDistribution: ${spec.name} is not random`);
  }
}

/**
 * The CDF of a target distribution.
 *
 * @example
 * cdfOf({ kind: "uniform", mean: 0, variance: 1 / 3, limit: 1 })(0); // 0.5
 */
export function cdfOf(t: TargetDistribution): (x: number) => number {
  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  switch (t.kind) {
    case "uniform": return (x) => clamp((x - t.mean + t.limit!) / (2 * t.limit!));
    case "normal": return (x) => normalCdf((x - t.mean) / t.stddev!);
    case "truncatedNormal": {
      const lo = normalCdf(-2), mass = 2 * normalCdf(2) - 1;
      return (x) => clamp((normalCdf((x - t.mean) / t.stddev!) - lo) / mass);
    }
  }
}

/**
 * The largest value of the target density (for the rounding slack of a KS test).
 *
 * @example
 * maxDensity({ kind: "uniform", mean: 0, variance: 1 / 3, limit: 1 }); // 0.5
 */
export function maxDensity(t: TargetDistribution): number {
  if (t.kind === "uniform") return 1 / (2 * t.limit!);
  const peak = normalPdf(0) / t.stddev!;
  return t.kind === "normal" ? peak : peak / (2 * normalCdf(2) - 1);
}

/**
 * Every random initializer the model schema allows, with gains and scales over a decade or two.
 *
 * @example
 * fc.sample(randomInitializers(), 3);
 */
export function randomInitializers(): fc.Arbitrary<InitializerSpec> {
  const gain = fc.oneof(fc.constantFrom(Math.SQRT2, 4), logUniform(-0.5, 0.7));
  const named = fc.tuple(
    fc.constantFrom("glorotUniform", "glorotNormal", "heUniform", "heNormal", "lecunUniform", "lecunNormal"),
    fc.option(gain, { nil: undefined }),
  ).map(([name, g]): InitializerSpec => (g === undefined ? { name } : { name, gain: g }));
  const scaling = fc.record({
    name: fc.constant("varianceScaling" as const),
    scale: logUniform(-1, 1),
    mode: fc.constantFrom("fanIn" as const, "fanOut" as const, "fanAvg" as const),
    distribution: fc.constantFrom("uniform" as const, "normal" as const, "truncatedNormal" as const, "truncatedNormalTf1" as const),
  });
  return fc.oneof(
    { arbitrary: named, weight: 6 },
    { arbitrary: scaling, weight: 2 },
    fc.record({ name: fc.constant("truncatedNormal" as const), stddev: logUniform(-3, 0.5) }),
    fc.record({ name: fc.constant("randomNormal" as const), stddev: logUniform(-3, 0.5) }),
    fc.record({ name: fc.constant("randomUniform" as const), limit: logUniform(-3, 0.5) }),
    fc.constant({ name: "torchDefault" as const }),
  );
}

/**
 * A fan: 1…2048, with the small fans (where formulas differ most) as likely as the large.
 *
 * @example
 * fc.sample(fan(), 3);
 */
export const fan = (): fc.Arbitrary<number> => fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 2048 }));
