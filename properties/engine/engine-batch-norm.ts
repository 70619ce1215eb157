/**
 * Law (batch norm in the fast engine): where the fast engine trains (host-memory backends),
 * for nets with a batch-normalized layer (linear or ReLU, then a linear output layer or not),
 * random momentum and ε, over two SGD steps, the loss, every gradient (through batch norm's
 * backward pass: dγ, dβ and the input gradient) and the moving mean and variance after each
 * step equal the float64 reference (batch-norm-net.ts) computed from the parameters the step
 * starts with, within the running-error bound of a float32 implementation.
 */
import * as fc from "fast-check";
import { gatherBatch } from "../../src/core/mod.ts";
import { batchNormNets, batchNormNetStep } from "../_internals/batch-norm-net.ts";
import { boundedRule } from "../_internals/bounded-rule.ts";
import { expectClose } from "../_internals/close.ts";
import { caseConfig, caseData, eachStep, enginesFor } from "../_internals/engines.ts";
import { defineLaw, type Law } from "../law.ts";
import { type Bounded, boundedArithmetic, boundedCloseness } from "../tolerance.ts";

const STEPS = 2;

/**
 * The law.
 *
 * @example
 * const law = engineBatchNorm();
 */
export function engineBatchNorm(): Law {
  return defineLaw({
    name: "engine-batch-norm",
    group: "engine",
    statement: "Where the fast engine trains, batch norm's forward pass (the loss, the moving mean and variance) and backward " +
      "pass (dγ, dβ and every gradient below it) equal their float64 reference at every step.",
    runs: 20,
    tolerance: ({ tolerance: bt }) => boundedRule(bt, "the loss, every gradient and the moving statistics"),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(batchNormNets(), async (c) => {
        const ar = boundedArithmetic(bt);
        const data = caseData(c, STEPS);
        const { momentum } = c.spec.layers[0].batchNorm!;
        const config = caseConfig(c, { name: "sgd", learningRate: 0.5 });
        for (const kind of enginesFor(c.spec).filter((k) => k !== "autodiff")) {
          await eachStep(kind, c, config, STEPS, ({ loss, gradients, before, movingBefore, movingAfter }, s, model) => {
            const batch = gatherBatch(data, null, s * c.rows, c.rows);
            const want = batchNormNetStep(ar, c.spec, before, batch.x, batch.targets, c.rows);
            const at = `${kind}, step ${s + 1}`;
            const close = (got: ArrayLike<number>, w: Bounded[], what: string) => expectClose(got, w.map((x) => x.v), (i) => boundedCloseness(w[i]), `${at}: ${what}`);
            close([loss], [want.loss], "loss");
            want.gradients.forEach((w, p) => close(gradients[p], w, `gradient of ${model.parameters[p].name}`));
            const moved = (prior: Float32Array, stat: Bounded[]) =>
              stat.map((x, j) => ar.add(ar.mul(ar.constant(momentum), ar.exact(prior[j])), ar.mul(ar.constant(1 - momentum), x)));
            close(movingAfter[0], moved(movingBefore[0], want.mean), "moving mean");
            close(movingAfter[1], moved(movingBefore[1], want.variance), "moving variance");
          });
        }
      }),
  });
}
