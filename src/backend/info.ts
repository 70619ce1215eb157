import type { BackendName } from "./names.ts";
import type { GpuDescription } from "./_internals/webgpu-device.ts";

export type { DeviceLimit, GpuDescription } from "./_internals/webgpu-device.ts";

/** What gradlab found out about one backend on this machine and runtime. */
export interface BackendInfo {
  name: BackendName;
  /** True when the backend initialized here (a fallback WebGPU adapter counts as available). */
  available: boolean;
  /** Why it is not available, or how it was found. */
  reason: string;
  /** What computes: "JavaScript", the WebAssembly build and threads, the GPU adapter, libtensorflow… */
  device: string;
  /** True for a software GPU adapter (llvmpipe, SwiftShader…): used only when asked for by name. */
  fallback?: boolean;
  /** Worker threads the backend computes with, where it says (cpu: 1, wasm: XNNPACK's pool). */
  threads?: number;
  /** webgpu: the adapter, whether it is a software one, and the limits of gradlab's device */
  gpu?: GpuDescription;
}
