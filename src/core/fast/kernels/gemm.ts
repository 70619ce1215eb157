/**
 * gradlab's matrix-product kernel: a float32 matrix product in WebAssembly SIMD,
 *
 *   C[rows × n] = bias + A[rows × k] · B[k × n]      row-major, rows of A, B, C lda, ldb, ldc
 *                                                    floats apart; bias a row, or none; A may be
 *                                                    given as Aᵀ (transA)
 *
 * summed exactly as tfjs-backend-wasm's matMul sums (XNNPACK's f32 GEMM): each output starts
 * at its bias (or 0) and adds a_ip·b_pj for p = 0, 1, …, k−1 in that order, one float32
 * multiply and one float32 add each, no fused multiply-add. So it returns the very bits of
 * tf.matMul / tf.fused.matMul (linear) on wasm (gemm.test.ts checks that), while skipping what
 * costs more than the arithmetic at gradlab's sizes: tensor uploads and XNNPACK re-packing
 * weights that change every step (for E1's 256×784×30 product the kernel takes less than
 * half of tfjs's time: docs/performance.md). `f32x4.relaxed_madd` would be faster still, but it is fused under Deno (V8) and
 * not under Bun (JavaScriptCore), which would give the two runtimes different bits.
 *
 * Each output row depends only on its own row of A, so rows can be split among threads at
 * any point without changing a bit: the engine's helper thread runs this same kernel on the
 * same shared memory.
 *
 * The kernel computes 2 rows × 16 columns at a time and reads B and bias 16 columns at a time:
 * up to 15 floats past column n of a row, past the end of B too. `alloc` leaves that much room
 * after every array; the values read there land in lanes that are never stored.
 */
import { type Code, EMPTY, I32, ifElse, ifThen, loopUntil, moduleBytes, op, V128 } from "../../wasm/encoding.ts";
import { activationFunctions, type ActivationKernels, activationKernels } from "./activation.ts";
import { type AdamArrays, adamFunction, adamKernel, type AdamStep } from "../../optimizers/adam-wasm.ts";
import { sumOfSquaresFunction, sumOfSquaresKernel } from "./reduce.ts";

/** Columns computed at once. */
const GEMM_BLOCK = 16;
/** The kernel memory's largest size, in 64 KiB pages (1 GiB). */
const MAX_PAGES = 16384;
const PAGE_BYTES = 65536;
/** Room left after every array for the reads past its end (floats). */
const SLACK = GEMM_BLOCK;

/** A product for the kernel, as byte addresses in its memory and sizes. */
export interface GemmArgs {
  a: number;
  /** floats from one row of A to the next (of Aᵀ, when transA) */
  lda: number;
  /** A is given as Aᵀ [k × lda]: row i of A is column i there */
  transA: boolean;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  /** 0: no bias */
  bias: number;
  rows: number;
  k: number;
  n: number;
}

function gemmFunction(): Code {
  const { localGet: get, localSet: set, i32Const: int } = op;
  // parameters
  const [A, LDA, TRANS_A, B, LDB, C, LDC, BIAS, ROWS, K, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // i32 locals: row and k counters, column block, the two rows' A pointers (at the row's start,
  // and running along k), byte steps of A between rows and along k, B and C pointers, whether
  // the pair has a second row, bytes per row of B and C, columns stored in this block (≤ 16)
  const [I, P, JB, RA0, RA1, AP0, AP1, A_ROW, A_STEP, BP, CP, TWO, B_ROW, C_ROW, T] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];
  // v128 locals: accumulators of row 0 (4 × 4 columns) and row 1, the two A splats, 4 B vectors
  const ACC = (row: number, j: number) => 26 + row * 4 + j;
  const [A0, A1] = [34, 35];
  const BV = (j: number) => 36 + j;
  const quarters = [0, 1, 2, 3];
  const both = (f: (row: number, j: number) => Code) => [0, 1].flatMap((row) => quarters.flatMap((j) => f(row, j)));
  const advance = (local: number, by: Code) => [...get(local), ...by, ...op.i32Add, ...set(local)];

  const inner = [
    ...get(AP0), ...op.v128Load32Splat(), ...set(A0),
    ...get(AP1), ...op.v128Load32Splat(), ...set(A1),
    // acc += a·b as a multiply and then an add (what XNNPACK's wasm SIMD GEMM does); one B
    // vector live at a time, which keeps V8 from spilling accumulators
    ...quarters.flatMap((j) => [
      ...get(BP), ...op.v128Load(16 * j), ...set(BV(j)),
      ...[0, 1].flatMap((row) => [...get(ACC(row, j)), ...get(row ? A1 : A0), ...get(BV(j)), ...op.f32x4Mul, ...op.f32x4Add, ...set(ACC(row, j))]),
    ]),
    ...advance(AP0, get(A_STEP)),
    ...advance(AP1, get(A_STEP)),
    ...advance(BP, get(B_ROW)),
    ...advance(P, int(1)),
  ];
  /** Stores the first T columns of a row's accumulators at CP: whole vectors, then single lanes. */
  const storeRow = (row: number) => quarters.flatMap((q) => ifElse(
    [...get(T), ...int(4 * q + 3), ...op.i32GtU],
    EMPTY,
    [...get(CP), ...get(ACC(row, q)), ...op.v128Store(16 * q)],
    [0, 1, 2].flatMap((lane) => ifThen([...get(T), ...int(4 * q + lane), ...op.i32GtU], [
      ...get(CP), ...get(ACC(row, q)), ...op.f32x4ExtractLane(lane), ...op.f32Store(16 * q + 4 * lane),
    ])),
  ));
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
    // T = min(16, n − 16·jb)
    ...get(N), ...get(JB), ...int(16), ...op.i32Mul, ...op.i32Sub, ...set(T),
    ...int(16), ...get(T), ...get(T), ...int(16), ...op.i32GtU, ...op.select, ...set(T),
    ...get(C), ...get(I), ...get(C_ROW), ...op.i32Mul, ...op.i32Add, ...get(JB), ...int(64), ...op.i32Mul, ...op.i32Add, ...set(CP),
    ...storeRow(0),
    ...ifThen(get(TWO), [...advance(CP, get(C_ROW)), ...storeRow(1)]),
    ...advance(JB, int(1)),
  ];
  const rowPair = [
    ...get(A), ...get(I), ...get(A_ROW), ...op.i32Mul, ...op.i32Add, ...set(RA0),
    // an odd last row is paired with itself and stored once
    ...get(I), ...int(1), ...op.i32Add, ...get(ROWS), ...op.i32LtU, ...set(TWO),
    ...get(RA0), ...get(A_ROW), ...op.i32Add, ...get(RA0), ...get(TWO), ...op.select, ...set(RA1),
    ...int(0), ...set(JB),
    ...loopUntil([...get(JB), ...int(16), ...op.i32Mul, ...get(N), ...op.i32GeU], block),
    ...advance(I, int(2)),
  ];
  const ldaBytes = [...get(LDA), ...int(4), ...op.i32Mul];
  return [
    ...get(LDB), ...int(4), ...op.i32Mul, ...set(B_ROW),
    ...get(LDC), ...int(4), ...op.i32Mul, ...set(C_ROW),
    // A row-major: rows lda floats apart, k along a row; A given transposed: the reverse
    ...int(4), ...ldaBytes, ...get(TRANS_A), ...op.select, ...set(A_ROW),
    ...ldaBytes, ...int(4), ...get(TRANS_A), ...op.select, ...set(A_STEP),
    ...loopUntil([...get(I), ...get(ROWS), ...op.i32GeU], rowPair),
  ];
}

let compiled: WebAssembly.Module | null = null;

/** The compiled kernel module, gemm and the elementwise functions (compiled once per thread). */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(moduleBytes([{
    exportName: "gemm",
    params: new Array(11).fill(I32),
    locals: [[15, I32], [14, V128]],
    body: gemmFunction(),
  }, ...activationFunctions(), adamFunction(), sumOfSquaresFunction()], MAX_PAGES));
  return compiled;
}

type RawGemm = (a: number, lda: number, transA: number, b: number, ldb: number, c: number, ldc: number, bias: number, rows: number, k: number, n: number) => void;

/**
 * The kernel over an existing kernel memory, for a second thread.
 *
 * @example
 * const run = gemmOn(memoryFromTheEngine); run(args);
 */
export function gemmOn(memory: WebAssembly.Memory): (args: GemmArgs) => void {
  // Grown by the other thread, the memory's buffer here can keep its old length (V8: Deno's
  // bench test failed about half its runs with "operand b … lies outside the kernel memory");
  // grow(0) returns the size it has now and does not detach a shared buffer.
  return checkedGemm(memory, new WebAssembly.Instance(kernelModule(), { env: { memory } }).exports, () => memory.grow(0) * PAGE_BYTES);
}

function checkedGemm(memory: WebAssembly.Memory, exports: Record<string, unknown>, size = () => memory.buffer.byteLength): (args: GemmArgs) => void {
  const raw = exports.gemm as RawGemm;
  return (g) => {
    const end = size();
    const fits = (at: number, floats: number) => at >= 0 && at % 4 === 0 && at + floats * 4 <= end;
    const [inner, outer] = g.transA ? [g.rows, g.k] : [g.k, g.rows];
    if (!(g.rows >= 0 && g.k >= 1 && g.n >= 1 && g.lda >= inner && g.ldb >= g.n && g.ldc >= g.n)) {
      throw new Error(`gemm: rows ≥ 0, k ≥ 1, n ≥ 1, lda ≥ ${g.transA ? "rows" : "k"}, ldb ≥ n and ldc ≥ n expected, ` +
        `got rows ${g.rows}, k ${g.k}, n ${g.n}, lda ${g.lda}, ldb ${g.ldb}, ldc ${g.ldc}`);
    }
    const read = Math.ceil(g.n / GEMM_BLOCK) * GEMM_BLOCK; // columns B and bias are read in
    const extent = (count: number, stride: number, width: number) => (count > 0 ? (count - 1) * stride + width : 0);
    for (const [what, at, floats] of [
      ["a", g.a, extent(outer, g.lda, inner)],
      ["b", g.b, extent(g.k, g.ldb, read)],
      ["c", g.c, extent(g.rows, g.ldc, g.n)],
      ["bias", g.bias, g.bias ? read : 0],
    ] as const) {
      if (!fits(at, floats)) throw new Error(`gemm: operand ${what} (${floats} floats at byte ${at}) lies outside the kernel memory (${end} bytes)`);
    }
    raw(g.a, g.lda, g.transA ? 1 : 0, g.b, g.ldb, g.c, g.ldc, g.bias, g.rows, g.k, g.n);
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

/**
 * C = bias + A·B as views in the kernel's memory. Strides default to dense rows: lda = k
 * (rows with transA: `a` then holds Aᵀ), ldb = ldc = n.
 */
export interface GemmOperands {
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
  bias?: Float32Array | null;
  rows: number;
  k: number;
  n: number;
  lda?: number;
  ldb?: number;
  ldc?: number;
  transA?: boolean;
}

/**
 * gradlab's WebAssembly kernels instantiated over one shared memory: gemm, the activations'
 * elementwise functions (activation.ts), Adam's wasm form (optimizers/adam-wasm.ts) and Σg²
 * (reduce.ts), with the memory their operands live in. ("Kernel" here is a routine; a layer's
 * weight matrix is its weights, though its parameter keeps tfjs-layers' name "kernel".)
 */
export interface KernelModule {
  /** Shared, so that a helper thread can run the kernel on the same operands (`gemmOn`). */
  readonly memory: WebAssembly.Memory;
  /** `length` zeroed floats in the kernel's memory, for operands and results (room after them for the kernel's reads past the end). */
  alloc(length: number): Float32Array;
  /** Whether a view lies in the kernel's memory. */
  holds(view: Float32Array): boolean;
  /** The kernel's arguments for views from `alloc` (or subarrays of them). */
  args(o: GemmOperands): GemmArgs;
  /** C = bias + A·B on this thread. */
  run(args: GemmArgs): void;
  /** ReLU, leaky ReLU and activation derivatives on views in the kernel's memory. */
  readonly activation: ActivationKernels;
  /** One Adam update of a parameter, on views in the kernel's memory (host-update.ts's arithmetic). */
  adam(arrays: AdamArrays, step: AdamStep): void;
  /** Σ g² in float64, in order (host-statistics.ts's sumOfSquares), of a view in the kernel's memory. */
  sumOfSquares(data: Float32Array): number;
}

/**
 * The kernels over a shared memory of their own, on this thread.
 *
 * @example
 * const kernel = createKernelModule();
 * const a = kernel.alloc(2 * 3), b = kernel.alloc(3 * 2), c = kernel.alloc(2 * 2);
 * a.set([1, 2, 3, 4, 5, 6]); b[0] = 1; // column 0 of B = e₀
 * kernel.run(kernel.args({ a, b, c, rows: 2, k: 3, n: 2 })); // c[0] = 1, c[2] = 4
 */
export function createKernelModule(): KernelModule {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const { exports } = new WebAssembly.Instance(kernelModule(), { env: { memory } });
  const run = checkedGemm(memory, exports);
  // Byte 0 stays unused: address 0 means "no bias".
  let top = 64;
  const mine = new Set<ArrayBufferLike>([memory.buffer]);
  const address = (view: Float32Array, what: string): number => {
    if (!mine.has(view.buffer)) throw new Error(`gemm: ${what} is not in the kernel's memory (use alloc)`);
    return view.byteOffset;
  };
  return {
    memory,
    activation: activationKernels(exports, address),
    adam: adamKernel(exports, address),
    sumOfSquares: sumOfSquaresKernel(exports, address),
    alloc(length) {
      const start = top;
      const bytes = Math.ceil((length * 4) / 16) * 16 + SLACK * 4;
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
    holds(view) {
      return mine.has(view.buffer);
    },
    args(o) {
      const transA = o.transA ?? false;
      return {
        a: address(o.a, "a"),
        lda: o.lda ?? (transA ? o.rows : o.k),
        transA,
        b: address(o.b, "b"),
        ldb: o.ldb ?? o.n,
        c: address(o.c, "c"),
        ldc: o.ldc ?? o.n,
        bias: o.bias ? address(o.bias, "bias") : 0,
        rows: o.rows,
        k: o.k,
        n: o.n,
      };
    },
    run,
  };
}
