import * as tf from "@tensorflow/tfjs-core";
import type { BackendName } from "./names.ts";
import { runtimeInfo } from "./runtime.ts";
import { activeBackend } from "./use.ts";

/** Where a result was computed; recorded in every result file. Plain JSON. */
export interface EnvironmentRecord {
  backend: BackendName;
  /** the backend's device description, as in BackendInfo.device */
  device: string;
  runtime: "bun" | "deno" | "node";
  runtimeVersion: string;
  /** tfjs-core's version (tf.version_core) */
  tfjsVersion: string;
  platform: string;
  arch: string;
  /** threads the backend computes with, where it says */
  threads?: number;
}

/**
 * Describes the active backend and the runtime, for result files.
 * Throws when no backend was chosen yet (call `useBackend()` first).
 *
 * @example
 * await useBackend("wasm");
 * environment();
 * // { backend: "wasm", device: "WebAssembly SIMD (XNNPACK), 1 thread; …", runtime: "bun",
 * //   runtimeVersion: "1.4.5", tfjsVersion: "4.22.0", platform: "linux", arch: "x64", threads: 1 }
 */
export function environment(): EnvironmentRecord {
  const info = activeBackend();
  const record: EnvironmentRecord = {
    backend: info.name,
    device: info.device,
    ...runtimeInfo(),
    tfjsVersion: tf.version_core,
  };
  if (info.threads !== undefined) record.threads = info.threads;
  return record;
}
