/**
 * One probe per backend, each run at most once per process: probing imports the backend's
 * package and initializes it, which is slow for wasm and webgpu and cannot be undone.
 */
import type { BackendInfo } from "../info.ts";
import type { BackendName } from "../names.ts";
import { probeCpu } from "./cpu.ts";
import { firstLine } from "./initialize.ts";
import { probeTensorflow } from "./tensorflow.ts";
import { probeWasm } from "./wasm.ts";
import { probeWebgpu } from "./webgpu.ts";

const PROBES: Record<BackendName, () => Promise<BackendInfo>> = {
  "cpu": probeCpu,
  "wasm": probeWasm,
  "webgpu": probeWebgpu,
  "tensorflow": () => probeTensorflow("tensorflow"),
  "tensorflow-gpu": () => probeTensorflow("tensorflow-gpu"),
};

const probed = new Map<BackendName, Promise<BackendInfo>>();

/**
 * What this process can find out about backend `name` (cached after the first call).
 *
 * @example
 * (await probeBackend("cpu")).available; // true
 */
export function probeBackend(name: BackendName): Promise<BackendInfo> {
  let info = probed.get(name);
  if (!info) {
    info = PROBES[name]().catch((error): BackendInfo => {
      const reason = `probing it failed: ${firstLine(error)}`;
      return { name, available: false, reason, device: "unknown" };
    });
    probed.set(name, info);
  }
  return info;
}
