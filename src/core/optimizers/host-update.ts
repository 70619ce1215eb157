/**
 * The optimizers' host form, for the fast engine: SGD, momentum and TF1-form Adam as plain
 * loops over host memory, applied in place from the gradients the optimizer is handed
 * (clipped already). Gradients may arrive transposed (the dense backward pass produces dWᵀ):
 * `GradientView` says how to read them. Arithmetic is float64 inside a step and rounded to
 * float32 when stored, so results agree with the tfjs-op forms (sgd.ts, momentum.ts,
 * adam.ts) within float32 rounding, not bitwise. Adam's loop here is also the reference its
 * WebAssembly form (adam-wasm.ts) reproduces bit for bit (adam-wasm.test.ts).
 */
import { fault } from "../fault-points.ts";
import type { OptimizerSpec } from "../train-config.ts";
import { adamStepSize } from "./adam.ts";
import type { AdamArrays, AdamStep } from "./adam-wasm.ts";

/** A gradient in host memory; `transposed` = stored as [cols, rows] for a [rows, cols] parameter. */
export interface GradientView {
  data: Float32Array;
  rows: number;
  cols: number;
  transposed: boolean;
}

/**
 * Visits a gradient in storage order and hands each element with the parameter index it
 * belongs to: for a transposed view, storage index s = j·rows + i holds parameter k = i·cols + j.
 * Returns the traversal as (outer, inner, stride) so the update loops stay monomorphic.
 */
export function traversal(g: GradientView): { outer: number; inner: number; stride: number } {
  return g.transposed ? { outer: g.cols, inner: g.rows, stride: g.cols } : { outer: 1, inner: g.data.length, stride: 1 };
}

/** Optimizer state kept in host memory, one slot array per parameter. */
export interface HostOptimizer {
  /** Applies one update: params[p] ← update(params[p], grads[p]). */
  apply(params: Float32Array[], grads: GradientView[]): void;
}

/**
 * WebAssembly memory with Adam's wasm form instantiated over it (the fast engine's kernel
 * module is one): where given, the optimizer's state lives there, and Adam runs there for the
 * parameters whose values and gradients do too.
 */
export interface WasmOptimizerMemory {
  alloc(length: number): Float32Array;
  holds(view: Float32Array): boolean;
  adam(arrays: AdamArrays, step: AdamStep): void;
}

/**
 * @example
 * const opt = hostOptimizer({ name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, [784 * 30, 30]);
 */
export function hostOptimizer(spec: OptimizerSpec, sizes: number[], wasm: WasmOptimizerMemory | null = null): HostOptimizer {
  const slot = () => sizes.map((n) => (wasm ? wasm.alloc(n) : new Float32Array(n)));
  const first = spec.name === "sgd" ? null : slot();
  const second = spec.name === "adam" ? slot() : null;
  let t = 0;
  return {
    apply(params, grads) {
      t += 1;
      for (let p = 0; p < params.length; p++) {
        const P = params[p];
        const G = grads[p].data;
        const { outer, inner, stride } = traversal(grads[p]);
        let s = 0;
        if (spec.name === "sgd") {
          const lr = spec.learningRate;
          for (let j = 0; j < outer; j++) {
            for (let i = 0, k = j; i < inner; i++, s++, k += stride) P[k] -= lr * G[s];
          }
        } else if (spec.name === "momentum") {
          const { learningRate: lr, momentum: mu } = spec;
          const nesterov = spec.nesterov && !fault("fast/nesterov-ignored");
          // TF and PyTorch's default: no dampening, v ← μ·v + g
          const undamped = fault("fast/momentum-one-minus-mu") ? 1 - mu : 1;
          const M = first![p];
          for (let j = 0; j < outer; j++) {
            for (let i = 0, k = j; i < inner; i++, s++, k += stride) {
              const g = G[s];
              M[k] = mu * M[k] + undamped * g; // stored, then read back as float32, as the tfjs-op momentum rounds it
              P[k] -= lr * (nesterov ? g + mu * M[k] : M[k]);
            }
          }
        } else {
          const [b1, b2] = fault("fast/adam-betas-swapped") ? [spec.beta2, spec.beta1] : [spec.beta1, spec.beta2];
          const eps = spec.epsilon;
          const c1 = 1 - b1;
          const c2 = 1 - b2;
          const lrT = fault("fast/adam-no-bias-correction") ? spec.learningRate : adamStepSize(spec.learningRate, b1, b2, t);
          const M = first![p];
          const V = second![p];
          if (wasm && wasm.holds(P) && wasm.holds(G)) {
            wasm.adam({ params: P, grad: G, m: M, v: V }, { outer, inner, stride, beta1: b1, beta2: b2, lrT, epsilon: eps });
            continue;
          }
          for (let j = 0; j < outer; j++) {
            for (let i = 0, k = j; i < inner; i++, s++, k += stride) {
              const g = G[s];
              M[k] = b1 * M[k] + c1 * g;
              V[k] = b2 * V[k] + c2 * g * g;
              // M and V are read back after the float32 store, as the tfjs-op Adam rounds them.
              P[k] -= (lrT * M[k]) / (Math.sqrt(V[k]) + eps);
            }
          }
        }
      }
    },
  };
}
