/**
 * Law: selu'(x) = λ for x > 0 and λα·e^x for x ≤ 0 (Klambauer et al. 2017), so
 * 0 < selu' ≤ λα ≈ 1.7581 with the jump from λα to λ at 0; tf.grad's selu' agrees with it
 * and with a central difference away from 0.
 */
import * as fc from "fast-check";
import { activate as coreActivate, SELU_ALPHA, SELU_LAMBDA } from "../../src/core/mod.ts";
import { finiteFloat32 } from "../_internals/arbitraries.ts";
import {
  type ActivationTruth, centralDifferences, evaluateActivation, expectDerivative, expectFastDerivatives, expectFiniteDifferences, expSideCondition,
  implementationLaw,
} from "../_internals/activation-check.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { activationValueError, expDerivativeCloseness, F32_EPS, F32_U, finiteDifferenceStep, flushed } from "../tolerance.ts";
import type { Activate } from "../implementations.ts";

const SELU = { name: "selu" } as const;
const LAMBDA_ALPHA = SELU_LAMBDA * SELU_ALPHA;

/**
 * selu'(x) in float64.
 *
 * @example
 * seluPrime64(1); // λ ≈ 1.0507
 */
export function seluPrime64(x: number): number {
  return x > 0 ? SELU_LAMBDA : LAMBDA_ALPHA * Math.exp(x);
}

/**
 * selu for another implementation: λx above 0, λα(e^x − 1) below (κ as elu's); f′ jumps at 0
 * from λα to λ, so selu′(0) may be any value in [λ, λα].
 */
const SELU_64: ActivationTruth = {
  spec: SELU,
  symbol: "selu",
  value64: (x) => (x > 0 ? SELU_LAMBDA * x : LAMBDA_ALPHA * Math.expm1(x)),
  derivative64: seluPrime64,
  condition: expSideCondition,
  curvature: (x) => (x > 0 ? 0 : 1),
  floor: (x) => (x > 0 ? 0 : LAMBDA_ALPHA * Math.exp(x)),
  maxThirdDerivative: LAMBDA_ALPHA,
  kink: { left: LAMBDA_ALPHA, right: SELU_LAMBDA },
};

/**
 * The law, for an activation implementation: the core's `activate` (the default) as tfjs and
 * the fast engine compute it; any other implementation — a user's — to the float64 selu and
 * selu′ within its own float32 error, selu′(0) any value in [λ, λα] (`implementationLaw`).
 *
 * @example
 * const law = seluDerivative();
 * const mine = seluDerivative((_spec, z) => tf.selu(z));
 */
export function seluDerivative(activate: Activate = coreActivate): Law {
  if (activate !== coreActivate) return implementationLaw(activate, SELU_64, "selu-derivative");
  return defineLaw({
    name: "selu-derivative",
    group: "activations",
    statement: "For every finite float32 x, tf.grad's selu'(x) is λ for x > 0 and λα·e^x ∈ [0, λα] for x ≤ 0 (λα ≈ 1.7581), " +
      "and agrees with a central difference of selu away from 0; the fast engine's selu' = y + λα from y ≤ 0 (host loop, " +
      "kernel module) and derivativeFromOutput agree with λα·e^x too.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => {
      const t = expDerivativeCloseness(bt, LAMBDA_ALPHA);
      return {
        rule: "|selu' − selu'₆₄| ≤ atol + rtol·selu'₆₄ (one exp kernel and two roundings); bounds within rtol; " +
          "central difference within rounding + truncation (max|selu'''| = λα for x ≤ 0), not across 0; a backend " +
          "that flushes subnormals may return selu'(0) = λα for a subnormal x > 0",
        values: { rtol: t.rtol, atol: t.atol, fdStep: Math.cbrt(F32_EPS), maxThirdDerivative: LAMBDA_ALPHA, flushesSubnormals: bt.flushesSubnormals ? 1 : 0 },
      };
    },
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 }), async (xs) => {
        const computed = await evaluateActivation(activate, SELU, [...xs, 0, -0]);
        const tol = expDerivativeCloseness(bt, LAMBDA_ALPHA);
        // A backend that flushes subnormals (tolerance.ts) may differentiate at 0 in place of a subnormal x.
        const seen = computed.x.map((x, i) => (isClose(computed.d[i], seluPrime64(flushed(bt, x)), tol) ? flushed(bt, x) : x));
        const ev = { ...computed, x: seen };
        const top = LAMBDA_ALPHA * (1 + tol.rtol) + tol.atol;
        for (let i = 0; i < ev.x.length; i++) {
          const x = ev.x[i], d = ev.d[i];
          expect(d >= 0 && d <= top, () => `selu'(${fmt(x)}) = ${fmt(d)} is outside [0, λα = ${fmt(LAMBDA_ALPHA)}]`);
        }
        expectDerivative(ev, seluPrime64, () => tol, "selu'");
        // from the output: y + λα, within y's error and two roundings (λα in float32, the sum); a
        // flushed selu(x) of a tiny x > 0 is a 0, as for x ≤ 0
        const fromOutput = (i: number) => (bt.flushesSubnormals && ev.x[i] > 0 && ev.y[i] === 0 ? LAMBDA_ALPHA : seluPrime64(ev.x[i]));
        await expectFastDerivatives(SELU, ev, fromOutput, (i) => ({ rtol: 2 * F32_U, atol: activationValueError(bt, ev.y[i], LAMBDA_ALPHA) }), "selu'", bt.flushesSubnormals);
        const cd = await centralDifferences(activate, SELU, ev.x, finiteDifferenceStep);
        const straddles = (i: number) => cd.mid[i] - cd.step[i] / 2 < 0 && cd.mid[i] + cd.step[i] / 2 > 0;
        expectFiniteDifferences(cd, seluPrime64, (y) => activationValueError(bt, y, LAMBDA_ALPHA), LAMBDA_ALPHA, "selu", straddles);
      }),
  });
}
