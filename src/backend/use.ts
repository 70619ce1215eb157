/**
 * Makes one backend the active tfjs backend. This is the edge where the choice is made; the
 * math in src/core never asks which backend it runs on.
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { chooseBackend } from "./choose.ts";
import { type Backend, backendHandle, TFJS_NAME } from "./handle.ts";
import type { BackendInfo } from "./info.ts";
import { listBackends } from "./list.ts";
import { type BackendName, DEFAULT_ORDER, isBackendName } from "./names.ts";
import { selfCheck, type SelfCheckReport } from "./self-check.ts";
import { probeBackend } from "./_internals/probe.ts";

let active: BackendInfo | null = null;

/** The self-check of each backend, run once per process (a refusal stays a refusal). */
const checked = new Map<BackendName, Promise<SelfCheckReport>>();

/**
 * What the self-check found on a backend `useBackend()` activated in this process, or
 * undefined when none was.
 *
 * @example
 * await useBackend("wasm"); (await selfCheckOf("wasm"))?.subnormals; // "kept"
 */
export function selfCheckOf(name: BackendName): Promise<SelfCheckReport> | undefined {
  return checked.get(name);
}

/**
 * Chooses and activates a backend: `name` if given, else the environment variable
 * GRADLAB_BACKEND, else the first available of tensorflow-gpu, tensorflow, webgpu (only a real,
 * non-fallback GPU adapter), wasm, cpu. Asking for an unknown or unavailable backend throws an
 * Error listing the available ones and why each other one is not. The first time a backend is
 * activated in a process it must pass the self-check (./self-check.ts): one that computes a
 * known answer wrong is refused with a BackendRefusedError naming the op, the expected and the
 * returned value, and the backend that was active before stays active.
 *
 * @example
 * const info = await useBackend("wasm");
 * console.log(info.device); // "WebAssembly SIMD (XNNPACK), 1 thread; threads off: …"
 */
export async function useBackend(name?: string): Promise<BackendInfo> {
  const fromEnv = process.env.GRADLAB_BACKEND;
  const requested = name || fromEnv || undefined;
  const source = name ? undefined : "GRADLAB_BACKEND";
  let info: BackendInfo | undefined;
  if (requested !== undefined && isBackendName(requested)) {
    const probed = await probeBackend(requested);
    if (probed.available) info = probed;
  } else if (requested === undefined) {
    for (const candidate of DEFAULT_ORDER) {
      const probed = await probeBackend(candidate);
      if (probed.available && !probed.fallback) {
        info = probed;
        break;
      }
    }
  }
  // Not found the quick way: probe everything, for a message that lists it all.
  info ??= chooseBackend(await listBackends(), requested, source);

  const tfjsName = TFJS_NAME[info.name];
  if (!(await tf.setBackend(tfjsName))) {
    throw new Error(`backend "${info.name}" was probed but tfjs could not switch to it`);
  }
  let report = checked.get(info.name);
  if (!report) {
    report = selfCheck();
    checked.set(info.name, report);
  }
  try {
    await report;
  } catch (error) {
    if (active) await tf.setBackend(TFJS_NAME[active.name]);
    throw error;
  }
  active = info;
  return info;
}

/**
 * The backend the last `useBackend()` activated. Throws when none was chosen yet, or when
 * something switched tfjs's backend behind gradlab's back.
 *
 * @example
 * await useBackend("cpu");
 * activeBackend().name; // "cpu"
 */
export function activeBackend(): BackendInfo {
  if (!active) throw new Error("no backend chosen yet: call useBackend() first");
  const current = tf.getBackend();
  if (current !== TFJS_NAME[active.name]) {
    throw new Error(
      `tfjs's active backend is "${current}", not "${active.name}": ` +
        `switch backends with useBackend(), not tf.setBackend()`,
    );
  }
  return active;
}

/**
 * The handle of the backend the last `useBackend()` activated: what the edge (a command, an
 * experiment runner, a worker) hands to the core. Throws as `activeBackend()` does.
 *
 * @example
 * await useBackend("wasm");
 * await train(spec, config, data, { backend: chosenBackend() });
 */
export function chosenBackend(): Backend {
  return backendHandle(activeBackend().name);
}
