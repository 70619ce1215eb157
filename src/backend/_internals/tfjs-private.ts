/**
 * Every read of a field that tfjs's typings mark private or leave out, in one audited place.
 * Audited against tfjs 4.22.0 (tfjs-core, tfjs-backend-cpu, tfjs-backend-wasm);
 * tfjs-private.test.ts fails, naming the field, when a tfjs version changes any of them.
 *
 *   field (package)                                  why gradlab reads it
 *   Engine.registry (tfjs-core)                      the backends already initialized, by name:
 *                                                    probing a backend must not make it active
 *   Engine.initializeBackend(name) (tfjs-core)       initializes a backend without activating it
 *   backend.wasm.HEAPU8 (tfjs-backend-wasm)          the WebAssembly heap: views of tensor storage
 *                                                    without dataSync's copy; its size for leak checks
 *   backend.dataIdMap.get(dataId).memoryOffset       where a tensor's values start in that heap
 *     (tfjs-backend-wasm)
 *   backend.data.get(dataId).values (tfjs-backend-cpu) the typed array a cpu tensor keeps
 *   backend.firstUse (tfjs-backend-cpu)              set false: silences its "install our node
 *                                                    backend" banner (gradlab backends says what is there)
 *   backend.binding.TF_Version (tfjs-node)           libtensorflow's version, for the device string
 *
 * Nothing else in gradlab casts a tfjs object to reach inside it (architecture.test.ts).
 */
import * as tf from "@tensorflow/tfjs-core";

/** The tfjs versions these fields were audited against. */
export const AUDITED_TFJS = "4.22.0";

/** The parts of tfjs-core's Engine used here that its typings mark private. */
export interface EngineInternals {
  registry: Record<string, tf.KernelBackend | undefined>;
  initializeBackend(name: string): { success: boolean | Promise<boolean>; asyncInit: boolean };
}

/**
 * @example
 * engineInternals().registry["wasm"]; // the wasm backend, once initialized
 */
export function engineInternals(): EngineInternals {
  return tf.engine() as unknown as EngineInternals;
}

/**
 * The backend tfjs has initialized under `tfjsName`, active or not; undefined before.
 *
 * @example
 * initializedBackend("wasm");
 */
export function initializedBackend(tfjsName: string): tf.KernelBackend | undefined {
  return engineInternals().registry[tfjsName];
}

/**
 * Initializes a registered backend without making it the active one; whether it worked.
 *
 * @example
 * await initializeWithoutActivating("wasm"); // true
 */
export async function initializeWithoutActivating(tfjsName: string): Promise<boolean> {
  return await engineInternals().initializeBackend(tfjsName).success;
}

interface CpuStorage {
  data: { get(dataId: object): { values?: unknown } | undefined };
}
interface WasmStorage {
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
  wasm?: { HEAPU8?: Uint8Array };
}

/**
 * The wasm backend's WebAssembly heap, or undefined where `backend` has none.
 *
 * @example
 * wasmHeap(tf.findBackend("wasm")!)?.buffer.byteLength;
 */
export function wasmHeap(backend: tf.KernelBackend): Uint8Array | undefined {
  return (backend as unknown as WasmStorage).wasm?.HEAPU8;
}

/**
 * A float32 tensor's values where `backend` (wasm) keeps them in its heap, as a view; null
 * when it does not say (no storage yet, or not wasm).
 *
 * @example
 * wasmView(tf.findBackend("wasm")!, t);
 */
export function wasmView(backend: tf.KernelBackend, t: tf.Tensor): Float32Array | null {
  const b = backend as unknown as WasmStorage;
  const offset = b.dataIdMap?.get(t.dataId)?.memoryOffset;
  const heap = b.wasm?.HEAPU8;
  return offset != null && heap ? new Float32Array(heap.buffer, offset, t.size) : null;
}

/**
 * The Float32Array a cpu tensor keeps, or null when it keeps something else.
 *
 * @example
 * cpuView(tf.findBackend("cpu")!, t);
 */
export function cpuView(backend: tf.KernelBackend, t: tf.Tensor): Float32Array | null {
  const values = (backend as unknown as CpuStorage).data?.get(t.dataId)?.values;
  return values instanceof Float32Array && values.length === t.size ? values : null;
}

/**
 * Silences the cpu backend's first-use banner.
 *
 * @example
 * silenceCpuBanner(tf.findBackend("cpu")!);
 */
export function silenceCpuBanner(backend: tf.KernelBackend): void {
  (backend as unknown as { firstUse?: boolean }).firstUse = false;
}

/**
 * libtensorflow's version behind tfjs-node's backend, where it says.
 *
 * @example
 * nativeTensorflowVersion(backend); // "2.9.1"
 */
export function nativeTensorflowVersion(backend: tf.KernelBackend): string | undefined {
  return (backend as unknown as { binding?: { TF_Version?: string } }).binding?.TF_Version;
}
