/**
 * Law (clipping, on the update that is applied): for every engine `train` can use on the
 * backend, clipping by global norm, by per-tensor norm and by value — thresholds set around
 * the gradients' own size, so some steps and tensors are clipped and some not — under every
 * optimizer, moves the parameters to the float64 step on the clipped gradients
 * (update-reference.ts), computed from that engine's own gradients. A clip the update does not
 * see (a factor computed but not applied, a bound lost) moves them elsewhere.
 */
import * as fc from "fast-check";
import { expectClose } from "../_internals/close.ts";
import { boundedRule } from "../_internals/bounded-rule.ts";
import { caseConfig, clippingFor, clippingPlans, eachStep, enginesFor, netCases, optimizerSpecs } from "../_internals/engines.ts";
import { clipReference, optimizerReference } from "../_internals/update-reference.ts";
import { defineLaw, type Law } from "../law.ts";
import { boundedArithmetic, boundedCloseness } from "../tolerance.ts";

/**
 * The law.
 *
 * @example
 * const law = engineClipping();
 */
export function engineClipping(): Law {
  return defineLaw({
    name: "engine-clipping",
    group: "engine",
    statement: "On every engine train uses, clipping by global norm, by norm and by value is applied to the update: the " +
      "parameters after each step equal the float64 optimizer step on the clipped gradients of that engine.",
    runs: 20,
    tolerance: ({ tolerance: bt }) => boundedRule(bt, "every parameter after each step"),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(netCases(), clippingPlans(), optimizerSpecs(), fc.integer({ min: 1, max: 2 }), async (c, plan, optimizer, steps) => {
        const ar = boundedArithmetic(bt);
        const clipping = await clippingFor(c, plan);
        for (const kind of enginesFor(c.spec)) {
          let reference: ReturnType<typeof optimizerReference> | null = null;
          await eachStep(kind, c, caseConfig(c, optimizer, clipping), steps, ({ gradients, before, after }, s, model) => {
            reference ??= optimizerReference(ar, optimizer, before.map((p) => p.length));
            const want = reference.step(before, clipReference(ar, clipping, gradients));
            want.forEach((w, p) =>
              expectClose(after[p], w.map((x) => x.v), (i) => boundedCloseness(w[i]), `${kind}, ${JSON.stringify(clipping)}, ${optimizer.name} step ${s + 1}: ${model.parameters[p].name}`)
            );
          });
        }
      }),
  });
}
