/**
 * Σ g² of a gradient in WebAssembly, beside gemm in its module and memory: the float64 sum in
 * storage order that host-statistics.ts's sumOfSquares computes, so the same bits (reduce.test.ts).
 * The fast engine takes it every step for clipping and statistics, where the JavaScript loop
 * costs several times more, under Deno most (docs/performance.md).
 */
import { F64, type FunctionDef, I32, loopUntil, op } from "../../wasm/encoding.ts";

/** sum_of_squares(p, count) → Σ (f64 p[i])² for i < count, in order. */
export function sumOfSquaresFunction(): FunctionDef {
  const { localGet: get, localSet: set, i32Const: int } = op;
  const [P, COUNT, END, SUM, V] = [0, 1, 2, 3, 4];
  return {
    exportName: "sum_of_squares",
    params: [I32, I32],
    results: [F64],
    locals: [[1, I32], [2, F64]],
    body: [
      ...get(P), ...get(COUNT), ...int(4), ...op.i32Mul, ...op.i32Add, ...set(END),
      ...loopUntil([...get(P), ...get(END), ...op.i32GeU], [
        ...get(P), ...op.f32Load(), ...op.f64PromoteF32, ...set(V),
        ...get(SUM), ...get(V), ...get(V), ...op.f64Mul, ...op.f64Add, ...set(SUM),
        ...get(P), ...int(4), ...op.i32Add, ...set(P),
      ]),
      ...get(SUM),
    ],
  };
}

/**
 * The kernel's Σ g², on views whose addresses `address` checks.
 *
 * @example
 * sumOfSquaresKernel(instance.exports, (v) => v.byteOffset)(gradient);
 */
export function sumOfSquaresKernel(exports: Record<string, unknown>, address: (view: Float32Array, what: string) => number): (data: Float32Array) => number {
  const fn = exports.sum_of_squares as (p: number, count: number) => number;
  return (data) => fn(address(data, "data"), data.length);
}
