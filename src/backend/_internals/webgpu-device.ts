/**
 * gradlab's own WebGPU device for tfjs's WebGPU backend.
 *
 * tfjs-backend-webgpu 4.22.0 (dist/base.js) requests its device with six limits raised to the
 * adapter's, but not `maxStorageBuffersPerShaderStage`, so the device gets WebGPU's default of
 * 8 storage buffers per shader. Its AddN shader binds every input plus the output as storage
 * buffers, so `tf.addN` of 8 or more tensors is a pipeline the device rejects: a validation
 * error, reported only as an event, that also invalidates every other command encoded into
 * the same command buffer (up to WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE = 15 dispatches). The
 * outputs keep whatever their pooled buffers held: stale numbers, read back without an
 * error. Measured on llvmpipe (adapter limit 16): addN of 8 returned the sum of the first 7,
 * and a stack dispatched beside it returned zeros.
 *
 * So gradlab registers tfjs's WebGPUBackend on a device it requests itself, with the limits
 * that matter raised to the adapter's, folds AddN's inputs into groups the device can bind
 * (./webgpu-addn.ts), and watches the device: any error it reports (validation, out of
 * memory, internal, device lost) makes every later read of a tensor throw, so wrong numbers
 * are never returned quietly. On a software adapter it also picks tfjs's packed matMul (3×
 * faster there than the one tfjs's heuristic picks).
 */
import * as tf from "@tensorflow/tfjs-core";
import { WebGPUBackend, webgpu_util } from "@tensorflow/tfjs-backend-webgpu";
import { installGroupedAddN } from "./webgpu-addn.ts";

/**
 * The WebGPU limits that decide what tfjs can run, with the WebGPU specification's defaults
 * (https://www.w3.org/TR/webgpu/#limits) and what each one bounds for gradlab.
 */
export const LIMITS_THAT_MATTER = {
  maxStorageBuffersPerShaderStage: { default: 8, bytes: false, bounds: "inputs + output of one op (addN, concat)" },
  maxStorageBufferBindingSize: { default: 134217728, bytes: true, bounds: "the largest tensor an op reads or writes" },
  maxBufferSize: { default: 268435456, bytes: true, bounds: "the largest tensor" },
  maxComputeWorkgroupStorageSize: { default: 16384, bytes: true, bounds: "shared memory of matMul tiles and reductions" },
  maxComputeInvocationsPerWorkgroup: { default: 256, bytes: false, bounds: "threads per workgroup" },
  maxComputeWorkgroupSizeX: { default: 256, bytes: false, bounds: "workgroup width" },
  maxComputeWorkgroupsPerDimension: { default: 65535, bytes: false, bounds: "workgroups per dispatch dimension" },
} as const;

export type LimitName = keyof typeof LIMITS_THAT_MATTER;

/** One limit: the WebGPU default, what the adapter offers, what gradlab's device got. */
export interface DeviceLimit {
  name: LimitName;
  default: number;
  adapter: number;
  device: number;
  /** whether the limit is a size in bytes */
  bytes: boolean;
  bounds: string;
}

/** The adapter tfjs's backend runs on and the device gradlab requested from it. */
export interface GpuDescription {
  /** the adapter's description (or vendor and architecture when it has none) */
  adapter: string;
  vendor: string;
  architecture: string;
  /** a software rasterizer (llvmpipe, lavapipe, SwiftShader, WARP) rather than a GPU */
  software: boolean;
  /** why `software` is what it is: the adapter's isFallbackAdapter flag or its name */
  softwareBecause: string;
  limits: DeviceLimit[];
}

/** The slice of the WebGPU API used here (the type-check's libs have no DOM). */
interface GpuAdapter {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<GpuDevice>;
}
interface GpuDevice extends WatchableDevice {
  limits: Record<string, number>;
}
export interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

/** Software rasterizers that WebGPU implementations fall back to when there is no GPU. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render|warp/i;

/** What a device has reported so far; `throwIfFailed` turns the first error into an exception. */
export interface DeviceWatch {
  /** the first error the device reported, or null */
  readonly error: string | null;
  throwIfFailed(): void;
}

/** The part of a GPUDevice a watch listens to. */
export interface WatchableDevice {
  lost: Promise<{ reason?: string; message?: string }>;
  addEventListener(type: "uncapturederror", listener: (event: { error?: { message?: string } }) => void): void;
}

/**
 * Listens to a device's uncaptured errors and its loss. The first one is kept for the life of
 * the device: after it, any command buffer may have been dropped, so no later result can be
 * trusted either.
 *
 * @example
 * const watch = watchDevice(device); … ; watch.throwIfFailed();
 */
export function watchDevice(device: WatchableDevice): DeviceWatch {
  let error: string | null = null;
  device.addEventListener("uncapturederror", (event) => {
    error ??= event.error?.message?.split("\n")[0]?.trim() || "an error without a message";
  });
  void device.lost.then((info) => {
    error ??= `device lost (${info.reason ?? "unknown reason"})${info.message ? `: ${info.message}` : ""}`;
  });
  return {
    get error() {
      return error;
    },
    throwIfFailed() {
      if (error === null) return;
      throw new Error(`webgpu: the GPU device reported an error, so no number it computed since can be trusted: ${error}`);
    },
  };
}

/** tfjs's WebGPUBackend, except that reading a tensor fails once the device has reported an error. */
class WatchedWebGPUBackend extends WebGPUBackend {
  constructor(device: ConstructorParameters<typeof WebGPUBackend>[0], info: ConstructorParameters<typeof WebGPUBackend>[1], readonly watch: DeviceWatch) {
    super(device, info);
  }

  override async read(dataId: object): Promise<tf.backend_util.BackendValues> {
    this.watch.throwIfFailed();
    const values = await super.read(dataId);
    this.watch.throwIfFailed();
    return values;
  }

  override readSync(dataId: object): tf.backend_util.BackendValues {
    this.watch.throwIfFailed();
    const values = super.readSync(dataId);
    this.watch.throwIfFailed();
    return values;
  }
}

/** What the factory found, for the probe to describe (null until tfjs initializes the backend). */
let described: GpuDescription | null = null;

/**
 * The adapter and device of the initialized webgpu backend, or null before that.
 *
 * @example
 * describeGpu()?.limits.find((l) => l.name === "maxStorageBuffersPerShaderStage")?.device; // 16 on llvmpipe
 */
export function describeGpu(): GpuDescription | null {
  return described;
}

let installed = false;

/**
 * Replaces the factory tfjs-backend-webgpu registered for "webgpu" (on import) with gradlab's:
 * the same adapter request and features, the limits that matter raised to the adapter's, the
 * device watched, and AddN folded into groups the device can bind. Call before the backend is
 * initialized; idempotent.
 *
 * @example
 * installWebgpuFactory(navigator.gpu); await tf.setBackend("webgpu");
 */
export function installWebgpuFactory(gpu: Gpu): void {
  if (installed) return;
  installed = true;
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  tf.registerBackend("webgpu", async () => {
    const adapter = await gpu.requestAdapter({ powerPreference: tf.env().getBool("WEBGPU_USE_LOW_POWER_GPU") ? "low-power" : "high-performance" });
    if (!adapter) throw new Error("navigator.gpu.requestAdapter() found no adapter");
    const requiredLimits: Record<string, number> = {};
    for (const name of Object.keys(LIMITS_THAT_MATTER)) {
      if (typeof adapter.limits[name] === "number") requiredLimits[name] = adapter.limits[name];
    }
    const requiredFeatures = adapter.features.has("timestamp-query") ? ["timestamp-query"] : [];
    const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
    const watch = watchDevice(device);
    described = describe(adapter, device);
    installGroupedAddN();
    // On a software adapter (CPU threads) tfjs's packed matMul beats the small-output one its
    // heuristic picks for few workgroups: llvmpipe, 256×784·784×30: 130 ms against 400 ms.
    if (described.software) tf.env().set("WEBGPU_MATMUL_PROGRAM_TYPE", webgpu_util.MatMulProgramType.MatMulPackedProgram);
    // The cast: WebGPUBackend's typings want @webgpu/types' GPUDevice, which the slice above mirrors.
    return new WatchedWebGPUBackend(device as unknown as ConstructorParameters<typeof WebGPUBackend>[0], adapter.info as never, watch);
  }, 3);
}

function describe(adapter: GpuAdapter, device: GpuDevice): GpuDescription {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const name = info.description || [vendor, architecture, info.device].filter(Boolean).join(" ") || "unnamed adapter";
  const flagged = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const named = SOFTWARE_ADAPTER.test(name);
  const softwareBecause = flagged
    ? "the adapter says it is a fallback adapter (isFallbackAdapter)"
    : named
    ? `its name (${name}) is a software rasterizer's`
    : "the adapter is not a fallback adapter and its name is no software rasterizer's";
  const limits = (Object.entries(LIMITS_THAT_MATTER) as [LimitName, (typeof LIMITS_THAT_MATTER)[LimitName]][]).map(([limit, spec]) => ({
    name: limit,
    default: spec.default,
    adapter: adapter.limits[limit] ?? spec.default,
    device: device.limits[limit] ?? spec.default,
    bytes: spec.bytes,
    bounds: spec.bounds,
  }));
  return { adapter: name, vendor, architecture, software: flagged || named, softwareBecause, limits };
}
