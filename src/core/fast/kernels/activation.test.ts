/**
 * The kernel module's elementwise functions give the bits of the JavaScript they replace:
 * activations.ts's multiplyByDerivative for every activation, Math.max(h, 0) for ReLU and
 * the float32 product for leaky ReLU; on values with both signs, zeros of both signs and
 * exact ties at 0.
 */
import fc from "fast-check";
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { multiplyByDerivative } from "../../activations.ts";
import { TEST_ACTIVATIONS } from "../../testing.ts";
import { createKernelModule } from "./gemm.ts";

const FC = { numRuns: Number(process.env.GRADLAB_FC_RUNS ?? 100), seed: Number(process.env.GRADLAB_FC_SEED ?? 20261125) };
const kernel = createKernelModule();

/** float32 values with the cases that matter to a sign test: ±0, tiny, ordinary, large. */
const valueArb = fc.oneof(
  fc.constantFrom(0, -0, 1, -1),
  fc.float({ noNaN: true, noDefaultInfinity: true, min: -4, max: 4 }),
  fc.float({ noNaN: true, noDefaultInfinity: true }),
);
const caseArb = fc.record({
  activation: fc.constantFrom(...TEST_ACTIVATIONS, { name: "leakyRelu" as const, alpha: 0.3 }),
  m: fc.integer({ min: 1, max: 20 }),
  n: fc.integer({ min: 1, max: 9 }),
  values: fc.array(valueArb, { minLength: 1, maxLength: 64 }),
});

function fill(into: Float32Array, values: number[], offset: number): Float32Array {
  for (let i = 0; i < into.length; i++) into[i] = values[(i + offset) % values.length];
  return into;
}

function firstBitDifference(got: Float32Array, want: Float32Array): string | null {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return `element ${i}: kernel ${got[i]}, JavaScript ${want[i]}`;
  return null;
}

test("property: multiplyByDerivative in the kernel gives the JavaScript's bits", () => {
  fc.assert(fc.property(caseArb, ({ activation, m, n, values }) => {
    const H = fill(kernel.alloc(m * n), values, 3);
    const dHT = fill(kernel.alloc(n * m), values, 7);
    const want = dHT.slice();
    multiplyByDerivative(activation, want, H, m, n);
    kernel.activation.multiplyByDerivative(activation, dHT, H, m, n);
    const d = firstBitDifference(dHT, want);
    if (d) throw new Error(`${JSON.stringify(activation)}: ${d}`);
  }), FC);
});

test("property: ReLU and leaky ReLU in the kernel give the JavaScript's bits", () => {
  fc.assert(fc.property(fc.array(valueArb, { minLength: 1, maxLength: 70 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, alpha) => {
    const h = kernel.alloc(values.length);
    h.set(values);
    kernel.activation.relu(h);
    const d = firstBitDifference(h, Float32Array.from(values, (v) => Math.max(v, 0)));
    if (d) throw new Error(`relu: ${d}`);
    h.set(values);
    kernel.activation.leakyRelu(h, alpha);
    const a = Math.fround(alpha);
    const e = firstBitDifference(h, Float32Array.from(values, (v) => (v < 0 ? a * v : v)));
    if (e) throw new Error(`leaky relu(${alpha}): ${e}`);
  }), FC);
});

test("the comparison sees a sign of zero", () => {
  assert.is(firstBitDifference(Float32Array.of(0), Float32Array.of(0)), null);
  assert.match(firstBitDifference(Float32Array.of(-0), Float32Array.of(0))!, /^element 0/);
});

test("views too short, or outside the kernel's memory, are refused, each named", () => {
  const h = kernel.alloc(6);
  assert.throws(() => kernel.activation.multiplyByDerivative({ name: "relu" }, kernel.alloc(5), h, 3, 2), /dHT has 5 floats, 6 needed/);
  assert.throws(() => kernel.activation.multiplyByDerivative({ name: "tanh" }, kernel.alloc(6), kernel.alloc(5), 3, 2), /H has 5 floats, 6 needed/);
  assert.throws(() => kernel.activation.relu(new Float32Array(4)), /h is not in the kernel's memory/);
  assert.throws(() => kernel.activation.leakyRelu(new Float32Array(4), 0.1), /h is not in the kernel's memory/);
  assert.throws(() => kernel.activation.multiplyByDerivative({ name: "relu" }, kernel.alloc(6), new Float32Array(6), 3, 2), /H is not in the kernel's memory/);
});

test("a linear activation, and an empty matrix, leave dHᵀ as it is", () => {
  const dHT = kernel.alloc(6), H = kernel.alloc(6);
  dHT.set([1, -2, 3, -4, 5, -6]);
  H.set([-1, 0, 1, 2, -3, 0.5]);
  kernel.activation.multiplyByDerivative({ name: "linear" }, dHT, H, 3, 2);
  kernel.activation.multiplyByDerivative({ name: "sigmoid" }, dHT, H, 0, 2);
  kernel.activation.multiplyByDerivative({ name: "sigmoid" }, dHT, H, 3, 0);
  assert.equal(Array.from(dHT), [1, -2, 3, -4, 5, -6]);
});

test.run();
