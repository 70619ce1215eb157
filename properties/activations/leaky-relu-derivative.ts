/**
 * Law: leakyRelu'(x) ∈ {α, 1}: 1 for x > 0 and α for x ≤ 0 (α as the float32 tfjs uses),
 * matching a central difference away from the kink.
 */
import * as fc from "fast-check";
import { activate as coreActivate } from "../../src/core/mod.ts";
import { finiteFloat32 } from "../_internals/arbitraries.ts";
import {
  type ActivationTruth, centralDifferences, evaluateActivation, expectFastDerivatives, expectFiniteDifferences, implementationLaw,
} from "../_internals/activation-check.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { activationValueError, F32_EPS, F32_MIN_NORMAL, F32_U, finiteDifferenceStep } from "../tolerance.ts";
import type { Activate } from "../implementations.ts";

/** The slopes the law draws: the experiments' and any in [1e-4, 0.999]. */
const ALPHAS = fc.oneof(fc.constantFrom(0.01, 0.2, 0.3), fc.float({ min: Math.fround(1e-4), max: Math.fround(0.999), noNaN: true }));

/**
 * leaky ReLU with slope α for another implementation: κ = 1 off 0 (f = x or αx), f″ = 0 off
 * the kink, f′(0) anywhere in [α, 1]. α is taken as given; an implementation that rounds it to
 * float32 errs by u·|αx|, one rounding, within its kernels' error.
 */
function leakyRelu64(alpha: number): ActivationTruth {
  return {
    spec: { name: "leakyRelu", alpha },
    symbol: "leakyRelu",
    value64: (x) => (x > 0 ? x : alpha * x),
    derivative64: (x) => (x > 0 ? 1 : alpha),
    condition: (x) => (x === 0 ? 0 : 1),
    curvature: () => 0,
    maxThirdDerivative: 0,
    kink: { left: alpha, right: 1 },
  };
}

/**
 * The law, for an activation implementation: the core's `activate` (the default) exactly as
 * tfjs and the fast engine compute it (leakyRelu′(0) = α); any other implementation — a
 * user's — to leaky ReLU within its own float32 error for every drawn α, with leakyRelu′(0)
 * any subgradient in [α, 1] (`implementationLaw`).
 *
 * @example
 * const law = leakyReluDerivative();
 * const mine = leakyReluDerivative((spec, z) => tf.maximum(z, tf.mul(spec.name === "leakyRelu" ? spec.alpha : 0, z)));
 */
export function leakyReluDerivative(activate: Activate = coreActivate): Law {
  if (activate !== coreActivate) return implementationLaw(activate, leakyRelu64(0.2), "leaky-relu-derivative", { parameter: ALPHAS, member: leakyRelu64 });
  return defineLaw({
    name: "leaky-relu-derivative",
    group: "activations",
    statement: "For every α ∈ (0, 1) and finite float32 x, tf.grad's leakyRelu'(x) is exactly 1 for x > 0 and exactly α for x ≤ 0, " +
      "and agrees with a central difference away from the kink; so is the fast engine's leakyRelu' from leakyRelu(x) " +
      "(host loop, kernel module) and derivativeFromOutput, α as given or in float32.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "derivative exact; central difference within the rounding of α·x (kernelUlps·u relative) and of α to float32 (u)",
      values: { fdStep: Math.cbrt(F32_EPS), kernelUlps: bt.kernelUlps, flushesSubnormals: bt.flushesSubnormals ? 1 : 0 },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(
        ALPHAS,
        fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 }),
        async (alpha, xs) => {
          const spec = { name: "leakyRelu", alpha } as const;
          const slope = Math.fround(alpha);
          const ev = await evaluateActivation(activate, spec, [...xs, 0, -0]);
          for (let i = 0; i < ev.x.length; i++) {
            const x = ev.x[i];
            const flushed = bt.flushesSubnormals && x > 0 && x < F32_MIN_NORMAL && ev.d[i] === slope;
            expect(ev.d[i] === (x > 0 ? 1 : slope) || flushed, () => `leakyRelu'(${fmt(x)}) with α = ${fmt(alpha)} is ${fmt(ev.d[i])}, expected ${x > 0 ? 1 : fmt(slope)}`);
          }
          const fromOutput = (i: number) => (ev.x[i] > 0 && !(bt.flushesSubnormals && ev.y[i] === 0) ? 1 : alpha);
          await expectFastDerivatives(spec, ev, fromOutput, () => ({ rtol: F32_U, atol: 0 }), "leakyRelu'", bt.flushesSubnormals);
          const cd = await centralDifferences(activate, spec, ev.x, finiteDifferenceStep);
          const straddles = (i: number) => cd.mid[i] - cd.step[i] / 2 < 0 && cd.mid[i] + cd.step[i] / 2 > 0;
          // A backend may multiply by α as given (cpu, in float64) or by α in float32: one more u·|y| per value.
          expectFiniteDifferences(cd, (x) => (x > 0 ? 1 : slope), (y) => activationValueError(bt, y, 0) + F32_U * Math.abs(y), 0, "leakyRelu", straddles);
        },
      ),
  });
}
