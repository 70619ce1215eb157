/**
 * Law (seed 002, clip_by_norm): for one tensor t and c > 0, clipByNorm leaves t unchanged
 * when ‖t‖ ≤ c and otherwise rescales it to norm exactly c in the same direction (so
 * clip_by_norm([30, 40], 15) = [9, 12]); the result's norm is ≤ c, zero stays zero.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { clipByNorm } from "../../src/core/mod.ts";
import { seed32, uniformReal } from "../_internals/arbitraries.ts";
import { expectClose, fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { globalNorm64, planValues, readAndDispose, type TensorPlan, tensorPlans, toTensors } from "../_internals/tensors.ts";
import { defineLaw, type Law } from "../law.ts";
import { clipRtol, normRtol, unchangedCloseness } from "../tolerance.ts";

/**
 * A per-tensor clip under test: the core's `clipByNorm` unless a fault is planted.
 *
 * @example
 * const mine: ClipByNorm = (t, maxNorm) => myClipByNorm(t, maxNorm); await assertLaw(clipByNormLaw(mine));
 */
export type ClipByNorm = (t: tf.Tensor, maxNorm: number) => tf.Tensor;

interface Case {
  plans: TensorPlan[];
  /** log10(c/‖t‖); NaN marks seed 002's example */
  logRatio: number;
  allZero: boolean;
  seed: number;
}
const generated: fc.Arbitrary<Case> = fc.record({ plans: tensorPlans(1), logRatio: uniformReal(-3, 3), allZero: fc.boolean(), seed: seed32() });
const example: fc.Arbitrary<Case> = fc.constant({ plans: [{ shape: [2], exponent: 0, zero: false }], logRatio: NaN, allZero: false, seed: 0 });

/**
 * The law, for a clip implementation.
 *
 * @example
 * const law = clipByNormLaw();
 */
export function clipByNormLaw(clip: ClipByNorm = clipByNorm): Law {
  return defineLaw({
    name: "clip-by-norm",
    group: "clipping",
    statement: "clipByNorm leaves t unchanged when ‖t‖ ≤ c and otherwise rescales it to norm c in the same direction " +
      "(clip_by_norm([30, 40], 15) = [9, 12]); zero stays zero.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "as clip-by-global-norm, for one tensor: rescaled within γ_N/2 + 3·unit, unchanged bitwise on IEEE backends",
      values: { clipRtolAt125: clipRtol(125, bt), unchangedRtol: unchangedCloseness(bt).rtol },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.oneof({ arbitrary: generated, weight: 9 }, { arbitrary: example, weight: 1 }), async ({ plans, logRatio, allZero, seed }) => {
        const isExample = Number.isNaN(logRatio);
        const [values] = isExample ? [Float32Array.of(30, 40)] : planValues(plans, seed, allZero);
        const n = globalNorm64([values]);
        const c = isExample ? 15 : n > 0 ? n * 10 ** logRatio : 10 ** logRatio;
        const t = toTensors(plans, [values]);
        const [got] = await readAndDispose([clip(t[0], c)]);
        tf.dispose(t);
        const rtolN = normRtol(values.length, bt);
        const rtol = clipRtol(values.length, bt);
        const after = globalNorm64([got]);
        expect(after <= c * (1 + rtol), () => `‖clipByNorm(t, ${fmt(c)})‖ = ${fmt(after)} exceeds c (‖t‖ = ${fmt(n)})`);
        if (n <= c * (1 - rtolN)) expectClose(got, values, unchangedCloseness(bt), `‖t‖ = ${fmt(n)} ≤ c = ${fmt(c)}, yet t changed; element`);
        else if (n >= c * (1 + rtolN)) expectClose(got, values.map((v) => (v * c) / n), { rtol, atol: 0 }, `t is not rescaled to norm c = ${fmt(c)}; element`);
        if (isExample) expectClose(got, [9, 12], { rtol, atol: 0 }, "clip_by_norm([30, 40], 15)");
        if (allZero) expect(got.every((v) => v === 0), () => "a zero tensor did not stay zero");
      }),
  });
}
