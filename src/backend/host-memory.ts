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
