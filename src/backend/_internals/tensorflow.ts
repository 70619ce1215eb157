/**
 * Probes for tfjs's native backend. @tensorflow/tfjs-node and @tensorflow/tfjs-node-gpu are
 * optional and often absent, so they are imported dynamically, never statically.
 */
import type { BackendInfo } from "../info.ts";
import { firstLine, initializeTfjsBackend, isModuleNotFound } from "./initialize.ts";
import { nativeTensorflowVersion } from "./tfjs-private.ts";

type NativeName = "tensorflow" | "tensorflow-gpu";

const PACKAGE: Record<NativeName, string> = {
  "tensorflow": "@tensorflow/tfjs-node",
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
};

/** Both packages register tfjs's "tensorflow" backend, so only one can be loaded per process. */
let loaded: NativeName | null = null;

/**
 * Imports the package behind `name` and initializes tfjs's "tensorflow" backend from it.
 * The device string names the libtensorflow version the binding reports.
 */
export async function probeTensorflow(name: NativeName): Promise<BackendInfo> {
  const pkg = PACKAGE[name];
  const other: NativeName = name === "tensorflow" ? "tensorflow-gpu" : "tensorflow";
  const build = name === "tensorflow" ? "CPU" : "CUDA";
  const device = `libtensorflow (${build})`;
  if (loaded === other) {
    const reason = `${PACKAGE[other]} is loaded and owns tfjs's "tensorflow" backend in this process`;
    return { name, available: false, reason, device };
  }
  // A variable specifier keeps type-checkers and bundlers from requiring the package.
  const specifier: string = pkg;
  let mod: { version?: Record<string, string> };
  try {
    mod = await import(specifier);
  } catch (error) {
    const reason = isModuleNotFound(error, pkg)
      ? `not installed (npm package ${pkg}, optional: it needs Node and a libtensorflow download)`
      : `${pkg} is installed but failed to load: ${firstLine(error)}`;
    return { name, available: false, reason, device };
  }
  loaded = name;
  const init = await initializeTfjsBackend("tensorflow");
  if (!init.ok) return { name, available: false, reason: init.reason, device };
  const version = nativeTensorflowVersion(init.backend);
  return {
    name,
    available: true,
    reason: `${pkg} ${mod.version?.["tfjs-node"] ?? ""}`.trim(),
    device: version ? `libtensorflow ${version} (${build})` : device,
  };
}
