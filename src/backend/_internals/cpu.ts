/** Probe for tfjs's plain JavaScript backend. */
import type { BackendInfo } from "../info.ts";
import { initializeTfjsBackend } from "./initialize.ts";
import { silenceCpuBanner } from "./tfjs-private.ts";

/** Loads @tensorflow/tfjs-backend-cpu and initializes it. */
export async function probeCpu(): Promise<BackendInfo> {
  const { version_cpu } = await import("@tensorflow/tfjs-backend-cpu");
  const init = await initializeTfjsBackend("cpu");
  if (!init.ok) return { name: "cpu", available: false, reason: init.reason, device: "JavaScript" };
  // Silence the banner the cpu backend prints on first use under Node-like runtimes
  // ("install our node backend"): `gradlab backends` says what is available, and why.
  silenceCpuBanner(init.backend);
  return {
    name: "cpu",
    available: true,
    reason: `@tensorflow/tfjs-backend-cpu ${version_cpu}`,
    device: "JavaScript, main thread",
    threads: 1,
  };
}
