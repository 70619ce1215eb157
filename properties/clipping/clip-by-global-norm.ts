/**
 * Law (seed 002, clip_by_global_norm): for any list of gradients with global norm
 * G = √(Σ‖g_i‖²) and any c > 0,
 *  - the returned norm is G;
 *  - if G ≤ c every tensor comes back unchanged;
 *  - otherwise every tensor is multiplied by the same factor c/G, so each keeps its
 *    direction (cosine 1) and the new global norm is c;
 *  - in all cases the result's global norm is ≤ c, and all-zero gradients stay zero (no NaN).
 * One input in ten is seed 002's printed step: six gradients of norms 18.02, 2.94, 21.33,
 * 2.15, 21.82, 2.09 (G = 35.68) clipped to 15, each then scaled by 15/G = 0.4204. (The seed's
 * printed norms after clipping are TF's float32 norms of 10⁵-element tensors, whose summation
 * order is unknown; they agree with before × 15/G to 1.3e-7 relative in float64, a fact about
 * the document that E3 once recorded as a claim.)
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { clipByGlobalNorm } from "../../src/core/mod.ts";
import { seed32, uniformReal } from "../_internals/arbitraries.ts";
import { expectClose, fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { globalNorm64, planValues, readAndDispose, type TensorPlan, tensorPlans, toTensors } from "../_internals/tensors.ts";
import { defineLaw, type Law } from "../law.ts";
import { clipRtol, normRtol, unchangedCloseness } from "../tolerance.ts";

/** seed 002's printed norms of [w1, b1, w2, b2, w3, b3] before clipping by global norm 15. */
export const SEED_002_STEP = { before: [18.01539, 2.9375393, 21.330334, 2.1504176, 21.820374, 2.0918982], maxNorm: 15 } as const;

interface Case {
  plans: TensorPlan[];
  /** log10(c/G); NaN marks seed 002's step */
  logRatio: number;
  allZero: boolean;
  seed: number;
}
const generated: fc.Arbitrary<Case> = fc.record({
  plans: tensorPlans(),
  logRatio: uniformReal(-3, 3),
  allZero: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, fc.constant(true)),
  seed: seed32(),
});
const seedStep: fc.Arbitrary<Case> = fc.constant({
  plans: SEED_002_STEP.before.map(() => ({ shape: [1], exponent: 0, zero: false })),
  logRatio: NaN,
  allZero: false,
  seed: 0,
});

/**
 * A global-norm clip under test: the core's `clipByGlobalNorm` unless a fault is planted.
 *
 * @example
 * const mine: ClipByGlobalNorm = (tensors, maxNorm) => myClip(tensors, maxNorm); await assertLaw(clipByGlobalNormLaw(mine));
 */
export type ClipByGlobalNorm = (tensors: tf.Tensor[], maxNorm: number) => { clipped: tf.Tensor[]; norm: tf.Scalar };

/**
 * The law, for a clip implementation.
 *
 * @example
 * const law = clipByGlobalNormLaw();
 */
export function clipByGlobalNormLaw(clip: ClipByGlobalNorm = clipByGlobalNorm): Law {
  return defineLaw({
    name: "clip-by-global-norm",
    group: "clipping",
    statement: "clipByGlobalNorm returns G = √Σ‖g_i‖², leaves the gradients unchanged when G ≤ c and otherwise scales every tensor " +
      "by the same c/G, so the result's global norm is ≤ c and all-zero gradients stay zero (seed 002's step: G = 35.68, factor 15/G).",
    runs: 60,
    tolerance: ({ tolerance: bt }) => ({
      rule: "G within γ_N/2 + unit (N elements); scaled tensors within that + 2·unit elementwise; unchanged bitwise on IEEE backends; " +
        "the cases within the norm's rounding of G = c may go either way",
      values: { normRtolAt1000: normRtol(1000, bt), clipRtolAt1000: clipRtol(1000, bt), unchangedRtol: unchangedCloseness(bt).rtol },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.oneof({ arbitrary: generated, weight: 9 }, { arbitrary: seedStep, weight: 1 }), async ({ plans, logRatio, allZero, seed }) => {
        const isSeedStep = Number.isNaN(logRatio);
        const values = isSeedStep ? SEED_002_STEP.before.map((v) => Float32Array.of(v)) : planValues(plans, seed, allZero);
        const g = globalNorm64(values);
        const c = isSeedStep ? SEED_002_STEP.maxNorm : g > 0 ? g * 10 ** logRatio : 10 ** logRatio;
        const tensors = toTensors(plans, values);
        const { clipped, norm } = clip(tensors, c);
        const [got, [returned]] = await Promise.all([readAndDispose(clipped), readAndDispose([norm])]);
        tf.dispose(tensors);

        const elements = values.reduce((n, v) => n + v.length, 0);
        const rtolG = normRtol(elements, bt);
        expectClose([returned[0]], [g], { rtol: rtolG, atol: 0 }, "returned global norm");
        expect(got.length === values.length, () => `${got.length} tensors returned for ${values.length}`);
        const after = globalNorm64(got);
        expect(after <= c * (1 + clipRtol(elements, bt)), () => `global norm after clipping ${fmt(after)} exceeds c = ${fmt(c)} (G = ${fmt(g)})`);
        if (g <= c * (1 - rtolG)) {
          got.forEach((t, i) => expectClose(t, values[i], unchangedCloseness(bt), `G = ${fmt(g)} ≤ c = ${fmt(c)}, yet tensor ${i} changed; element`));
        } else if (g >= c * (1 + rtolG)) {
          const factor = c / g;
          const rtol = clipRtol(elements, bt);
          got.forEach((t, i) => expectClose(t, values[i].map((v) => v * factor), { rtol, atol: 0 }, `tensor ${i} is not the original × c/G = ${fmt(factor)}; element`));
          expect(isClose(after, c, { rtol, atol: 0 }), () => `global norm after clipping ${fmt(after)}, expected c = ${fmt(c)}`);
        }
        if (allZero) expect(got.every((t) => t.every((v) => v === 0)), () => "all-zero gradients did not stay zero");
      }),
  });
}
