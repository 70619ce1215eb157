/** Σ g² in the kernel gives the bits of host-statistics.ts's sumOfSquares. */
import fc from "fast-check";
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sumOfSquares } from "../host-statistics.ts";
import { createKernelModule } from "./gemm.ts";

const FC = { numRuns: Number(process.env.GRADLAB_FC_RUNS ?? 100), seed: Number(process.env.GRADLAB_FC_SEED ?? 20261125) };
const kernel = createKernelModule();

test("property: Σ g² in the kernel equals the JavaScript's, bit for bit", () => {
  fc.assert(fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 3000 }), (values) => {
    const data = kernel.alloc(values.length);
    data.set(values);
    const got = kernel.sumOfSquares(data);
    const want = sumOfSquares(data);
    if (!Object.is(got, want)) throw new Error(`kernel ${got}, JavaScript ${want}`);
  }), FC);
});

test("a non-finite element gives a non-finite sum, as in JavaScript", () => {
  const data = kernel.alloc(3);
  data.set([1, Infinity, 2]);
  assert.is(kernel.sumOfSquares(data), Infinity);
  data[1] = NaN;
  assert.ok(Number.isNaN(kernel.sumOfSquares(data)));
});

test("a view outside the kernel's memory is refused", () => {
  assert.throws(() => kernel.sumOfSquares(new Float32Array(3)), /gemm: data is not in the kernel's memory/);
});

test.run();
