/**
 * Which JavaScript runtime runs gradlab, read from the globals each one defines.
 */
import os from "node:os";
import process from "node:process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The runtime gradlab runs on. */
export interface RuntimeInfo {
  runtime: "bun" | "deno" | "node";
  runtimeVersion: string;
  /** e.g. "linux", "darwin", "win32" (Node's spelling, also under Bun and Deno) */
  platform: string;
  /** e.g. "x64", "arm64" */
  arch: string;
}

interface RuntimeGlobals {
  Bun?: { version: string };
  Deno?: { version: { deno: string } };
}

/**
 * Describes the current runtime.
 *
 * @example
 * runtimeInfo(); // { runtime: "bun", runtimeVersion: "1.4.5", platform: "linux", arch: "x64" }
 */
export function runtimeInfo(): RuntimeInfo {
  const g = globalThis as RuntimeGlobals;
  const where = { platform: process.platform, arch: process.arch };
  if (g.Deno) return { runtime: "deno", runtimeVersion: g.Deno.version.deno, ...where };
  if (g.Bun) return { runtime: "bun", runtimeVersion: g.Bun.version, ...where };
  return { runtime: "node", runtimeVersion: process.versions.node ?? "unknown", ...where };
}

/**
 * Collects garbage now where the runtime offers it: Bun.gc, or V8's gc() when Deno runs with
 * `--v8-flags=--expose-gc` (as gradlab's deno tasks and bin shim do); elsewhere nothing.
 * Training frees ~0.5 MB of typed arrays per E1 step, and Bun's collector lets them pile up
 * (full E1 peaked at 1.7 GB RSS under Bun against 0.84 GB under Deno), so `train` calls this
 * after each epoch.
 *
 * @example
 * collectGarbage();
 */
export function collectGarbage(): void {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun) g.Bun.gc(true);
  else g.gc?.();
}

/**
 * CPU cores this process may use.
 *
 * @example
 * availableCores(); // 2 here
 */
export function availableCores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** The Web Worker API as Bun and Deno provide it (the type-check's lib has no DOM): posts `In`, receives `Out`. */
export interface WebWorker<In, Out> {
  onmessage: ((e: { data: Out }) => void) | null;
  onerror: ((e: { message: string }) => void) | null;
  postMessage(message: In): void;
  terminate(): void;
}

type WorkerConstructor<In, Out> = new (url: string, options: { type: "module" }) => WebWorker<In, Out>;

/**
 * Whether this runtime has Web Workers (Bun and Deno do; Node 20 has only worker_threads), so
 * that runs can go to parallel workers.
 *
 * @example
 * hasWebWorkers(); // true under Bun and Deno
 */
export function hasWebWorkers(): boolean {
  return typeof (globalThis as { Worker?: unknown }).Worker === "function";
}

/**
 * A worker module's URL as it exists: the caller names its .ts source, which the built package
 * (dist/, `npm run build`) holds as the .js beside it.
 *
 * @example
 * workerModule("file:///pkg/dist/src/parallel/worker.ts"); // "file:///pkg/dist/src/parallel/worker.js"
 */
export function workerModule(url: string): string {
  if (!url.startsWith("file:") || !url.endsWith(".ts") || existsSync(fileURLToPath(url))) return url;
  const js = `${url.slice(0, -3)}.js`;
  return existsSync(fileURLToPath(js)) ? js : url;
}

/**
 * Starts a module worker from a URL (a file next to the caller: `new URL("./w.ts", import.meta.url).href`).
 *
 * @example
 * const w = startWorker<Job, Reply>(new URL("./worker.ts", import.meta.url).href);
 */
export function startWorker<In, Out>(url: string): WebWorker<In, Out> {
  if (!hasWebWorkers()) throw new Error(`startWorker: this runtime has no Web Workers (Node has only worker_threads): run with one worker, or under Bun or Deno`);
  const Worker = (globalThis as unknown as { Worker: WorkerConstructor<In, Out> }).Worker;
  return new Worker(workerModule(url), { type: "module" });
}
