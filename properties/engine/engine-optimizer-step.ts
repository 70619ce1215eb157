/**
 * Law (the optimizers, on the code that trains): for every engine `train` can use on the
 * backend, every optimizer (SGD, momentum with and without Nesterov, Adam in TF1's form) with
 * random hyper-parameters, over 1–3 steps, the parameters after each step equal the float64
 * reference step (update-reference.ts) computed from that engine's own gradients and its
 * parameters before the step, within the running-error bound of a float32 implementation.
 */
import * as fc from "fast-check";
import { expectClose } from "../_internals/close.ts";
import { caseConfig, eachStep, enginesFor, netCases, optimizerSpecs } from "../_internals/engines.ts";
import { optimizerReference } from "../_internals/update-reference.ts";
import { defineLaw, type Law } from "../law.ts";
import { boundedArithmetic, boundedCloseness } from "../tolerance.ts";
import { boundedRule } from "../_internals/bounded-rule.ts";

/**
 * The law.
 *
 * @example
 * const law = engineOptimizerStep();
 */
export function engineOptimizerStep(): Law {
  return defineLaw({
    name: "engine-optimizer-step",
    group: "engine",
    statement: "On every engine train uses, each step of SGD, momentum (Nesterov or not) and TF1-form Adam with random " +
      "hyper-parameters moves the parameters to the float64 step computed from that engine's own gradients.",
    runs: 20,
    tolerance: ({ tolerance: bt }) => boundedRule(bt, "every parameter after each step"),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(netCases(), optimizerSpecs(), fc.integer({ min: 1, max: 3 }), async (c, optimizer, steps) => {
        const ar = boundedArithmetic(bt);
        for (const kind of enginesFor(c.spec)) {
          let reference: ReturnType<typeof optimizerReference> | null = null;
          await eachStep(kind, c, caseConfig(c, optimizer), steps, ({ gradients, before, after }, s, model) => {
            reference ??= optimizerReference(ar, optimizer, before.map((p) => p.length));
            const want = reference.step(before, gradients.map((g) => Array.from(g, ar.exact)));
            want.forEach((w, p) =>
              expectClose(after[p], w.map((x) => x.v), (i) => boundedCloseness(w[i]), `${kind}, ${optimizer.name} step ${s + 1}: ${model.parameters[p].name}`)
            );
          });
        }
      }),
  });
}
