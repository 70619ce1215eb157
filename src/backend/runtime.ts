/**
 * Which JavaScript runtime runs gradlab, read from the globals each one defines.
 */
import process from "node:process";

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
