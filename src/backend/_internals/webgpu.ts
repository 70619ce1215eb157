/** Probe for tfjs's WebGPU backend, through the runtime's navigator.gpu (Deno has one). */
import type { BackendInfo } from "../info.ts";
import { runtimeInfo } from "../runtime.ts";
import { firstLine, initializeTfjsBackend } from "./initialize.ts";
import { describeGpu, type Gpu, installWebgpuFactory } from "./webgpu-device.ts";

/**
 * Initializes tfjs's webgpu backend on gradlab's device (./webgpu-device.ts) and describes
 * its adapter and limits. A software adapter is available but `fallback`: used only when
 * asked for by name.
 */
export async function probeWebgpu(): Promise<BackendInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
  if (!gpu) {
    const { runtime, runtimeVersion } = runtimeInfo();
    const reason = `no navigator.gpu in ${runtime} ${runtimeVersion} (WebGPU needs Deno or a browser)`;
    return { name: "webgpu", available: false, reason, device: "none" };
  }
  try {
    if (!(await gpu.requestAdapter({ powerPreference: "high-performance" }))) {
      return { name: "webgpu", available: false, reason: "navigator.gpu.requestAdapter() found no adapter", device: "none" };
    }
  } catch (error) {
    return { name: "webgpu", available: false, reason: `navigator.gpu.requestAdapter() failed: ${firstLine(error)}`, device: "none" };
  }

  await import("@tensorflow/tfjs-backend-webgpu");
  installWebgpuFactory(gpu);
  const init = await initializeTfjsBackend("webgpu");
  const gpuInfo = describeGpu();
  if (!init.ok || !gpuInfo) {
    const reason = init.ok ? "tfjs initialized webgpu without gradlab's device" : init.reason;
    return { name: "webgpu", available: false, reason, device: "none" };
  }
  const fallback = gpuInfo.software;
  const storage = gpuInfo.limits.find((l) => l.name === "maxStorageBuffersPerShaderStage")!;
  const reason = (fallback ? "software adapter only; used only when asked for by name" : "GPU adapter found through navigator.gpu") +
    `; gradlab's device: ${storage.device} storage buffers per shader (WebGPU default ${storage.default})`;
  const device = `WebGPU adapter: ${gpuInfo.adapter}${fallback ? " (software fallback)" : ""}`;
  return { name: "webgpu", available: true, reason, device, fallback, gpu: gpuInfo };
}
