/**
 * Memory the active backend holds: tfjs's tensor count and bytes, and for wasm the size of
 * the WebAssembly heap (it only grows, so a constant size over a run means no leak).
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./_internals/tfjs-private.ts";

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
  const wasm = tf.findBackend("wasm");
  const heap = wasm && tf.getBackend() === "wasm" ? wasmHeap(wasm) : undefined;
  if (heap) out.wasmHeapBytes = heap.buffer.byteLength;
  return out;
}
