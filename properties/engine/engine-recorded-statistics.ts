/**
 * Law (the recorder): for every engine `train` can use on the backend, with any clipping,
 * the statistics it records for a step — mean |g| and ‖g‖ per tensor, the global norm, and
 * the norms after clipping — equal the float64 recomputation (update-reference.ts) from that
 * engine's own gradients and the clipped gradients they give; without clipping it records no
 * norms after clipping.
 */
import * as fc from "fast-check";
import { expectClose } from "../_internals/close.ts";
import { boundedRule } from "../_internals/bounded-rule.ts";
import { caseConfig, clippingFor, clippingPlans, eachStep, enginesFor, netCases } from "../_internals/engines.ts";
import { expect } from "../_internals/expect.ts";
import { clipReference, statisticsReference } from "../_internals/update-reference.ts";
import { defineLaw, type Law } from "../law.ts";
import { type Bounded, boundedArithmetic, boundedCloseness } from "../tolerance.ts";

/**
 * The law.
 *
 * @example
 * const law = engineRecordedStatistics();
 */
export function engineRecordedStatistics(): Law {
  return defineLaw({
    name: "engine-recorded-statistics",
    group: "engine",
    statement: "On every engine train uses, the recorded mean |g|, ‖g‖ per tensor, global norm and norms after clipping equal " +
      "their float64 recomputation from that engine's gradients and their clipped values.",
    runs: 20,
    tolerance: ({ tolerance: bt }) => boundedRule(bt, "every recorded statistic"),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(netCases(), fc.option(clippingPlans(), { freq: 4 }), fc.integer({ min: 1, max: 2 }), async (c, plan, steps) => {
        const ar = boundedArithmetic(bt);
        const clipping = plan ? await clippingFor(c, plan) : { name: "none" as const };
        const optimizer = { name: "sgd" as const, learningRate: 0.1 };
        for (const kind of enginesFor(c.spec)) {
          await eachStep(kind, c, caseConfig(c, optimizer, clipping), steps, ({ gradients, stats }, s) => {
            const want = statisticsReference(ar, gradients, clipReference(ar, clipping, gradients));
            const at = `${kind}, ${JSON.stringify(clipping)}, step ${s + 1}`;
            const close = (got: number[], w: Bounded[], what: string) => expectClose(got, w.map((x) => x.v), (i) => boundedCloseness(w[i]), `${at}: ${what}`);
            close(stats.meanAbs, want.meanAbs, "mean |g|");
            close(stats.l2, want.l2, "‖g‖");
            close([stats.globalNorm], [want.globalNorm], "global norm");
            if (clipping.name === "none") {
              expect(stats.clippedL2 === undefined && stats.clippedGlobalNorm === undefined, () => `${at}: norms after clipping recorded without clipping`);
            } else {
              expect(stats.clippedL2 !== undefined && stats.clippedGlobalNorm !== undefined, () => `${at}: no norms after clipping recorded`);
              close(stats.clippedL2!, want.clippedL2, "‖g‖ after clipping");
              close([stats.clippedGlobalNorm!], [want.clippedGlobalNorm], "global norm after clipping");
            }
          });
        }
      }),
  });
}
