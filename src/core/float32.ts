/**
 * float32 facts the tests and comparisons derive their tolerances from.
 */

/** Machine epsilon of IEEE-754 binary32: 2^-23. */
export const FLOAT32_EPSILON = 2 ** -23;

/**
 * Bound on the relative error of a value computed by `roundings` successive float32 roundings
 * of well-conditioned operations (each adds at most ε/2 relative error; we allow ε per step
 * to cover transcendental functions, which tfjs backends compute within 1 ulp).
 *
 * @example
 * const rtol = roundingTolerance(20); // ≈ 2.4e-6
 */
export function roundingTolerance(roundings: number): number {
  return roundings * FLOAT32_EPSILON;
}
