/**
 * Law (α = 1): elu'(x) = 1 for x > 0 and e^x for x ≤ 0, so elu' ∈ (0, 1]; tf.grad's elu'
 * agrees with it and with a central difference. In float32, tfjs computes elu' from the
 * output as y + 1 with y = expm1(x): it keeps an absolute accuracy of about u, so it is
 * positive only while e^x exceeds that error (x ≳ −17 on cpu) and reaches 0 below — the law
 * checks elu' > 0 exactly where float32 can promise it.
 */
import * as fc from "fast-check";
import { activate as coreActivate } from "../../src/core/mod.ts";
import { finiteFloat32 } from "../_internals/arbitraries.ts";
import {
  type ActivationTruth, centralDifferences, evaluateActivation, expectDerivative, expectFastDerivatives, expectFiniteDifferences, expSideCondition,
  implementationLaw,
} from "../_internals/activation-check.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { activationValueError, eluDerivativeCloseness, F32_EPS, F32_U, finiteDifferenceStep } from "../tolerance.ts";
import type { Activate } from "../implementations.ts";

const ELU = { name: "elu", alpha: 1 } as const;

/**
 * elu'(x) in float64 for α = 1.
 *
 * @example
 * eluPrime64(-1); // 1/e
 */
export function eluPrime64(x: number): number {
  return x > 0 ? 1 : Math.exp(x);
}

/**
 * elu (α = 1) for another implementation: f′ is continuous at 0 (1 on both sides) but f″
 * jumps from 1 to 0, so a central difference across 0 is not checked; |f″/f′| = 1 below 0.
 */
const ELU_64: ActivationTruth = {
  spec: ELU,
  symbol: "elu",
  value64: (x) => (x > 0 ? x : Math.expm1(x)),
  derivative64: eluPrime64,
  condition: expSideCondition,
  curvature: (x) => (x > 0 ? 0 : 1),
  floor: (x) => (x > 0 ? 0 : Math.exp(x)),
  maxThirdDerivative: 1,
  kink: { left: 1, right: 1 },
};

/**
 * The law, for an activation implementation: the core's `activate` (the default) as tfjs and
 * the fast engine compute it (elu′ = y + 1 from the output); any other implementation — a
 * user's — to the float64 elu and e^x within its own float32 error (`implementationLaw`).
 *
 * @example
 * const law = eluDerivative();
 * const mine = eluDerivative((_spec, z) => tf.elu(z));
 */
export function eluDerivative(activate: Activate = coreActivate): Law {
  if (activate !== coreActivate) return implementationLaw(activate, ELU_64, "elu-derivative");
  return defineLaw({
    name: "elu-derivative",
    group: "activations",
    statement: "For α = 1 and every finite float32 x, tf.grad's elu'(x) lies in [0, 1], is exactly 1 for x > 0, is positive wherever " +
      "e^x exceeds float32's error on y = expm1(x), and agrees with e^x and with a central difference of elu; the fast " +
      "engine's elu' = y + 1 from y (host loop, kernel module) and derivativeFromOutput agree with e^x too.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "0 ≤ elu' ≤ 1 exactly; |elu' − e^x| ≤ e(y) + u·e^x with e(y) = kernelUlps·u·|y| + kernelAbsUlps·u; elu' > 0 where e^x > 2·e(y); " +
        "central difference within rounding + truncation (max|elu'''| = 1 for x ≤ 0), not across 0 where elu'' jumps",
      values: { u: F32_U, kernelUlps: bt.kernelUlps, kernelAbsUlps: bt.kernelAbsUlps, fdStep: Math.cbrt(F32_EPS), maxThirdDerivative: 1 },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 }), async (xs) => {
        const ev = await evaluateActivation(activate, ELU, [...xs, 0, -0]);
        for (let i = 0; i < ev.x.length; i++) {
          const x = ev.x[i], d = ev.d[i];
          expect(d >= 0 && d <= 1, () => `elu'(${fmt(x)}) = ${fmt(d)} is outside [0, 1]`);
          if (x > 0) expect(d === 1, () => `elu'(${fmt(x)}) = ${fmt(d)}, expected exactly 1 for x > 0`);
          if (Math.exp(x) > 2 * activationValueError(bt, ev.y[i])) expect(d > 0, () => `elu'(${fmt(x)}) = 0, but e^x = ${fmt(Math.exp(x))} is representable`);
        }
        expectDerivative(ev, eluPrime64, (i) => eluDerivativeCloseness(bt, ev.y[i]), "elu'");
        await expectFastDerivatives(ELU, ev, (i) => eluPrime64(ev.x[i]), (i) => eluDerivativeCloseness(bt, ev.y[i]), "elu'", bt.flushesSubnormals);
        const cd = await centralDifferences(activate, ELU, ev.x, finiteDifferenceStep);
        const straddles = (i: number) => cd.mid[i] - cd.step[i] / 2 < 0 && cd.mid[i] + cd.step[i] / 2 > 0;
        expectFiniteDifferences(cd, eluPrime64, (y) => activationValueError(bt, y), 1, "elu", straddles);
      }),
  });
}
