/** Probe for tfjs's WebAssembly backend (XNNPACK). */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import type { BackendInfo } from "../info.ts";
import { firstLine, initializeTfjsBackend } from "./initialize.ts";

/**
 * Loads @tensorflow/tfjs-backend-wasm, initializes it and reads back the thread count.
 * Under Bun and Deno tfjs sees Node APIs (its IS_NODE flag) and turns threads off
 * (tensorflow/tfjs#3830), so the device string says why it runs on one thread.
 */
export async function probeWasm(): Promise<BackendInfo> {
  const device = "WebAssembly";
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== "object") {
    return { name: "wasm", available: false, reason: "this runtime has no WebAssembly", device };
  }
  let wasm: typeof import("@tensorflow/tfjs-backend-wasm");
  try {
    wasm = await import("@tensorflow/tfjs-backend-wasm");
  } catch (error) {
    const reason = `could not load @tensorflow/tfjs-backend-wasm: ${firstLine(error)}`;
    return { name: "wasm", available: false, reason, device };
  }
  const init = await withoutAddedCrashHandlers(() => initializeTfjsBackend("wasm"));
  if (!init.ok) return { name: "wasm", available: false, reason: init.reason, device };

  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const multithread = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  const threads = wasm.getThreadsCount();
  const why = multithread
    ? ""
    : tf.env().getBool("IS_NODE")
    ? "; threads off: tfjs-backend-wasm disables them when it sees Node APIs (IS_NODE, tensorflow/tfjs#3830)"
    : "; threads off: no SharedArrayBuffer/WebAssembly threads here";
  return {
    name: "wasm",
    available: true,
    reason: `@tensorflow/tfjs-backend-wasm ${wasm.version_wasm}`,
    device: `${device}${simd ? " SIMD" : ""} (XNNPACK), ${threads} thread${threads === 1 ? "" : "s"}${why}`,
    threads,
  };
}

/**
 * Runs `f` and removes the process-wide uncaughtException/unhandledRejection listeners it
 * added. The wasm backend's Emscripten glue installs listeners that rethrow, which turns
 * every later crash into a confusing exit code 7 pointing into tf-backend-wasm.node.js.
 */
async function withoutAddedCrashHandlers<T>(f: () => Promise<T>): Promise<T> {
  const events = ["uncaughtException", "unhandledRejection"] as const;
  const before = events.map((event) => new Set(process.listeners(event)));
  try {
    return await f();
  } finally {
    events.forEach((event, i) => {
      for (const listener of process.listeners(event)) {
        if (!before[i]!.has(listener)) process.removeListener(event, listener as () => void);
      }
    });
  }
}
