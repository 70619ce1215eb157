/**
 * Law: relu'(x) ∈ {0, 1}: 1 for x > 0 and 0 for x ≤ 0 (tfjs's choice at the kink, ±0
 * included), matching a central difference wherever the difference does not straddle 0.
 */
import * as fc from "fast-check";
import { activate as coreActivate } from "../../src/core/mod.ts";
import { finiteFloat32 } from "../_internals/arbitraries.ts";
import { type Activate, centralDifferences, evaluateActivation, expectFastDerivatives, expectFiniteDifferences } from "../_internals/activation-check.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { F32_EPS, F32_MIN_NORMAL, finiteDifferenceStep } from "../tolerance.ts";

const RELU = { name: "relu" } as const;

/**
 * The law, for an activation implementation (the core's `activate` unless a fault is planted).
 *
 * @example
 * const law = reluDerivative();
 */
export function reluDerivative(activate: Activate = coreActivate): Law {
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
