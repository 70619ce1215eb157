/**
 * Whether the active backend keeps tensors in host memory (cpu: JavaScript arrays; wasm: the
 * WebAssembly heap), so that reading a tensor is a memory copy rather than a device round trip.
 * The core uses this to pick a training engine; it never changes the math.
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * @example
 * if (hasHostMemory()) console.log("reading gradients every step is cheap here");
 */
export function hasHostMemory(): boolean {
  const name = tf.getBackend();
  return name === "cpu" || name === "wasm";
}

/**
 * Whether the active backend's matMul is XNNPACK's float32 GEMM on WebAssembly SIMD
 * (tfjs-backend-wasm), whose bits gradlab's gemm kernel reproduces
 * (src/core/fast/kernels/gemm.test.ts): there the fast engine may run the kernel in its place.
 *
 * @example
 * const kernel = matMulIsWasmGemm() ? createGemmKernel() : null;
 */
export function matMulIsWasmGemm(): boolean {
  return tf.getBackend() === "wasm";
}

interface CpuStorage {
  data: { get(dataId: object): { values?: unknown } | undefined };
}
interface WasmStorage {
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/**
 * A read-only view of a float32 tensor's storage where it lives in host memory, without the
 * copy and bookkeeping of `dataSync()`; falls back to `dataSync()` elsewhere. On wasm the view
 * is only valid until the next tfjs allocation (the heap may move when it grows) and until the
 * tensor is disposed: read it at once, or copy it with `.slice()`. Never write through it.
 *
 * @example
 * const logits = readView(t); const first = logits[0];
 */
export function readView(t: tf.Tensor): Float32Array {
  if (t.dtype === "float32") {
    const name = tf.getBackend();
    if (name === "wasm") {
      const b = tf.backend() as unknown as WasmStorage;
      const offset = b.dataIdMap.get(t.dataId)?.memoryOffset;
      if (offset != null) return new Float32Array(b.wasm.HEAPU8.buffer, offset, t.size);
    } else if (name === "cpu") {
      const values = (tf.backend() as unknown as CpuStorage).data.get(t.dataId)?.values;
      if (values instanceof Float32Array && values.length === t.size) return values;
    }
  }
  return t.dataSync() as Float32Array;
}

/**
 * A float32 tensor holding a copy of `values`, which the caller may change afterwards. The
 * wasm backend copies what it is given into its heap anyway; cpu keeps the array itself, so
 * it gets a copy here.
 *
 * @example
 * const t = tensorOfCopy(weights, [784, 30]); weights[0] = 1; // t is unchanged
 */
export function tensorOfCopy(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(tf.getBackend() === "wasm" ? values : values.slice(), shape, "float32");
}
