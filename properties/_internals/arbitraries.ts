/**
 * Generators shared by the laws. Extra randomness inside a property (weights, inputs) comes
 * from an `Rng` seeded by a generated `seed32`, so it too flows from the run's one seed.
 */
import * as fc from "fast-check";
import { F32_MAX, F32_MIN_NORMAL } from "../tolerance.ts";

/** Float32 inputs where activations are delicate: zeros, subnormals, ±1e4, overflow edges of exp, the extremes. */
export const SPECIAL_FLOAT32 = [
  0, -0, 2 ** -149, -(2 ** -149), F32_MIN_NORMAL, -F32_MIN_NORMAL, 1e-30, -1e-30, 1, -1, 1e4, -1e4,
  Math.fround(17.3), Math.fround(-17.3), Math.fround(88.7), Math.fround(-88.7), Math.fround(103.9), Math.fround(-103.9),
  F32_MAX, -F32_MAX,
] as const;

/**
 * Every finite float32: the whole range (fast-check's float is float32), the special
 * values above, and the range |x| ≤ 30 where the derivatives are not yet 0 or 1.
 *
 * @example
 * fc.sample(finiteFloat32(), 3);
 */
export function finiteFloat32(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.float({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(...SPECIAL_FLOAT32),
    fc.float({ min: -30, max: 30, noNaN: true }),
  );
}

/** A seed for an `Rng` inside a property. */
export const seed32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffffffff });

/**
 * A real number spread evenly over [lo, hi] (2^24 steps), with fast-check's bias towards the
 * ends. (fc.double spreads over the representable doubles instead, half of which lie within
 * 1e-154 of 0: as a stand-in for a uniform real it would mostly give 0.)
 *
 * @example
 * uniformReal(-3, 3);
 */
export function uniformReal(lo: number, hi: number): fc.Arbitrary<number> {
  const steps = 2 ** 24;
  return fc.integer({ min: 0, max: steps }).map((k) => lo + ((hi - lo) * k) / steps);
}

/**
 * A positive number spread over decades: 10^e with e uniform in [lo, hi] (as a float32).
 *
 * @example
 * logUniform(-6, 6); // scales from 1e-6 to 1e6
 */
export function logUniform(lo: number, hi: number): fc.Arbitrary<number> {
  return uniformReal(lo, hi).map((e) => Math.fround(10 ** e));
}
