/**
 * Law (an optimizer on its own): SGD, momentum (heavy ball or Nesterov, as TF's
 * MomentumOptimizer) and Adam in TF1's form, with random hyper-parameters, over 1–3 steps of
 * random gradients on 1–3 variables: after each step the variables equal the float64 reference
 * step (update-reference.ts) from the gradients and the variables before it, within the
 * running-error bound of a float32 implementation. The core's optimizers are checked where
 * training drives them by engine-optimizer-step; this law takes any implementation of the
 * `Optimizer` interface — a user's, or tfjs's own behind an adapter.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { createOptimizer, type Optimizer, type OptimizerSpec, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { boundedRule } from "../_internals/bounded-rule.ts";
import { expectClose } from "../_internals/close.ts";
import { optimizerSpecs } from "../_internals/engines.ts";
import { optimizerReference } from "../_internals/update-reference.ts";
import { defineLaw, type Law } from "../law.ts";
import { boundedArithmetic, boundedCloseness } from "../tolerance.ts";

/**
 * An optimizer under test, created for a spec the law draws and the variables it trains (the
 * core's `createOptimizer` by default).
 *
 * @example
 * const mine: CreateOptimizer = (spec, variables) => mySgd(variables, spec.learningRate);
 */
export type CreateOptimizer = (spec: OptimizerSpec, variables: tf.Variable[]) => Optimizer;

/**
 * The optimizers a spec may name.
 *
 * @example
 * const names: OptimizerName[] = ["sgd", "momentum"];
 */
export type OptimizerName = OptimizerSpec["name"];

/**
 * The law, for an optimizer implementation and the optimizers it implements (default all three).
 *
 * @example
 * const law = optimizerStep();
 * const mine = optimizerStep((spec, vars) => mySgd(vars, spec.learningRate), ["sgd"]);
 */
export function optimizerStep(create: CreateOptimizer = createOptimizer, names: readonly OptimizerName[] = ["sgd", "momentum", "adam"]): Law {
  if (names.length === 0) throw new Error("optimizerStep: names: expected at least one of sgd, momentum, adam");
  return defineLaw({
    name: "optimizer-step",
    group: "engine",
    statement: `Each step of ${names.join(", ")} (momentum heavy-ball or Nesterov as TF's MomentumOptimizer, Adam in TF1's form) ` +
      "with random hyper-parameters moves the variables to the float64 step from the gradients and the variables before it.",
    runs: 30,
    tolerance: ({ tolerance: bt }) => boundedRule(bt, "every variable after each step"),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(
        optimizerSpecs().filter((s) => names.includes(s.name)),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        seed32(),
        async (spec, sizes, steps, seed) => {
          const rng = new Rng(seed);
          const ar = boundedArithmetic(bt);
          const variables = sizes.map((n) => tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from({ length: n }, () => rng.normal())))));
          const optimizer = create(spec, variables);
          try {
            const reference = optimizerReference(ar, spec, sizes);
            for (let s = 0; s < steps; s++) {
              const before = variables.map((v) => v.dataSync() as Float32Array);
              const values = sizes.map((n) => Float32Array.from({ length: n }, () => rng.normal()));
              const gradients = values.map((g) => tf.tensor1d(g));
              optimizer.apply(gradients);
              tf.dispose(gradients);
              const want = reference.step(before, values.map((g) => Array.from(g, ar.exact)));
              want.forEach((w, p) =>
                expectClose(variables[p].dataSync(), w.map((x) => x.v), (i) => boundedCloseness(w[i]), `${spec.name} step ${s + 1}, variable ${p}`)
              );
            }
          } finally {
            optimizer.dispose();
            tf.dispose(variables);
          }
        },
      ),
  });
}
