/** Probe for tfjs's WebGPU backend, through the runtime's navigator.gpu (Deno has one). */
import type { BackendInfo } from "../info.ts";
import { runtimeInfo } from "../runtime.ts";
import { firstLine, initializeTfjsBackend } from "./initialize.ts";

/** The slice of the WebGPU API the probe reads (TypeScript's libs here do not declare it). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

/** Software rasterizers that WebGPU implementations fall back to when there is no GPU. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render/i;

/**
 * Asks navigator.gpu for the adapter tfjs would use ("high-performance"), describes it, and
 * initializes tfjs's webgpu backend on it. A software adapter is available but `fallback`.
 */
export async function probeWebgpu(): Promise<BackendInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
  if (!gpu) {
    const { runtime, runtimeVersion } = runtimeInfo();
    const reason = `no navigator.gpu in ${runtime} ${runtimeVersion} (WebGPU needs Deno or a browser)`;
    return { name: "webgpu", available: false, reason, device: "none" };
  }
  let adapter: GpuAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (error) {
    const reason = `navigator.gpu.requestAdapter() failed: ${firstLine(error)}`;
    return { name: "webgpu", available: false, reason, device: "none" };
  }
  if (!adapter) {
    const reason = "navigator.gpu.requestAdapter() found no adapter";
    return { name: "webgpu", available: false, reason, device: "none" };
  }
  const info = adapter.info ?? {};
  const description = info.description || [info.vendor, info.architecture, info.device]
    .filter(Boolean).join(" ") || "unnamed adapter";
  const fallback = Boolean(info.isFallbackAdapter || adapter.isFallbackAdapter) ||
    SOFTWARE_ADAPTER.test(description);
  const device = `WebGPU adapter: ${description}${fallback ? " (software fallback)" : ""}`;

  await import("@tensorflow/tfjs-backend-webgpu");
  const init = await initializeTfjsBackend("webgpu");
  if (!init.ok) return { name: "webgpu", available: false, reason: init.reason, device, fallback };
  const reason = fallback
    ? "software adapter only; used only when asked for by name"
    : "GPU adapter found through navigator.gpu";
  return { name: "webgpu", available: true, reason, device, fallback };
}
