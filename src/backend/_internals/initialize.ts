/**
 * Initializes a registered tfjs backend without making it the active one, so probing a
 * backend never changes which backend the math runs on.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initializedBackend, initializeWithoutActivating } from "./tfjs-private.ts";

/** Outcome of initializing one tfjs backend. */
export type Initialized =
  | { ok: true; backend: tf.KernelBackend }
  | { ok: false; reason: string };

/**
 * Initializes the tfjs backend `tfjsName` (registered by importing its package) and returns
 * its instance, or why it failed: tfjs reports failures through console.warn, which is
 * captured here to become the reason.
 *
 * @example
 * await import("@tensorflow/tfjs-backend-wasm");
 * const result = await initializeTfjsBackend("wasm"); // { ok: true, backend }
 */
export async function initializeTfjsBackend(tfjsName: string): Promise<Initialized> {
  const existing = initializedBackend(tfjsName);
  if (existing) return { ok: true, backend: existing };
  if (!tf.findBackendFactory(tfjsName)) {
    return { ok: false, reason: `no "${tfjsName}" backend is registered with @tensorflow/tfjs-core` };
  }
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...parts: unknown[]) => void warnings.push(parts.map(String).join(" "));
  let success: boolean;
  try {
    success = await initializeWithoutActivating(tfjsName);
  } catch (error) {
    success = false;
    warnings.push(error instanceof Error ? error.message : String(error));
  } finally {
    console.warn = warn;
  }
  const backend = initializedBackend(tfjsName);
  if (success && backend) return { ok: true, backend };
  const detail = warnings
    .flatMap((w) => w.split("\n"))
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("at ") && !/^Initialization of backend/.test(line));
  return { ok: false, reason: `tfjs could not initialize it: ${detail[0] ?? "no reason given"}` };
}

/**
 * The first line of an error's message, for one-line reasons.
 *
 * @example
 * firstLine(new Error("not found\n  at x")); // "not found"
 */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.trim();
}

/**
 * True when a dynamic import failed because the package is not installed (as opposed to
 * being installed but failing to load, e.g. a missing native binding).
 *
 * @example
 * try { await import("absent-package"); } catch (e) { isModuleNotFound(e, "absent-package"); } // true
 */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = firstLine(error);
  // The package itself, quoted, not a file inside it (tfjs-node's missing native binding).
  if (!message.includes(`'${specifier}'`) && !message.includes(`"${specifier}"`)) return false;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" ||
    /cannot find (package|module)|not a dependency|could not find/i.test(message);
}
