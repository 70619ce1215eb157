/**
 * Weight initializers. Values are drawn in JavaScript from a seeded `Rng` (never from a
 * backend's RNG), so every backend starts from bitwise the same weights.
 *
 * Variance scaling (Glorot & Bengio 2010; He et al. 2015; LeCun et al. 1998):
 * Var(W) = scale·gain²/n, n = fan_in | fan_out | (fan_in+fan_out)/2.
 * glorot* = scale 1, fanAvg; he* = scale 2, fanIn; lecun* = scale 1, fanIn.
 * Uniform draws use U(±r) with r = √(3·Var); normal draws use σ = √Var.
 * "truncatedNormal" re-draws beyond 2σ and divides σ by 0.87962566103423978, the standard
 * deviation of a unit normal truncated to [−2, 2], so the variance is still scale·gain²/n
 * (Keras's convention). "truncatedNormalTf1" is TF1's `variance_scaling_initializer`
 * (tf.contrib.layers): σ = √(1.3·scale/n) before truncation.
 */
import { fault } from "./fault-points.ts";
import type { InitializerSpec } from "./model-spec.ts";
import type { Rng } from "./random.ts";

/** Standard deviation of N(0,1) truncated to [−2, 2]. */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

type Distribution = "uniform" | "normal" | "truncatedNormal" | "truncatedNormalTf1";

/** The variance-scaling form behind every named fan-based initializer. */
export interface VarianceScaling {
  scale: number;
  mode: "fanIn" | "fanOut" | "fanAvg";
  distribution: Distribution;
  gain: number;
}

/** Maps named initializers onto their variance-scaling form (null for the others). */
export function varianceScalingOf(spec: InitializerSpec): VarianceScaling | null {
  const gain = "gain" in spec && spec.gain !== undefined ? spec.gain : 1;
  switch (spec.name) {
    case "glorotUniform": return { scale: 1, mode: "fanAvg", distribution: "uniform", gain };
    case "glorotNormal": return { scale: 1, mode: "fanAvg", distribution: "normal", gain };
    case "heUniform": return { scale: 2, mode: "fanIn", distribution: "uniform", gain };
    case "heNormal": return { scale: 2, mode: "fanIn", distribution: "normal", gain };
    case "lecunUniform": return { scale: 1, mode: "fanIn", distribution: "uniform", gain };
    case "lecunNormal": return { scale: 1, mode: "fanIn", distribution: "normal", gain };
    case "varianceScaling": return { scale: spec.scale, mode: spec.mode, distribution: spec.distribution, gain };
    default: return null;
  }
}

function fanOf(mode: VarianceScaling["mode"], fanIn: number, fanOut: number): number {
  return mode === "fanIn" ? fanIn : mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
}

/** Variance of N(0,1) truncated to [−2, 2]: 1 − 4φ(2)/(2Φ(2)−1). */
const TRUNCATED_UNIT_VARIANCE = TRUNCATED_NORMAL_STDDEV * TRUNCATED_NORMAL_STDDEV;

/**
 * The distribution an initializer draws from, for a kernel of the given fans: its kind, the
 * parameter that defines it (uniform: limit r; normal: σ; truncated: σ before truncation, cut
 * at ±2σ) and the exact variance and mean of the values it produces.
 *
 * @example
 * initializerDistribution({ name: "glorotUniform" }, 784, 30).limit; // √(6/814)
 */
export function initializerDistribution(
  spec: InitializerSpec,
  fanIn: number,
  fanOut: number,
): { kind: "constant" | "uniform" | "normal" | "truncatedNormal"; mean: number; variance: number; limit?: number; stddev?: number } {
  switch (spec.name) {
    case "zeros": return { kind: "constant", mean: 0, variance: 0 };
    case "constant": return { kind: "constant", mean: spec.value, variance: 0 };
    case "randomNormal": return { kind: "normal", mean: spec.mean ?? 0, variance: spec.stddev ** 2, stddev: spec.stddev };
    case "truncatedNormal":
      return { kind: "truncatedNormal", mean: spec.mean ?? 0, variance: spec.stddev ** 2 * TRUNCATED_UNIT_VARIANCE, stddev: spec.stddev };
    case "randomUniform": return { kind: "uniform", mean: 0, variance: spec.limit ** 2 / 3, limit: spec.limit };
    case "torchDefault": {
      const limit = 1 / Math.sqrt(fanIn);
      return { kind: "uniform", mean: 0, variance: limit ** 2 / 3, limit };
    }
  }
  const vs = varianceScalingOf(spec)!;
  const n = fanOf(vs.mode, fanIn, fanOut);
  const variance = (vs.scale * vs.gain ** 2) / n;
  switch (vs.distribution) {
    case "uniform": {
      const limit = Math.sqrt(3 * variance);
      return { kind: "uniform", mean: 0, variance, limit };
    }
    case "normal": return { kind: "normal", mean: 0, variance, stddev: Math.sqrt(variance) };
    case "truncatedNormal": {
      const stddev = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
      return { kind: "truncatedNormal", mean: 0, variance, stddev };
    }
    case "truncatedNormalTf1": {
      const stddev = Math.sqrt((1.3 * vs.scale * vs.gain ** 2) / n);
      return { kind: "truncatedNormal", mean: 0, variance: stddev ** 2 * TRUNCATED_UNIT_VARIANCE, stddev };
    }
  }
}

/**
 * Draws `count` initial values for a tensor whose layer has the given fans.
 *
 * @example
 * const w = initialValues({ name: "heNormal" }, 784 * 300, 784, 300, new Rng(1));
 */
export function initialValues(spec: InitializerSpec, count: number, fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const d = drawnDistribution(spec, fanIn, fanOut);
  const out = new Float32Array(count);
  switch (d.kind) {
    case "constant": out.fill(d.mean); break;
    case "uniform": for (let i = 0; i < count; i++) out[i] = rng.uniformIn(-d.limit!, d.limit!); break;
    case "normal": for (let i = 0; i < count; i++) out[i] = d.mean + d.stddev! * rng.normal(); break;
    case "truncatedNormal": for (let i = 0; i < count; i++) out[i] = rng.truncatedNormal(d.mean, d.stddev!); break;
  }
  return out;
}

/** The distribution `initialValues` draws from: the initializer's own, unless a planted fault point changes it. */
function drawnDistribution(spec: InitializerSpec, fanIn: number, fanOut: number): ReturnType<typeof initializerDistribution> {
  const d = initializerDistribution(spec, fanIn, fanOut);
  const sd = Math.sqrt(d.variance);
  if (d.kind === "constant") {
    if (spec.name === "zeros" && fault("initializers/zeros-leave-noise")) return { kind: "uniform", mean: 0, variance: 1e-12 / 3, limit: 1e-6 };
    if (fault("initializers/constant-bfloat16")) return { ...d, mean: bfloat16(d.mean) };
  }
  if (d.kind === "uniform" && fault("initializers/uniform-limit-sqrt2")) return { ...d, limit: Math.SQRT2 * sd };
  if (d.kind === "uniform" && fault("initializers/uniform-drawn-normal")) return { ...d, kind: "normal", stddev: sd };
  const vs = varianceScalingOf(spec);
  if (vs && vs.mode === "fanAvg" && fault("initializers/glorot-with-he-variance")) return initializerDistribution({ ...vs, name: "varianceScaling", scale: 2, mode: "fanIn" }, fanIn, fanOut);
  if (vs && fault("initializers/gain-doubled")) return initializerDistribution({ ...vs, name: "varianceScaling", gain: 2 * vs.gain }, fanIn, fanOut);
  if (spec.name === "randomNormal" && fault("initializers/normal-ignores-stddev")) return { ...d, stddev: Math.sqrt(2 / (fanIn + fanOut)) };
  return d;
}

/** x rounded to bfloat16 (the top 16 bits of its float32, to nearest). */
function bfloat16(x: number): number {
  const bits = new Uint32Array(Float32Array.of(x).buffer);
  bits[0] = (bits[0] + 0x8000) & 0xffff0000;
  return new Float32Array(bits.buffer)[0];
}

/** A short label for people: "glorotUniform", "heNormal×2". */
export function initializerLabel(spec: InitializerSpec): string {
  const gain = "gain" in spec && spec.gain !== undefined && spec.gain !== 1 ? `×${spec.gain}` : "";
  switch (spec.name) {
    case "constant": return `constant(${spec.value})`;
    case "randomNormal": return `N(${spec.mean ?? 0}, ${spec.stddev}²)`;
    case "truncatedNormal": return `truncN(${spec.mean ?? 0}, ${spec.stddev}²)`;
    case "randomUniform": return `U(±${spec.limit})`;
    case "varianceScaling": return `varianceScaling(${spec.scale}, ${spec.mode}, ${spec.distribution})${gain}`;
    default: return spec.name + gain;
  }
}
