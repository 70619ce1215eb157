/**
 * Adam's WebAssembly form, which the fast engine's kernel module carries beside gemm: the
 * same float64 arithmetic as host-update.ts's loop, operation for operation (IEEE double
 * +, −, ×, ÷ and √ are exact to the bit in both), with the same float32 stores and reads back
 * of m and v, so the same bits (adam-wasm.test.ts). It saves the JavaScript loop's bounds
 * checks and conversions (docs/performance.md).
 */
import { type Code, F64, type FunctionDef, I32, loopUntil, op } from "../wasm/encoding.ts";

/**
 * adam(P, G, M, V, outer, inner, stride, b1, c1, b2, c2, lrT, eps): for the s-th gradient
 * element in storage order, k = j + i·stride (j < outer, i < inner):
 *   g = G[s]; M[k] = b1·M[k] + c1·g; V[k] = b2·V[k] + c2·g·g;
 *   P[k] −= lrT·M[k] / (√V[k] + eps)        (M, V read back after their float32 store)
 */
export function adamFunction(): FunctionDef {
  const { localGet: get, localSet: set, i32Const: int } = op;
  const [P, G, M, V, OUTER, INNER, STRIDE, B1, C1, B2, C2, LRT, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [I, J, GP, KP, STEP, GV] = [13, 14, 15, 16, 17, 18];
  const at = (base: number) => [...get(base), ...get(KP), ...op.i32Add];
  const load64 = (base: number) => [...at(base), ...op.f32Load(), ...op.f64PromoteF32];
  const store32 = (base: number, value: Code) => [...at(base), ...value, ...op.f32DemoteF64, ...op.f32Store()];
  const advance = (local: number, by: Code) => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const inner = [
    ...get(GP), ...op.f32Load(), ...op.f64PromoteF32, ...set(GV),
    ...store32(M, [...get(B1), ...load64(M), ...op.f64Mul, ...get(C1), ...get(GV), ...op.f64Mul, ...op.f64Add]),
    ...store32(V, [...get(B2), ...load64(V), ...op.f64Mul, ...get(C2), ...get(GV), ...op.f64Mul, ...get(GV), ...op.f64Mul, ...op.f64Add]),
    ...store32(P, [
      ...load64(P),
      ...get(LRT), ...load64(M), ...op.f64Mul,
      ...load64(V), ...op.f64Sqrt, ...get(EPS), ...op.f64Add,
      ...op.f64Div, ...op.f64Sub,
    ]),
    ...advance(GP, int(4)),
    ...advance(KP, get(STEP)),
    ...advance(I, int(1)),
  ];
  return {
    exportName: "adam",
    params: [I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64],
    locals: [[5, I32], [1, F64]],
    body: [
      ...get(STRIDE), ...int(4), ...op.i32Mul, ...set(STEP),
      ...get(G), ...set(GP),
      ...loopUntil([...get(J), ...get(OUTER), ...op.i32GeU], [
        ...get(J), ...int(4), ...op.i32Mul, ...set(KP),
        ...int(0), ...set(I),
        ...loopUntil([...get(I), ...get(INNER), ...op.i32GeU], inner),
        ...advance(J, int(1)),
      ]),
    ],
  };
}

export interface AdamArrays {
  params: Float32Array;
  grad: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export interface AdamStep {
  /** gradient storage order → parameter index: k = j + i·stride */
  outer: number;
  inner: number;
  stride: number;
  beta1: number;
  beta2: number;
  /** the step's bias-corrected learning rate */
  lrT: number;
  epsilon: number;
}

/**
 * The kernel's Adam, on views whose addresses `address` checks.
 *
 * @example
 * adamKernel(instance.exports, (v) => v.byteOffset)(arrays, step);
 */
export function adamKernel(exports: Record<string, unknown>, address: (view: Float32Array, what: string) => number): (a: AdamArrays, s: AdamStep) => void {
  const adam = exports.adam as (...args: number[]) => void;
  return (a, s) => {
    const n = a.params.length;
    if (s.outer * s.inner !== n || a.grad.length < n || a.m.length < n || a.v.length < n) {
      throw new Error(`adam kernel: ${s.outer}×${s.inner} updates for ${n} parameters, gradient ${a.grad.length}, m ${a.m.length}, v ${a.v.length}`);
    }
    adam(
      address(a.params, "params"), address(a.grad, "grad"), address(a.m, "m"), address(a.v, "v"),
      s.outer, s.inner, s.stride, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.lrT, s.epsilon,
    );
  };
}
