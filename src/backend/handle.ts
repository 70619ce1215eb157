/**
 * The backend as a value: chosen once at the edge (`useBackend`, then `chosenBackend()`), and
 * passed from there to whatever computes, which asks the handle, never tfjs's global state,
 * what the backend can do. The capabilities change which engine runs and how it reads
 * tensors, never the math.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendName } from "./names.ts";
import { cpuView, wasmView } from "./_internals/tfjs-private.ts";
import { BACKEND_TOLERANCE, type BackendTolerance } from "./tolerance.ts";

/** The most tfjs-backend-wasm's heap grows to: its emscripten build's getHeapMax(), 65,535 pages of 64 KiB. */
export const WASM_HEAP_MAX_BYTES = 65_535 * 65_536;

/**
 * A backend as the core receives it: its name and what the engines may assume of it. The edge
 * chooses it once (`useBackend`) and hands it on (`chosenBackend()`).
 *
 * @example
 * await useBackend("wasm");
 * const backend: Backend = chosenBackend(); // backend.hostMemory === true
 */
export interface Backend {
  readonly name: BackendName;
  /**
   * Tensors live in host memory (cpu: JavaScript arrays; wasm: the WebAssembly heap), so that
   * reading one is a memory copy rather than a device round trip.
   */
  readonly hostMemory: boolean;
  /**
   * Its matMul is XNNPACK's float32 GEMM on WebAssembly SIMD (tfjs-backend-wasm), whose bits
   * gradlab's gemm kernel reproduces (src/core/fast/kernels/gemm.test.ts): there the fast
   * engine may run the kernel in its place.
   */
  readonly wasmGemm: boolean;
  /** The most bytes its tensors can take where the backend caps that below the machine's memory; null where it does not. */
  readonly heapMaxBytes: number | null;
  /** How accurate its kernels are and how close it stays to cpu (src/backend/tolerance.ts). */
  readonly tolerance: BackendTolerance;
  /**
   * A read-only view of a float32 tensor's storage where it lives in host memory, without the
   * copy and bookkeeping of `dataSync()`; `dataSync()` elsewhere. On wasm the view is only
   * valid until the next tfjs allocation (the heap may move when it grows) and until the
   * tensor is disposed: read it at once, or copy it with `.slice()`. Never write through it.
   */
  readView(t: tf.Tensor): Float32Array;
  /**
   * A float32 tensor holding a copy of `values`, which the caller may change afterwards. The
   * wasm backend copies what it is given into its heap anyway; cpu keeps the array itself, so
   * it gets a copy.
   */
  tensorOfCopy(values: Float32Array, shape: number[]): tf.Tensor;
}

/** gradlab name → the name tfjs registers the backend under. */
export const TFJS_NAME: Record<BackendName, string> = {
  "cpu": "cpu",
  "wasm": "wasm",
  "webgpu": "webgpu",
  "tensorflow": "tensorflow",
  "tensorflow-gpu": "tensorflow",
};

/**
 * The handle of a backend tfjs has initialized (`useBackend` does that).
 *
 * @example
 * const backend = backendHandle("wasm");
 * backend.hostMemory; // true
 */
export function backendHandle(name: BackendName): Backend {
  const instance = tf.findBackend(TFJS_NAME[name]);
  if (!instance) throw new Error(`backend "${name}" is not initialized: call useBackend("${name}") first`);
  const wasm = name === "wasm";
  const view = wasm ? (t: tf.Tensor) => wasmView(instance, t) : name === "cpu" ? (t: tf.Tensor) => cpuView(instance, t) : () => null;
  return {
    name,
    hostMemory: name === "cpu" || wasm,
    wasmGemm: wasm,
    heapMaxBytes: wasm ? WASM_HEAP_MAX_BYTES : null,
    tolerance: BACKEND_TOLERANCE[name],
    readView(t) {
      return (t.dtype === "float32" ? view(t) : null) ?? (t.dataSync() as Float32Array);
    },
    tensorOfCopy(values, shape) {
      return tf.tensor(wasm ? values : values.slice(), shape, "float32");
    },
  };
}
