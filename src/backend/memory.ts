/**
 * Memory the active backend holds: tfjs's tensor count and bytes, and for wasm the size of
 * the WebAssembly heap (it only grows, so a constant size over a run means no leak).
 */
import * as tf from "@tensorflow/tfjs-core";

export interface BackendMemory {
  numTensors: number;
  numBytes: number;
  /** wasm only: bytes of the WebAssembly heap */
  wasmHeapBytes?: number;
}

/**
 * @example
 * const before = backendMemory(); train(); const after = backendMemory();
 */
export function backendMemory(): BackendMemory {
  const m = tf.memory();
  const out: BackendMemory = { numTensors: m.numTensors, numBytes: m.numBytes };
  if (tf.getBackend() === "wasm") {
    const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
    if (heap) out.wasmHeapBytes = heap.buffer.byteLength;
  }
  return out;
}
