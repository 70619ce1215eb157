/**
 * How the engines' laws state their tolerance in the report: the running-error rule and its
 * per-operation numbers on the backend.
 */
import type { ToleranceUsed } from "../law.ts";
import { arithmeticUnit, type BackendTolerance, F32_MIN_NORMAL, F32_MIN_SUBNORMAL, F32_U } from "../tolerance.ts";

/**
 * @example
 * boundedRule(toleranceFor("cpu"), "every parameter after each step");
 */
export function boundedRule(bt: BackendTolerance, what: string): ToleranceUsed {
  return {
    rule: `${what}: |float32 result − float64 reference| ≤ 2·e, e the running error bound of the reference's operations ` +
      "(one rounding of unit per operation, square roots at the kernel's error, sums γ_{N−1}·Σ|terms|, hyper-parameters " +
      "as given or rounded to float32)",
    values: {
      unit: arithmeticUnit(bt),
      sqrtUnit: bt.kernelUlps * F32_U,
      belowNormal: bt.flushesSubnormals ? F32_MIN_NORMAL : F32_MIN_SUBNORMAL / 2,
    },
  };
}
