/**
 * Lists of gradient-like tensors for the clipping laws: shapes and scales come from
 * fast-check (so failures shrink to few, small tensors), values from an Rng seeded by it.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../src/core/mod.ts";

/** One tensor to generate: its shape (rank 0–3) and the decade of its values. */
export interface TensorPlan {
  shape: number[];
  /** values are N(0,1)·10^exponent */
  exponent: number;
  /** all zeros */
  zero: boolean;
}

/**
 * A list of 1–8 tensor plans with scales over ±15 decades (squares stay inside float32).
 *
 * @example
 * fc.sample(tensorPlans(), 1);
 */
export function tensorPlans(maxLength = 8): fc.Arbitrary<TensorPlan[]> {
  const plan = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
    exponent: fc.integer({ min: -15, max: 15 }),
    zero: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
  });
  return fc.array(plan, { minLength: 1, maxLength });
}

/**
 * The float32 values of each planned tensor.
 *
 * @example
 * const values = planValues(plans, 42, false);
 */
export function planValues(plans: TensorPlan[], seed: number, allZero: boolean): Float32Array[] {
  const rng = new Rng(seed);
  return plans.map((p) => {
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (allZero || p.zero) return new Float32Array(size);
    return Float32Array.from({ length: size }, () => rng.normal() * 10 ** p.exponent);
  });
}

/**
 * Uploads values to the active backend with their shapes.
 *
 * @example
 * const tensors = toTensors(plans, planValues(plans, 1, false));
 */
export function toTensors(plans: TensorPlan[], values: Float32Array[]): tf.Tensor[] {
  return values.map((v, i) => tf.tensor(v, plans[i].shape));
}

/**
 * Reads tensors back and disposes them.
 *
 * @example
 * const [values] = await readAndDispose([tf.scalar(1)]);
 */
export async function readAndDispose(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const out = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(tensors);
  return out;
}

/**
 * The global norm √(Σ‖a_i‖²) of a list of arrays, in float64.
 *
 * @example
 * globalNorm64([[3], [4]]); // 5
 */
export function globalNorm64(values: ArrayLike<number>[]): number {
  let s = 0;
  for (const v of values) for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
