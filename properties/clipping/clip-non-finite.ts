/**
 * Law (defined behaviour on non-finite gradients, documented in src/core/clipping.ts): if
 * any gradient element is NaN or ±Inf — or the finite squares overflow float32, Σg² > 3.4e38 —
 * clipByGlobalNorm returns every tensor all NaN, and its norm is NaN when a NaN is present,
 * +Inf otherwise; clipByNorm turns just the offending tensor all NaN. The problem cannot
 * pass silently as a clipped, plausible-looking update.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { clipByGlobalNorm, clipByNorm, Rng } from "../../src/core/mod.ts";
import { logUniform, seed32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { planValues, readAndDispose, tensorPlans, toTensors } from "../_internals/tensors.ts";
import { defineLaw, type Law } from "../law.ts";
import type { ClipByGlobalNorm } from "./clip-by-global-norm.ts";
import type { ClipByNorm } from "./clip-by-norm.ts";

const poisons = fc.constantFrom(NaN, Infinity, -Infinity, 1e20, -3e25);

/**
 * The law, for the two norm clips (the core's unless a fault is planted).
 *
 * @example
 * const law = clipNonFinite();
 */
export function clipNonFinite(global: ClipByGlobalNorm = clipByGlobalNorm, perTensor: ClipByNorm = clipByNorm): Law {
  return defineLaw({
    name: "clip-non-finite",
    group: "clipping",
    statement: "With a NaN, ±Inf or an overflowing Σg² among the gradients, clipByGlobalNorm returns every tensor all NaN " +
      "(norm NaN if a NaN is present, else +Inf) and clipByNorm turns exactly the offending tensors all NaN.",
    runs: 40,
    tolerance: () => ({ rule: "exact: non-finite values match only themselves", values: {} }),
    property: () =>
      fc.asyncProperty(tensorPlans(), fc.array(poisons, { minLength: 1, maxLength: 3 }), logUniform(-3, 3), seed32(), async (plans, bad, c, seed) => {
        const values = planValues(plans, seed, false);
        const rng = new Rng(seed).fork("poison");
        const poisoned = new Set<number>();
        for (const p of bad) {
          const i = rng.int(values.length);
          values[i][rng.int(values[i].length)] = p;
          poisoned.add(i);
        }
        const hasNaN = values.some((v) => v.some(Number.isNaN));
        const overflows = values.map((v) => v.some((x) => !Number.isFinite(x) || Math.fround(x * x) === Infinity));

        const tensors = toTensors(plans, values);
        const { clipped, norm } = global(tensors, c);
        const [got, [n]] = await Promise.all([readAndDispose(clipped), readAndDispose([norm])]);
        got.forEach((t, i) => expect(t.every(Number.isNaN), () => `clipByGlobalNorm: tensor ${i} has a non-NaN element after a non-finite input`));
        expect(hasNaN ? Number.isNaN(n[0]) : n[0] === Infinity, () => `clipByGlobalNorm returned norm ${fmt(n[0])}, expected ${hasNaN ? "NaN" : "+Inf"}`);

        const each = await readAndDispose(tensors.map((t) => perTensor(t, c)));
        tf.dispose(tensors);
        each.forEach((t, i) => {
          if (overflows[i]) expect(t.every(Number.isNaN), () => `clipByNorm: tensor ${i} holds a non-finite value or overflows, yet is not all NaN`);
          else expect(t.every(Number.isFinite), () => `clipByNorm: tensor ${i} is finite, yet came back with a non-finite value`);
        });
        expect([...poisoned].every((i) => overflows[i]), () => "a poisoned tensor was not seen as non-finite");
      }),
  });
}
