/**
 * Law: σ'(x) ∈ [0, 1/4] with its maximum 1/4 at 0, σ' is even, and tf.grad's σ' agrees
 * with σ(x)(1 − σ(x)) and with a central difference of σ — for every finite float32 x,
 * tails, ±1e4, subnormals and ±0 included (source 003: "σ' has its maximum 0.25 at 0 and
 * tends to 0 in both tails").
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
import {
  activationValueError, F32_EPS, F32_U, finiteDifferenceStep, sigmoidDerivativeCloseness,
} from "../tolerance.ts";
import type { Activate } from "../implementations.ts";

const SIGMOID = { name: "sigmoid" } as const;

/** max |σ'''| = 1/8, at x = 0 (σ''' = σ'·(1 − 6σ + 6σ²)). */
const MAX_THIRD_DERIVATIVE = 1 / 8;

/**
 * σ'(x) in float64, accurate in both tails: e^{−|x|} / (1 + e^{−|x|})².
 *
 * @example
 * sigmoidPrime64(0); // 0.25
 */
export function sigmoidPrime64(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return e / (1 + e) ** 2;
}

/**
 * σ(x) in float64, accurate in both tails.
 *
 * @example
 * sigmoid64(0); // 0.5
 */
export function sigmoid64(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * σ for another implementation: κ_σ(x) = |x|·(1 − σ(x)), and σ″/σ′ = 1 − 2σ(x) = −tanh(x/2),
 * so κ_σ′(x) = |x|·|tanh(x/2)|.
 */
const SIGMOID_64: ActivationTruth = {
  spec: SIGMOID,
  symbol: "σ",
  value64: sigmoid64,
  derivative64: sigmoidPrime64,
  condition: (x) => Math.abs(x) * Math.max(sigmoid64(-x), Math.abs(Math.tanh(x / 2))),
  curvature: (x) => Math.abs(Math.tanh(x / 2)),
  maxThirdDerivative: MAX_THIRD_DERIVATIVE,
};

/**
 * The law, for an activation implementation: the core's `activate` (the default) is held to
 * its kernels' tolerances and to the identities of its formula (σ′ = σ(1 − σ) of its own
 * output, as tfjs's Sigmoid gradient and the fast engine compute it); any other
 * implementation — a user's — to the float64 σ and σ′ within the error its own float32
 * evaluation may make (`expectImplementation`, `implementationCloseness`).
 *
 * @example
 * await fc.assert(sigmoidDerivative().property({ backend: "cpu", tolerance: toleranceFor("cpu") }));
 * const mine = sigmoidDerivative((_spec, z) => tf.exp(tf.neg(tf.softplus(tf.neg(z)))));
 */
export function sigmoidDerivative(activate: Activate = coreActivate): Law {
  if (activate !== coreActivate) return implementationLaw(activate, SIGMOID_64, "sigmoid-derivative");
  return defineLaw({
    name: "sigmoid-derivative",
    group: "activations",
    statement: "For every finite float32 x, tf.grad's σ'(x) lies in [0, 1/4], equals 1/4 at 0, is even, " +
      "and agrees with σ(x)(1 − σ(x)) and with a central difference of σ; the fast engine's σ' from σ(x) (host loop, " +
      "kernel module) and derivativeFromOutput agree with σ'(x) too.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "0 ≤ σ' ≤ 1/4 exactly; |σ' − σ'₆₄| ≤ e(y) + 2u·σ'₆₄ with e(y) = kernelUlps·u·|y| + kernelAbsUlps·u; " +
        "central difference with step ∛ε·max(1,|x|) within rounding + truncation (max|σ'''| = 1/8)",
      values: { u: F32_U, kernelUlps: bt.kernelUlps, kernelAbsUlps: bt.kernelAbsUlps, fdStep: Math.cbrt(F32_EPS), maxThirdDerivative: MAX_THIRD_DERIVATIVE },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 }), async (xs) => {
        const n = xs.length;
        const ev = await evaluateActivation(activate, SIGMOID, [...xs, ...xs.map((x) => -x), 0, -0]);
        const tol = (i: number) => sigmoidDerivativeCloseness(bt, ev.y[i]);
        for (let i = 0; i < ev.x.length; i++) {
          expect(ev.d[i] >= 0 && ev.d[i] <= 0.25, () => `σ'(${fmt(ev.x[i])}) = ${fmt(ev.d[i])} is outside [0, 1/4]`);
        }
        expectClose([ev.d[2 * n], ev.d[2 * n + 1]], [0.25, 0.25], (i) => tol(2 * n + i), "σ'(±0)");
        for (let i = 0; i < n; i++) {
          const a = tol(i), b = tol(n + i), d = sigmoidPrime64(ev.x[i]);
          const allowed = a.atol + b.atol + (a.rtol + b.rtol) * d;
          expect(isClose(ev.d[i], ev.d[n + i], { rtol: 0, atol: allowed }), () =>
            `σ' is not even at x = ${fmt(ev.x[i])}: σ'(x) = ${fmt(ev.d[i])}, σ'(−x) = ${fmt(ev.d[n + i])} (allowed ${fmt(allowed)})`);
        }
        expectDerivative(ev, sigmoidPrime64, tol, "σ'");
        await expectFastDerivatives(SIGMOID, ev, (i) => sigmoidPrime64(ev.x[i]), tol, "σ'", bt.flushesSubnormals);
        // The autodiff derivative is the identity σ(1 − σ) of the forward value, to two roundings.
        expectClose(ev.d, Array.from(ev.y, (y) => y * (1 - y)), (i) => ({ rtol: 2 * F32_U, atol: 2 * F32_U * ev.d[i] }), "σ' vs σ(1−σ)");
        const cd = await centralDifferences(activate, SIGMOID, ev.x, finiteDifferenceStep);
        expectFiniteDifferences(cd, sigmoidPrime64, (y) => activationValueError(bt, y), MAX_THIRD_DERIVATIVE, "σ");
      }),
  });
}
