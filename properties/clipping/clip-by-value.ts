/**
 * Law (seed 002, clip_by_value): clipByValue(t, lo, hi) is the elementwise clamp
 * min(max(t, lo), hi) — exact, since clamping only selects values — for every finite or
 * infinite element (clip_by_value(range(10), 2, 8) = [2,2,2,3,4,5,6,7,8,8]). A NaN stays NaN
 * on every backend (the core guards XNNPACK's clamp, which would turn it into lo on wasm).
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { clipByValue } from "../../src/core/mod.ts";
import { finiteFloat32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { flushed } from "../tolerance.ts";

/**
 * A value clip under test: the core's `clipByValue` unless a fault is planted.
 *
 * @example
 * const mine: ClipByValue = (t, lo, hi) => tf.clipByValue(t, lo, hi); await assertLaw(clipByValueLaw(mine));
 */
export type ClipByValue = (t: tf.Tensor, min: number, max: number) => tf.Tensor;

const element = fc.oneof({ arbitrary: finiteFloat32(), weight: 20 }, fc.constantFrom(Infinity, -Infinity, NaN));
const bounds = fc.tuple(fc.float({ min: -1e6, max: 1e6, noNaN: true }), fc.float({ min: 0, max: 1e6, noNaN: true })).map(([lo, w]) => [lo, Math.fround(lo + w)] as const);
interface Case {
  values: number[];
  bounds: readonly [number, number];
}
const generated: fc.Arbitrary<Case> = fc.record({ values: fc.array(element, { minLength: 1, maxLength: 64 }), bounds });
const seedExample: fc.Arbitrary<Case> = fc.constant({ values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], bounds: [2, 8] });

/**
 * The law, for a clip implementation.
 *
 * @example
 * const law = clipByValueLaw();
 */
export function clipByValueLaw(clip: ClipByValue = clipByValue): Law {
  return defineLaw({
    name: "clip-by-value",
    group: "clipping",
    statement: "clipByValue(t, lo, hi) is exactly min(max(t, lo), hi) elementwise, ±Inf included " +
      "(range(10) → [2,2,2,3,4,5,6,7,8,8]); a NaN stays NaN.",
    runs: 40,
    tolerance: ({ tolerance: bt }) => ({
      rule: "exact (clamping selects, it does not round); a backend that flushes subnormals may clamp ±0 in place of a " +
        "subnormal input or bound, and return ±0 for a subnormal result",
      values: { flushesSubnormals: bt.flushesSubnormals ? 1 : 0 },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.oneof({ arbitrary: generated, weight: 9 }, { arbitrary: seedExample, weight: 1 }), async ({ values, bounds: [lo, hi] }) => {
        const t = tf.tensor1d(values);
        const r = clip(t, lo, hi);
        const got = await r.data();
        tf.dispose([t, r]);
        // A backend that flushes subnormals (tolerance.ts) may clamp ±0 in place of a subnormal v, lo or hi,
        // and flush the result.
        const clamp = (x: number, l: number, h: number) => Math.min(Math.max(x, l), h);
        const f = (x: number) => flushed(bt, x);
        values.forEach((v, i) => {
          const want = clamp(Math.fround(v), lo, hi);
          const wantFlushed = [f(want), f(clamp(f(Math.fround(v)), f(lo), f(hi)))];
          if (Number.isNaN(v)) {
            expect(Number.isNaN(got[i]), () => `clipByValue(NaN, ${fmt(lo)}, ${fmt(hi)}) = ${fmt(got[i])}, expected NaN`);
          } else {
            expect(got[i] === want || wantFlushed.includes(got[i]), () => `clipByValue(${fmt(v)}, ${fmt(lo)}, ${fmt(hi)}) = ${fmt(got[i])}, expected ${fmt(want)}`);
          }
        });
        if (lo === 2 && hi === 8 && values.length === 10 && values.every((v, i) => v === i)) {
          expect(Array.from(got).join(",") === "2,2,2,3,4,5,6,7,8,8", () => `clip_by_value(range(10), 2, 8) = [${Array.from(got)}], seed 002 prints [2,2,2,3,4,5,6,7,8,8]`);
        }
      }),
  });
}
