/**
 * The kernel pass's elementwise work in WebAssembly, beside the gemm kernel in its module and
 * memory: ReLU and leaky ReLU in place, and dHᵀ ⊙ f'(H)ᵀ for every activation, as a loop
 * around each activation's float64 factor (its `wasmFactor` in activations.ts, beside the host
 * loop it reproduces). The same arithmetic as that JavaScript, operation for operation (the
 * derivative factor in float64 from the float32 output, dHᵀ·factor rounded once to float32;
 * float32 max and products for the forward), so the same bits; activation.test.ts checks
 * that. What it saves is the branch mispredictions and bounds checks of the JavaScript loops
 * on random signs (docs/performance.md).
 */
import { type Activation, ACTIVATIONS } from "../../activations.ts";
import type { ActivationSpec } from "../../model-spec.ts";
import { type Code, F32, F64, type FunctionDef, I32, ifThen, loopUntil, op } from "../../wasm/encoding.ts";

/** Activations with a derivative other than 1 (for linear there is nothing to multiply). */
const CURVED = (Object.keys(ACTIVATIONS) as ActivationSpec["name"][]).filter((name) => ACTIVATIONS[name].wasmFactor !== null);

/** dHT[j·m + i] ← dHT[j·m + i]·f'(H[i·ldh + j]) for i < m, j < n: (dHT, H, m, n, ldh, a, b). */
function derivativeFunction(name: ActivationSpec["name"]): FunctionDef {
  const factor = (ACTIVATIONS[name] as Activation).wasmFactor!;
  const { localGet: get, localSet: set, i32Const: int } = op;
  const [DHT, H, M, N, LDH, A, B] = [0, 1, 2, 3, 4, 5, 6];
  const [I, J, DP, HP, HV] = [7, 8, 9, 10, 11];
  const advance = (local: number, by: Code) => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const inner = [
    ...get(DP),
    ...get(DP), ...op.f32Load(), ...op.f64PromoteF32,
    ...get(HP), ...op.f32Load(), ...op.f64PromoteF32, ...set(HV),
    ...factor(get(HV), get(A), get(B)),
    ...op.f64Mul, ...op.f32DemoteF64, ...op.f32Store(),
    ...advance(DP, int(4)),
    ...advance(HP, [...get(LDH), ...int(4), ...op.i32Mul]),
    ...advance(I, int(1)),
  ];
  const column = [
    // row j of dHᵀ, column j of H
    ...get(DHT), ...get(J), ...get(M), ...op.i32Mul, ...int(4), ...op.i32Mul, ...op.i32Add, ...set(DP),
    ...get(H), ...get(J), ...int(4), ...op.i32Mul, ...op.i32Add, ...set(HP),
    ...int(0), ...set(I),
    ...loopUntil([...get(I), ...get(M), ...op.i32GeU], inner),
    ...advance(J, int(1)),
  ];
  return {
    exportName: `derivative_${name}`,
    params: [I32, I32, I32, I32, I32, F64, F64],
    locals: [[4, I32], [1, F64]],
    body: loopUntil([...get(J), ...get(N), ...op.i32GeU], column),
  };
}

/** h[i] ← max(h[i], 0) for i < count, 4 at a time: (h, count). */
function reluFunction(): FunctionDef {
  const { localGet: get, localSet: set, i32Const: int } = op;
  const [P, COUNT, END, VEC_END] = [0, 1, 2, 3];
  return {
    exportName: "relu",
    params: [I32, I32],
    locals: [[2, I32]],
    body: [
      ...get(P), ...get(COUNT), ...int(4), ...op.i32Mul, ...op.i32Add, ...set(END),
      ...get(P), ...get(COUNT), ...int(-4), ...op.i32And, ...int(4), ...op.i32Mul, ...op.i32Add, ...set(VEC_END),
      ...loopUntil([...get(P), ...get(VEC_END), ...op.i32GeU], [
        ...get(P), ...get(P), ...op.v128Load(), ...op.v128Zero, ...op.f32x4Max, ...op.v128Store(),
        ...get(P), ...int(16), ...op.i32Add, ...set(P),
      ]),
      ...loopUntil([...get(P), ...get(END), ...op.i32GeU], [
        ...get(P), ...get(P), ...op.f32Load(), ...op.f32Const(0), ...op.f32Max, ...op.f32Store(),
        ...get(P), ...int(4), ...op.i32Add, ...set(P),
      ]),
    ],
  };
}

/** h[i] ← h[i] < 0 ? α·h[i] : h[i] (float32) for i < count: (h, count, α). */
function leakyReluFunction(): FunctionDef {
  const { localGet: get, localSet: set, i32Const: int } = op;
  const [P, COUNT, ALPHA, END, V] = [0, 1, 2, 3, 4];
  return {
    exportName: "leaky_relu",
    params: [I32, I32, F32],
    locals: [[1, I32], [1, F32]],
    body: [
      ...get(P), ...get(COUNT), ...int(4), ...op.i32Mul, ...op.i32Add, ...set(END),
      ...loopUntil([...get(P), ...get(END), ...op.i32GeU], [
        ...get(P), ...op.f32Load(), ...set(V),
        ...ifThen([...get(V), ...op.f32Const(0), ...op.f32Lt], [...get(P), ...get(ALPHA), ...get(V), ...op.f32Mul, ...op.f32Store()]),
        ...get(P), ...int(4), ...op.i32Add, ...set(P),
      ]),
    ],
  };
}

/** The module's elementwise functions. */
export function activationFunctions(): FunctionDef[] {
  return [reluFunction(), leakyReluFunction(), ...CURVED.map(derivativeFunction)];
}

export interface ActivationKernels {
  /** h ← max(h, 0), in place. */
  relu(h: Float32Array): void;
  /** h ← h < 0 ? α·h : h with α rounded to float32 (as tfjs passes it), in place. */
  leakyRelu(h: Float32Array, alpha: number): void;
  /** activations.ts's multiplyByDerivative on views in the kernel's memory (dHᵀ [n, m], H [m, n]). */
  multiplyByDerivative(spec: ActivationSpec, dHT: Float32Array, H: Float32Array, m: number, n: number): void;
}

type Exports = Record<string, (...args: number[]) => void>;

/**
 * The elementwise functions of an instance, on views whose addresses `address` checks.
 *
 * @example
 * const act = activationKernels(instance.exports, (v) => v.byteOffset);
 */
export function activationKernels(exports: Record<string, unknown>, address: (view: Float32Array, what: string) => number): ActivationKernels {
  const fns = exports as Exports;
  const check = (view: Float32Array, floats: number, what: string) => {
    if (floats > view.length) throw new Error(`activation kernel: ${what} has ${view.length} floats, ${floats} needed`);
    return address(view, what);
  };
  return {
    relu(h) {
      fns.relu(check(h, h.length, "h"), h.length);
    },
    leakyRelu(h, alpha) {
      fns.leaky_relu(check(h, h.length, "h"), h.length, Math.fround(alpha));
    },
    multiplyByDerivative(spec, dHT, H, m, n) {
      const activation = ACTIVATIONS[spec.name] as Activation;
      if (activation.wasmFactor === null) return; // no derivative function: nothing to multiply
      const [a, b] = activation.factorParams(spec);
      fns[`derivative_${spec.name}`](check(dHT, n * m, "dHT"), check(H, m * n, "H"), m, n, n, a, b);
    },
  };
}
