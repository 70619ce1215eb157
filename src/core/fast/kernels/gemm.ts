/**
 * gradlab's one hand-written kernel: a float32 matrix product in WebAssembly SIMD,
 *
 *   C[rows × nPad] = bias + A[rows × k] · B[k × nPad]      (row-major; bias a row, or none;
 *                                                           A's rows `lda` ≥ k floats apart, or
 *                                                           A given as Aᵀ, `transA`)
 *
 * summed exactly as tfjs-backend-wasm's matMul sums (XNNPACK's f32 GEMM): each output starts
 * at its bias (or 0) and adds a_ip·b_pj for p = 0, 1, …, k−1 in that order, one float32
 * multiply and one float32 add each, no fused multiply-add. So it returns the very bits of
 * tf.matMul / tf.fused.matMul (linear) on wasm (gemm.test.ts checks that), while skipping what
 * costs more than the arithmetic at gradlab's sizes: tensor uploads and XNNPACK re-packing
 * weights that change every step (~1 ms for E1's 256×784×30 product here, against ~0.5 ms in
 * this kernel). `f32x4.relaxed_madd` would be faster still, but it is fused under Deno (V8) and
 * not under Bun (JavaScriptCore), which would give the two runtimes different bits.
 *
 * Each output row depends only on its own row of A, so rows can be split among threads at
 * any point without changing a bit: the engine's helper thread runs this same kernel on the
 * same shared memory.
 *
 * Operands live in the kernel's memory (`alloc`); B and C have `nPad` columns, a multiple of
 * 16 (the kernel computes 2 rows × 16 columns at a time), padded with zeros by the caller.
 */
import { type Code, I32, ifElse, ifThen, loopUntil, moduleBytes, op, V128 } from "./_internals/wasm-encoding.ts";

/** Columns computed at once; B and C widths are padded to a multiple of this. */
export const GEMM_BLOCK = 16;
/** The kernel memory's largest size, in 64 KiB pages (1 GiB). */
const MAX_PAGES = 16384;
const PAGE_BYTES = 65536;

/** A product for the kernel, as byte addresses in its memory and sizes. */
export interface GemmArgs {
  a: number;
  /** floats from one row of A to the next (of Aᵀ, when transA) */
  lda: number;
  /** A is given as Aᵀ [k × lda]: row i of A is column i there */
  transA: boolean;
  b: number;
  c: number;
  /** 0: no bias */
  bias: number;
  rows: number;
  k: number;
  nPad: number;
}

/** Columns padded up to the kernel's block. */
export function paddedColumns(n: number): number {
  return Math.ceil(n / GEMM_BLOCK) * GEMM_BLOCK;
}

function gemmFunction(): Code {
  const { localGet: get, localSet: set, i32Const: int } = op;
  // parameters
  const [A, LDA, TRANS_A, B, C, BIAS, ROWS, K, NPAD] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  // i32 locals: row and k counters, column block, the two rows' A pointers (at the row's start,
  // and running along k), byte steps of A between rows and along k, B and C pointers, whether
  // the pair has a second row, bytes per row of B and C
  const [I, P, JB, BLOCKS, RA0, RA1, AP0, AP1, A_ROW, A_STEP, BP, CP, TWO, ROWBYTES] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  // v128 locals: accumulators of row 0 (4 × 4 columns) and row 1, the two A splats, 4 B vectors
  const ACC = (row: number, j: number) => 23 + row * 4 + j;
  const [A0, A1] = [31, 32];
  const BV = (j: number) => 33 + j;
  const quarters = [0, 1, 2, 3];
  const both = (f: (row: number, j: number) => Code) => [0, 1].flatMap((row) => quarters.flatMap((j) => f(row, j)));
  const advance = (local: number, by: Code) => [...get(local), ...by, ...op.i32Add, ...set(local)];

  const inner = [
    ...get(AP0), ...op.f32Load(), ...op.f32x4Splat, ...set(A0),
    ...get(AP1), ...op.f32Load(), ...op.f32x4Splat, ...set(A1),
    ...quarters.flatMap((j) => [...get(BP), ...op.v128Load(16 * j), ...set(BV(j))]),
    // acc += a·b as a multiply and then an add (what XNNPACK's wasm SIMD GEMM does)
    ...both((row, j) => [...get(ACC(row, j)), ...get(row ? A1 : A0), ...get(BV(j)), ...op.f32x4Mul, ...op.f32x4Add, ...set(ACC(row, j))]),
    ...advance(AP0, get(A_STEP)),
    ...advance(AP1, get(A_STEP)),
    ...advance(BP, get(ROWBYTES)),
    ...advance(P, int(1)),
  ];
  const block = [
    // accumulators start at the bias (or zero)
    ...both((row, j) => [
      ...ifElse([...get(BIAS), ...int(0), ...op.i32Ne], V128,
        [...get(BIAS), ...get(JB), ...int(64), ...op.i32Mul, ...op.i32Add, ...op.v128Load(16 * j)],
        op.v128Zero),
      ...set(ACC(row, j)),
    ]),
    ...get(B), ...get(JB), ...int(64), ...op.i32Mul, ...op.i32Add, ...set(BP),
    ...get(RA0), ...set(AP0),
    ...get(RA1), ...set(AP1),
    ...int(0), ...set(P),
    ...loopUntil([...get(P), ...get(K), ...op.i32GeU], inner),
    ...get(C), ...get(I), ...get(ROWBYTES), ...op.i32Mul, ...op.i32Add, ...get(JB), ...int(64), ...op.i32Mul, ...op.i32Add, ...set(CP),
    ...quarters.flatMap((j) => [...get(CP), ...get(ACC(0, j)), ...op.v128Store(16 * j)]),
    ...ifThen(get(TWO), [
      ...advance(CP, get(ROWBYTES)),
      ...quarters.flatMap((j) => [...get(CP), ...get(ACC(1, j)), ...op.v128Store(16 * j)]),
    ]),
    ...advance(JB, int(1)),
  ];
  const rowPair = [
    ...get(A), ...get(I), ...get(A_ROW), ...op.i32Mul, ...op.i32Add, ...set(RA0),
    // an odd last row is paired with itself and stored once
    ...get(I), ...int(1), ...op.i32Add, ...get(ROWS), ...op.i32LtU, ...set(TWO),
    ...get(RA0), ...get(A_ROW), ...op.i32Add, ...get(RA0), ...get(TWO), ...op.select, ...set(RA1),
    ...int(0), ...set(JB),
    ...loopUntil([...get(JB), ...get(BLOCKS), ...op.i32GeU], block),
    ...advance(I, int(2)),
  ];
  const ldaBytes = [...get(LDA), ...int(4), ...op.i32Mul];
  return [
    ...get(NPAD), ...int(4), ...op.i32ShrU, ...set(BLOCKS),
    ...get(NPAD), ...int(4), ...op.i32Mul, ...set(ROWBYTES),
    // A row-major: rows lda floats apart, k along a row; A given transposed: the reverse
    ...int(4), ...ldaBytes, ...get(TRANS_A), ...op.select, ...set(A_ROW),
    ...ldaBytes, ...int(4), ...get(TRANS_A), ...op.select, ...set(A_STEP),
    ...loopUntil([...get(I), ...get(ROWS), ...op.i32GeU], rowPair),
  ];
}

let compiled: WebAssembly.Module | null = null;

/** The compiled kernel module (compiled once per thread). */
function gemmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(moduleBytes([{
    exportName: "gemm",
    params: new Array(9).fill(I32),
    locals: [[14, I32], [14, V128]],
    body: gemmFunction(),
  }], MAX_PAGES));
  return compiled;
}

type RawGemm = (a: number, lda: number, transA: number, b: number, c: number, bias: number, rows: number, k: number, nPad: number) => void;

/**
 * The kernel over an existing kernel memory, for a second thread.
 *
 * @example
 * const run = gemmOn(memoryFromTheEngine); run(args);
 */
export function gemmOn(memory: WebAssembly.Memory): (args: GemmArgs) => void {
  const raw = new WebAssembly.Instance(gemmModule(), { env: { memory } }).exports.gemm as RawGemm;
  return (g) => {
    const end = memory.buffer.byteLength;
    const fits = (at: number, floats: number) => at >= 0 && at % 4 === 0 && at + floats * 4 <= end;
    if (g.nPad % GEMM_BLOCK !== 0 || g.nPad <= 0) throw new Error(`gemm: nPad must be a positive multiple of ${GEMM_BLOCK}, got ${g.nPad}`);
    const [inner, outer] = g.transA ? [g.rows, g.k] : [g.k, g.rows];
    if (!(g.rows >= 0 && g.k >= 1 && g.lda >= inner)) {
      throw new Error(`gemm: rows ≥ 0, k ≥ 1 and lda ≥ ${g.transA ? "rows" : "k"} expected, got rows ${g.rows}, k ${g.k}, lda ${g.lda}`);
    }
    const aFloats = g.rows > 0 ? (outer - 1) * g.lda + inner : 0;
    for (const [what, at, floats] of [["a", g.a, aFloats], ["b", g.b, g.k * g.nPad], ["c", g.c, g.rows * g.nPad], ["bias", g.bias, g.bias ? g.nPad : 0]] as const) {
      if (!fits(at, floats)) throw new Error(`gemm: operand ${what} (${floats} floats at byte ${at}) lies outside the kernel memory (${end} bytes)`);
    }
    raw(g.a, g.lda, g.transA ? 1 : 0, g.b, g.c, g.bias, g.rows, g.k, g.nPad);
  };
}

/** Bytes handed out by every kernel's `alloc` in this thread so far (a leak check reads it). */
let allocatedBytes = 0;

/**
 * @example
 * const before = gemmAllocatedBytes(); train(…); // grows only while buffers are first made
 */
export function gemmAllocatedBytes(): number {
  return allocatedBytes;
}

export interface GemmKernel {
  /** Shared, so that a helper thread can run the kernel on the same operands (`gemmOn`). */
  readonly memory: WebAssembly.Memory;
  /** `length` zeroed floats in the kernel's memory, for operands and results. */
  alloc(length: number): Float32Array;
  /**
   * The kernel's arguments for views from `alloc` (or subarrays of them). `lda` defaults to
   * k (to rows with `transA`: `a` then holds Aᵀ).
   */
  args(a: Float32Array, b: Float32Array, c: Float32Array, bias: Float32Array | null, rows: number, k: number, nPad: number, lda?: number, transA?: boolean): GemmArgs;
  /** C = bias + A·B on this thread. */
  run(args: GemmArgs): void;
}

/**
 * A kernel with its own shared memory, on this thread.
 *
 * @example
 * const kernel = createGemmKernel();
 * const a = kernel.alloc(2 * 3), b = kernel.alloc(3 * 16), c = kernel.alloc(2 * 16);
 * a.set([1, 2, 3, 4, 5, 6]); b[0] = 1; // column 0 of B = e₀
 * kernel.run(kernel.args(a, b, c, null, 2, 3, 16)); // c[0] = 1, c[16] = 4
 */
export function createGemmKernel(): GemmKernel {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const run = gemmOn(memory);
  // Byte 0 stays unused: address 0 means "no bias".
  let top = 64;
  const mine = new Set<ArrayBufferLike>([memory.buffer]);
  const address = (view: Float32Array, what: string): number => {
    if (!mine.has(view.buffer)) throw new Error(`gemm: ${what} is not in the kernel's memory (use alloc)`);
    return view.byteOffset;
  };
  return {
    memory,
    alloc(length) {
      const start = top;
      const bytes = Math.ceil((length * 4) / 16) * 16;
      top += bytes;
      allocatedBytes += bytes;
      const have = memory.buffer.byteLength;
      if (top > have) {
        const pages = Math.ceil((top - have) / PAGE_BYTES);
        if (have / PAGE_BYTES + pages > MAX_PAGES) throw new Error(`gemm: kernel memory full (${MAX_PAGES * PAGE_BYTES} bytes)`);
        memory.grow(pages);
        mine.add(memory.buffer);
      }
      return new Float32Array(memory.buffer, start, length);
    },
    args(a, b, c, bias, rows, k, nPad, lda, transA = false) {
      return { a: address(a, "a"), lda: lda ?? (transA ? rows : k), transA, b: address(b, "b"), c: address(c, "c"), bias: bias ? address(bias, "bias") : 0, rows, k, nPad };
    },
    run,
  };
}
