/**
 * The gemm kernel returns the bits of tfjs-backend-wasm's own matMul (plain, and fused with a
 * bias; A given as it is or transposed, rows apart by any stride), agrees with a float64 product within the float32 summation bound, gives the same
 * bits for any row split, and refuses operands it cannot reach.
 */
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../../../backend/mod.ts";
import { restoreBackendAfter } from "../../../backend/testing.ts";
import { createKernelModule, type KernelModule, type GemmOperands } from "./gemm.ts";

restoreBackendAfter(test);
let kernel: KernelModule;
test.before(async () => {
  await useBackend("wasm");
  kernel = createKernelModule();
});

const FC = { numRuns: Number(process.env.GRADLAB_FC_RUNS ?? 60), seed: Number(process.env.GRADLAB_FC_SEED ?? 20261125) };
/** float32 unit roundoff */
const U = 2 ** -24;

// Shapes around gradlab's: E1's products are 256×784×30, 784×256×30, 256×30×30, 30×256×30
// and 30×30×256.
// Shapes around gradlab's: E1's products are 256×784×30, 784×256×30, 256×30×30, 30×256×30
// and 30×30×256.
const shapeArb = fc.record({
  rows: fc.integer({ min: 1, max: 37 }),
  k: fc.integer({ min: 1, max: 300 }),
  n: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 300 })),
  /** A given as Aᵀ */
  transA: fc.boolean(),
  /** extra floats between rows of A (of Aᵀ), B and C */
  gaps: fc.tuple(...[0, 1, 2].map(() => fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })))),
  withBias: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});
type Shape = typeof shapeArb extends fc.Arbitrary<infer T> ? T : never;

/** Random operands of a shape: dense copies, and the same in the kernel's memory with the shape's strides. */
function operands(s: Shape) {
  let state = s.seed || 1;
  const next = () => {
    // xorshift32: cheap, reproducible from the property's seed
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  };
  const [lda, ldb, ldc] = [(s.transA ? s.rows : s.k) + s.gaps[0], s.n + s.gaps[1], s.n + s.gaps[2]];
  const a = Float32Array.from({ length: s.rows * s.k }, next);
  const b = Float32Array.from({ length: s.k * s.n }, next);
  const bias = s.withBias ? Float32Array.from({ length: s.n }, next) : null;
  // The gaps hold NaN: a product that read them would show it.
  const aK = kernel.alloc((s.transA ? s.k : s.rows) * lda).fill(NaN);
  for (let i = 0; i < s.rows; i++) for (let p = 0; p < s.k; p++) aK[s.transA ? p * lda + i : i * lda + p] = a[i * s.k + p];
  const bK = kernel.alloc(s.k * ldb).fill(NaN);
  for (let p = 0; p < s.k; p++) bK.set(b.subarray(p * s.n, (p + 1) * s.n), p * ldb);
  const biasK = bias ? kernel.alloc(s.n) : null;
  if (bias) biasK!.set(bias);
  return { a, b, bias, aK, bK, biasK, lda, ldb, ldc };
}

/**
 * The kernel's C for the operands, rows split at `split` (run as two products), dense. Throws
 * if an element was not written or a gap between rows of C was.
 */
function kernelProduct(s: Shape, o: ReturnType<typeof operands>, split = s.rows): Float32Array {
  const c = kernel.alloc(s.rows * o.ldc).fill(NaN);
  const run = (first: number, rows: number) => kernel.run(kernel.args({
    a: o.aK.subarray(s.transA ? first : first * o.lda),
    b: o.bK,
    c: c.subarray(first * o.ldc),
    bias: o.biasK,
    rows,
    k: s.k,
    n: s.n,
    lda: o.lda,
    ldb: o.ldb,
    ldc: o.ldc,
    transA: s.transA,
  }));
  run(0, split);
  run(split, s.rows - split);
  const out = new Float32Array(s.rows * s.n);
  for (let i = 0; i < s.rows; i++) {
    for (let j = 0; j < o.ldc; j++) {
      const v = c[i * o.ldc + j];
      if (j < s.n && Number.isNaN(v)) throw new Error(`c[${i}][${j}] was not written`);
      if (j >= s.n && !Number.isNaN(v)) throw new Error(`c[${i}][${j}], past column ${s.n}, was written`);
    }
    out.set(c.subarray(i * o.ldc, i * o.ldc + s.n), i * s.n);
  }
  return out;
}

function firstBitDifference(got: Float32Array, want: Float32Array): string | null {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return `element ${i}: kernel ${got[i]}, tfjs ${want[i]}`;
  return null;
}

test("property: the kernel gives tfjs-wasm's matMul bits (plain, and fused with a bias)", async () => {
  fc.assert(fc.property(shapeArb, (s) => {
    const o = operands(s);
    const want = tf.tidy(() => {
      const A = tf.tensor2d(o.a, [s.rows, s.k]);
      const B = tf.tensor2d(o.b, [s.k, s.n]);
      const C = o.bias ? tf.fused.matMul({ a: A, b: B, bias: tf.tensor1d(o.bias), activation: "linear" }) : tf.matMul(A, B);
      return C.dataSync() as Float32Array;
    });
    const d = firstBitDifference(kernelProduct(s, o), want);
    if (d) throw new Error(`${JSON.stringify({ ...s })}: ${d}`);
  }), FC);
});

test("property: within the float32 summation bound of a float64 product", () => {
  fc.assert(fc.property(shapeArb, (s) => {
    const o = operands(s);
    const got = kernelProduct(s, o);
    // Higham's bound for a recursive sum of k products plus a bias: |ĉ − c| ≤ γ_{k+1}·(|bias| + Σ|a||b|), γ_m = m·u/(1 − m·u)
    const gamma = ((s.k + 1) * U) / (1 - (s.k + 1) * U);
    for (let i = 0; i < s.rows; i++) {
      for (let j = 0; j < s.n; j++) {
        let exact = o.bias ? o.bias[j] : 0;
        let magnitude = Math.abs(exact);
        for (let p = 0; p < s.k; p++) {
          exact += o.a[i * s.k + p] * o.b[p * s.n + j];
          magnitude += Math.abs(o.a[i * s.k + p] * o.b[p * s.n + j]);
        }
        const err = Math.abs(got[i * s.n + j] - exact);
        if (!(err <= gamma * magnitude)) throw new Error(`c[${i}][${j}] = ${got[i * s.n + j]}, float64 ${exact}: error ${err} > γ·Σ|ab| = ${gamma * magnitude}`);
      }
    }
  }), FC);
});

test("property: any row split gives the same bits (threads may share the rows)", () => {
  fc.assert(fc.property(shapeArb, fc.nat(), (s, at) => {
    const o = operands(s);
    const whole = kernelProduct(s, o);
    const d = firstBitDifference(kernelProduct(s, o, at % (s.rows + 1)), whole);
    if (d) throw new Error(d);
  }), FC);
});

test("the comparison sees a one-ulp change", () => {
  const a = new Float32Array([1.5, -2]);
  const b = a.slice();
  assert.is(firstBitDifference(a, b), null);
  b[1] = Math.fround(-2 * (1 + 2 ** -23));
  assert.match(firstBitDifference(a, b)!, /^element 1/);
});

test("operands outside the kernel's memory, and bad strides, are refused", () => {
  const a = kernel.alloc(4);
  const b = kernel.alloc(4);
  const c = kernel.alloc(4);
  const args = (o: Partial<GemmOperands>) => kernel.args({ a, b, c, rows: 2, k: 2, n: 2, ...o });
  assert.throws(() => args({ a: new Float32Array(4) }), /a is not in the kernel's memory/);
  assert.throws(() => kernel.run(args({ lda: 1 })), /lda ≥ k, ldb ≥ n and ldc ≥ n expected, got rows 2, k 2, n 2, lda 1/);
  assert.throws(() => kernel.run(args({ lda: 1, transA: true })), /lda ≥ rows, ldb ≥ n/);
  assert.throws(() => kernel.run(args({ ldc: 1 })), /ldc ≥ n expected/);
  const end = kernel.memory.buffer.byteLength;
  assert.throws(() => kernel.run({ ...args({}), a: end - 8 }), /operand a \(4 floats at byte \d+\) lies outside/);
  // B is read in blocks of 16 columns: the room after it counts
  assert.throws(() => kernel.run({ ...args({}), b: end - 64 }), /operand b \(18 floats at byte \d+\) lies outside/);
});

test("memory grows for large operands and earlier views stay valid", () => {
  const small = kernel.alloc(16);
  small[3] = 7;
  const big = kernel.alloc(1 << 20); // 4 MiB: more than the memory had
  big[big.length - 1] = 1;
  assert.is(small[3], 7);
  assert.ok(kernel.memory.buffer.byteLength >= big.byteOffset + big.byteLength);
});

test.run();
