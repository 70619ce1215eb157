/**
 * The backends gradlab knows, by the names people pass to `--backend` / `GRADLAB_BACKEND`.
 * "tensorflow" and "tensorflow-gpu" are both tfjs's native "tensorflow" backend, from
 * @tensorflow/tfjs-node and @tensorflow/tfjs-node-gpu respectively.
 */

/**
 * A backend name as gradlab spells it.
 *
 * @example
 * const name: BackendName = "wasm";
 */
export type BackendName = "cpu" | "wasm" | "webgpu" | "tensorflow" | "tensorflow-gpu";

/**
 * Every backend name, in the order `gradlab backends` lists them.
 *
 * @example
 * BACKEND_NAMES.includes("cpu"); // true
 */
export const BACKEND_NAMES: readonly BackendName[] = [
  "cpu",
  "wasm",
  "webgpu",
  "tensorflow",
  "tensorflow-gpu",
];

/**
 * The order `useBackend()` tries when no name is given: native libtensorflow first, then a
 * real (non-fallback) WebGPU adapter, then WebAssembly, then plain JavaScript.
 */
export const DEFAULT_ORDER: readonly BackendName[] = [
  "tensorflow-gpu",
  "tensorflow",
  "webgpu",
  "wasm",
  "cpu",
];

/**
 * True when `name` is one of gradlab's backend names.
 *
 * @example
 * isBackendName("wasm"); // true
 * isBackendName("webgl"); // false
 */
export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
