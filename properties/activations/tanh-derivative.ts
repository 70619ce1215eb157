/**
 * Law: tanh'(x) ∈ [0, 1] with its maximum 1 at 0, tanh' is even, and tf.grad's tanh' agrees
 * with 1 − tanh²(x) and with a central difference of tanh, for every finite float32 x
 * (source 003: "tanh'(x) ≤ 1 with maximum at 0").
 */
import * as fc from "fast-check";
import { activate as coreActivate } from "../../src/core/mod.ts";
import { finiteFloat32 } from "../_internals/arbitraries.ts";
import {
  centralDifferences, evaluateActivation, expectDerivative, expectFastDerivatives, expectFiniteDifferences, implementationLaw, type ActivationTruth,
} from "../_internals/activation-check.ts";
import { expectClose, fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { activationValueError, F32_EPS, F32_U, finiteDifferenceStep, tanhDerivativeCloseness } from "../tolerance.ts";
import type { Activate } from "../implementations.ts";

const TANH = { name: "tanh" } as const;

/** max |tanh'''| = 2, at x = 0 (tanh''' = −2·sech²·(1 − 3·tanh²)... = −2 at 0). */
const MAX_THIRD_DERIVATIVE = 2;

/**
 * tanh'(x) = sech²(x) in float64, accurate in both tails: 4e^{−2|x|} / (1 + e^{−2|x|})².
 *
 * @example
 * tanhPrime64(0); // 1
 */
export function tanhPrime64(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  return (4 * e) / (1 + e) ** 2;
}

/**
 * tanh for another implementation: κ_tanh(x) = |x|·tanh′(x)/|tanh(x)| (1 at 0), and
 * tanh″/tanh′ = −2·tanh(x), so κ_tanh′(x) = 2|x·tanh(x)|.
 */
const TANH_64: ActivationTruth = {
  spec: TANH,
  symbol: "tanh",
  value64: Math.tanh,
  derivative64: tanhPrime64,
  condition: (x) => Math.max(x === 0 ? 1 : Math.abs(x) * tanhPrime64(x) / Math.abs(Math.tanh(x)), 2 * Math.abs(x * Math.tanh(x))),
  curvature: (x) => 2 * Math.abs(Math.tanh(x)),
  maxThirdDerivative: MAX_THIRD_DERIVATIVE,
};

/**
 * The law, for an activation implementation: the core's `activate` (the default) is held to
 * its kernels' tolerances and to its formula's identities (tanh′ = 1 − y² of its own output);
 * any other implementation to the float64 tanh and tanh′ within the error its own float32
 * evaluation may make (`implementationLaw`).
 *
 * @example
 * const law = tanhDerivative();
 * const mine = tanhDerivative((_spec, z) => tf.tanh(z));
 */
export function tanhDerivative(activate: Activate = coreActivate): Law {
  if (activate !== coreActivate) return implementationLaw(activate, TANH_64, "tanh-derivative");
  return defineLaw({
    name: "tanh-derivative",
    group: "activations",
    statement: "For every finite float32 x, tf.grad's tanh'(x) lies in [0, 1], equals its maximum 1 at 0, is even, " +
      "and agrees with 1 − tanh²(x) and with a central difference of tanh; the fast engine's tanh' from tanh(x) (host loop, " +
      "kernel module) and derivativeFromOutput agree with tanh'(x) too.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "0 ≤ tanh' ≤ 1 exactly; |tanh' − tanh'₆₄| ≤ 2|y|·e(y) + u·y² + u·tanh'₆₄ with e(y) = kernelUlps·u·|y| + kernelAbsUlps·u; " +
        "central difference with step ∛ε·max(1,|x|) within rounding + truncation (max|tanh'''| = 2)",
      values: { u: F32_U, kernelUlps: bt.kernelUlps, kernelAbsUlps: bt.kernelAbsUlps, fdStep: Math.cbrt(F32_EPS), maxThirdDerivative: MAX_THIRD_DERIVATIVE },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 }), async (xs) => {
        const n = xs.length;
        const ev = await evaluateActivation(activate, TANH, [...xs, ...xs.map((x) => -x), 0, -0]);
        const tol = (i: number) => tanhDerivativeCloseness(bt, ev.y[i]);
        for (let i = 0; i < ev.x.length; i++) {
          expect(ev.d[i] >= 0 && ev.d[i] <= 1, () => `tanh'(${fmt(ev.x[i])}) = ${fmt(ev.d[i])} is outside [0, 1]`);
        }
        expect(ev.d[2 * n] === 1 && ev.d[2 * n + 1] === 1, () => `tanh'(±0) = ${fmt(ev.d[2 * n])}, ${fmt(ev.d[2 * n + 1])}, expected the maximum 1`);
        for (let i = 0; i < n; i++) {
          const a = tol(i), b = tol(n + i), d = tanhPrime64(ev.x[i]);
          const allowed = a.atol + b.atol + (a.rtol + b.rtol) * d;
          expect(isClose(ev.d[i], ev.d[n + i], { rtol: 0, atol: allowed }), () =>
            `tanh' is not even at x = ${fmt(ev.x[i])}: ${fmt(ev.d[i])} vs ${fmt(ev.d[n + i])} (allowed ${fmt(allowed)})`);
        }
        expectDerivative(ev, tanhPrime64, tol, "tanh'");
        await expectFastDerivatives(TANH, ev, (i) => tanhPrime64(ev.x[i]), tol, "tanh'", bt.flushesSubnormals);
        expectClose(ev.d, Array.from(ev.y, (y) => 1 - y * y), (i) => ({ rtol: 2 * F32_U, atol: F32_U * ev.y[i] * ev.y[i] }), "tanh' vs 1 − tanh²");
        const cd = await centralDifferences(activate, TANH, ev.x, finiteDifferenceStep);
        expectFiniteDifferences(cd, tanhPrime64, (y) => activationValueError(bt, y), MAX_THIRD_DERIVATIVE, "tanh");
      }),
  });
}
