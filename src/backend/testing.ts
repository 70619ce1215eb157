/**
 * Helpers for test suites: restoring the backend a suite switched away from (the property
 * harness does), and test doubles of broken kernels. Not exported from mod.ts.
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import type { BackendInfo } from "./info.ts";
import { listBackends } from "./list.ts";
import { activeBackend, useBackend } from "./use.ts";

interface Suite {
  before(hook: () => void): void;
  after(hook: () => Promise<void>): void;
}

/**
 * Whatever backend is active when the suite starts (if any) is active again when it ends.
 *
 * @example
 * restoreBackendAfter(test); // uvu's test
 */
export function restoreBackendAfter(suite: Suite): void {
  let previous: string | null = null;
  suite.before(() => {
    try {
      previous = activeBackend().name;
    } catch {
      previous = null;
    }
  });
  suite.after(async () => {
    if (previous) await useBackend(previous);
  });
}

/**
 * A test double of a backend that computes wrong numbers: replaces tfjs's kernel `kernelName`
 * on `backendName` by `make(original)` until the returned function is called.
 *
 * @example
 * const restore = replaceKernel("AddN", "cpu", (addN) => (args) => addN({ ...args, inputs: args.inputs.slice(0, 7) }));
 * try { await selfCheck(); } finally { restore(); }
 */
export function replaceKernel(kernelName: string, backendName: string, make: (original: tf.KernelFunc) => tf.KernelFunc): () => void {
  const original = tf.getKernel(kernelName, backendName);
  if (!original) throw new Error(`replaceKernel: no ${kernelName} kernel is registered for ${backendName}`);
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...original, kernelFunc: make(original.kernelFunc) });
  return () => {
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(original);
  };
}

/**
 * The AddN kernel tfjs-backend-webgpu 4.22 ran on a device with 8 storage buffers: with 8 or
 * more inputs it returned the sum of the first 7 (measured on llvmpipe). For `replaceKernel`.
 *
 * @example
 * const restore = replaceKernel("AddN", "cpu", addNOfTheFirstSeven);
 */
export function addNOfTheFirstSeven(addN: tf.KernelFunc): tf.KernelFunc {
  return (args) => addN({ ...args, inputs: (args.inputs as unknown as tf.TensorInfo[]).slice(0, 7) as unknown as tf.NamedTensorInfoMap });
}

/**
 * Whether the WebGPU tests run here: where navigator.gpu finds an adapter, or where the
 * runtime has navigator.gpu (Deno) and GRADLAB_REQUIRE_WEBGPU=1 says they must (.ci/run sets
 * it once it has installed Mesa: a missing adapter is then a failure, not a skip; Bun, which
 * has no WebGPU, still skips). `skip` is the line to print when they do not run.
 *
 * @example
 * const gpu = await webgpuTests(); if (gpu.run) { … } else console.log(gpu.skip);
 */
export async function webgpuTests(): Promise<{ run: boolean; info: BackendInfo; skip: string }> {
  const info = (await listBackends()).find((b) => b.name === "webgpu")!;
  const hasWebgpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
  const required = process.env.GRADLAB_REQUIRE_WEBGPU === "1" && hasWebgpu;
  return { run: info.available || required, info, skip: `skip: the webgpu tests: ${info.reason}` };
}

/**
 * Fails, naming why, when WebGPU tests must run but there is no adapter (see `webgpuTests`).
 *
 * @example
 * requireWebgpu(gpu.info);
 */
export function requireWebgpu(info: BackendInfo): void {
  if (!info.available) throw new Error(`GRADLAB_REQUIRE_WEBGPU=1 but webgpu is not available: ${info.reason}`);
}
