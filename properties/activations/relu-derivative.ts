/**
 * Law: relu'(x) ∈ {0, 1}: 1 for x > 0 and 0 for x ≤ 0 (tfjs's choice at the kink, ±0
 * included), matching a central difference wherever the difference does not straddle 0.
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
import { F32_EPS, F32_MIN_NORMAL, finiteDifferenceStep } from "../tolerance.ts";
import type { Activate } from "../implementations.ts";

const RELU = { name: "relu" } as const;

/**
 * relu for another implementation: κ = 1 above 0 (f = x), 0 below (f = 0); f″ = 0 off the
 * kink; f′(0) anywhere in [0, 1].
 */
const RELU_64: ActivationTruth = {
  spec: RELU,
  symbol: "relu",
  value64: (x) => Math.max(x, 0),
  derivative64: (x) => (x > 0 ? 1 : 0),
  condition: (x) => (x > 0 ? 1 : 0),
  curvature: () => 0,
  maxThirdDerivative: 0,
  kink: { left: 0, right: 1 },
};

/**
 * The law, for an activation implementation: the core's `activate` (the default) exactly as
 * tfjs and the fast engine compute it (relu′(0) = 0); any other implementation — a user's — to
 * relu within its own float32 error, with relu′(0) any subgradient in [0, 1]
 * (`implementationLaw`): `tf.maximum(x, 0)`, whose gradient at 0 is 1, is a correct relu.
 *
 * @example
 * const law = reluDerivative();
 * const mine = reluDerivative((_spec, z) => tf.maximum(z, 0));
 */
export function reluDerivative(activate: Activate = coreActivate): Law {
  if (activate !== coreActivate) return implementationLaw(activate, RELU_64, "relu-derivative");
  return defineLaw({
    name: "relu-derivative",
    group: "activations",
    statement: "For every finite float32 x, tf.grad's relu'(x) is exactly 1 for x > 0 and exactly 0 for x ≤ 0, " +
      "and equals the central difference of relu away from the kink; so is the fast engine's relu' from relu(x) (host loop, kernel module) and derivativeFromOutput.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "exact: relu and its derivative involve no rounding (x⁺ − x⁻ is exact in float64); a backend that flushes " +
        "subnormals may return 0 for subnormal x > 0",
      values: { fdStep: Math.cbrt(F32_EPS), flushesSubnormals: bt.flushesSubnormals ? 1 : 0 },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.array(finiteFloat32(), { minLength: 1, maxLength: 32 }), async (xs) => {
        const ev = await evaluateActivation(activate, RELU, [...xs, 0, -0]);
        for (let i = 0; i < ev.x.length; i++) {
          const x = ev.x[i];
          const flushed = bt.flushesSubnormals && x > 0 && x < F32_MIN_NORMAL && ev.d[i] === 0;
          expect(ev.d[i] === (x > 0 ? 1 : 0) || flushed, () => `relu'(${fmt(x)}) = ${fmt(ev.d[i])}, expected ${x > 0 ? 1 : 0}`);
        }
        // from the output, a flushed relu(x) of a subnormal x > 0 is a 0, as for x ≤ 0
        const fromOutput = (i: number) => (ev.x[i] > 0 && !(bt.flushesSubnormals && ev.y[i] === 0) ? 1 : 0);
        await expectFastDerivatives(RELU, ev, fromOutput, () => ({ rtol: 0, atol: 0 }), "relu'", bt.flushesSubnormals);
        const cd = await centralDifferences(activate, RELU, ev.x, finiteDifferenceStep);
        const straddles = (i: number) => cd.mid[i] - cd.step[i] / 2 < 0 && cd.mid[i] + cd.step[i] / 2 > 0;
        expectFiniteDifferences(cd, (x) => (x > 0 ? 1 : 0), () => 0, 0, "relu", straddles);
      }),
  });
}
