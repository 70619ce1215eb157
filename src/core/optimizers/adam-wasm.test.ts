/**
 * Adam's WebAssembly form gives the bits of its JavaScript reference, host-update.ts's loop:
 * parameters updated over several steps, for plain and transposed gradient layouts. The wasm
 * form runs here in a module of its own, over its own memory, as it runs in the fast engine's
 * kernel module.
 */
import fc from "fast-check";
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { moduleBytes } from "../wasm/encoding.ts";
import { adamFunction, adamKernel } from "./adam-wasm.ts";
import { type GradientView, hostOptimizer, type WasmOptimizerMemory } from "./host-update.ts";

const FC = { numRuns: Number(process.env.GRADLAB_FC_RUNS ?? 60), seed: Number(process.env.GRADLAB_FC_SEED ?? 20261125) };

/** Adam's function alone in a module, over a memory handed out in 16-byte aligned pieces. */
function adamMemory(pages = 32): WasmOptimizerMemory {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes([adamFunction()], pages)), { env: { memory } });
  let top = 16;
  const holds = (view: Float32Array) => view.buffer === memory.buffer;
  return {
    alloc(length) {
      const start = top;
      top += Math.ceil((length * 4) / 16) * 16;
      if (top > memory.buffer.byteLength) throw new Error("adam test memory full");
      return new Float32Array(memory.buffer, start, length);
    },
    holds,
    adam: adamKernel(exports, (view, what) => {
      if (!holds(view)) throw new Error(`adam: ${what} is not in the module's memory`);
      return view.byteOffset;
    }),
  };
}
const kernel = adamMemory();

// Differences of one float64 rounding show in a float32 result about once in a few thousand
// elements, so the arrays are large and the values many.
const caseArb = fc.record({
  shapes: fc.array(fc.record({ rows: fc.integer({ min: 1, max: 70 }), cols: fc.integer({ min: 1, max: 70 }), transposed: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  steps: fc.integer({ min: 1, max: 3 }),
  epsilon: fc.constantFrom(1e-8, 1e-7),
});

test("property: Adam's wasm form updates parameters to the bits of its JavaScript reference", () => {
  fc.assert(fc.property(caseArb, (c) => {
    const kernel = adamMemory();
    const spec = { name: "adam" as const, learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: c.epsilon };
    const sizes = c.shapes.map((s) => s.rows * s.cols);
    /** values in (−3, 3), exact zeros now and then; the same for the same shift */
    const fill = (into: Float32Array, shift: number) => {
      let state = (c.seed + shift * 7919) | 1;
      for (let i = 0; i < into.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        into[i] = (state & 63) === 0 ? 0 : ((state >>> 0) / 2 ** 32 - 0.5) * 6;
      }
      return into;
    };
    const js = hostOptimizer(spec, sizes);
    const wasm = hostOptimizer(spec, sizes, kernel);
    const jsParams = sizes.map((n, p) => fill(new Float32Array(n), p));
    const wasmParams = sizes.map((n, p) => fill(kernel.alloc(n), p));
    for (let step = 0; step < c.steps; step++) {
      const grads = (inKernel: boolean): GradientView[] =>
        c.shapes.map((s, p) => ({ data: fill(inKernel ? kernel.alloc(sizes[p]) : new Float32Array(sizes[p]), 3 * step + p + 1), ...s }));
      js.apply(jsParams, grads(false));
      wasm.apply(wasmParams, grads(true));
    }
    for (let p = 0; p < sizes.length; p++) {
      for (let k = 0; k < sizes[p]; k++) {
        if (!Object.is(wasmParams[p][k], jsParams[p][k])) throw new Error(`parameter ${p}[${k}]: kernel ${wasmParams[p][k]}, JavaScript ${jsParams[p][k]}`);
      }
    }
  }), FC);
});

test("mismatched sizes, and views outside the kernel's memory, are refused, each named", () => {
  const a = kernel.alloc(4);
  const step = { outer: 1, inner: 4, stride: 1, beta1: 0.9, beta2: 0.999, lrT: 0.01, epsilon: 1e-8 };
  assert.throws(() => kernel.adam({ params: a, grad: kernel.alloc(3), m: a, v: a }, step), /adam kernel: 1×4 updates for 4 parameters, gradient 3, m 4, v 4/);
  assert.throws(() => kernel.adam({ params: a, grad: a, m: kernel.alloc(3), v: a }, step), /gradient 4, m 3, v 4/);
  assert.throws(() => kernel.adam({ params: a, grad: a, m: a, v: kernel.alloc(3) }, step), /gradient 4, m 4, v 3/);
  assert.throws(() => kernel.adam({ params: a, grad: a, m: a, v: a }, { ...step, inner: 3 }), /adam kernel: 1×3 updates for 4 parameters/);
  for (const [name, arrays] of [["params", { params: new Float32Array(4), grad: a, m: a, v: a }], ["grad", { params: a, grad: new Float32Array(4), m: a, v: a }],
    ["m", { params: a, grad: a, m: new Float32Array(4), v: a }], ["v", { params: a, grad: a, m: a, v: new Float32Array(4) }]] as const) {
    assert.throws(() => kernel.adam(arrays, step), new RegExp(`adam: ${name} is not in the module's memory`));
  }
});

test.run();
