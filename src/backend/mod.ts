/**
 * Choosing and describing the tfjs backend: the only place in gradlab that knows which
 * backend is active.
 */
export { type BackendName, BACKEND_NAMES, DEFAULT_ORDER, isBackendName } from "./names.ts";
export type { BackendInfo, DeviceLimit, GpuDescription } from "./info.ts";
export { listBackends } from "./list.ts";
export { chooseBackend, defaultBackend, describeAvailability } from "./choose.ts";
export { activeBackend, chosenBackend, selfCheckOf, useBackend } from "./use.ts";
export { type Backend, backendHandle, WASM_HEAP_MAX_BYTES } from "./handle.ts";
export { BACKEND_TOLERANCE, type BackendTolerance, type Closeness } from "./tolerance.ts";
export { BackendRefusedError, selfCheck, type SelfCheckFailure, type SelfCheckReport } from "./self-check.ts";
export { environment, type EnvironmentRecord } from "./environment.ts";
export { environmentFields, environmentSchema } from "./environment-schema.ts";
export { availableCores, collectGarbage, hasWebWorkers, runtimeInfo, type RuntimeInfo, startWorker, type WebWorker } from "./runtime.ts";
export { backendMemory, type BackendMemory } from "./memory.ts";
