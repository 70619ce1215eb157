import type { BackendInfo } from "./info.ts";
import { BACKEND_NAMES } from "./names.ts";
import { probeBackend } from "./_internals/probe.ts";

/**
 * Probes every backend gradlab knows (once per process) and says, for each, whether it works
 * here, why or why not, and what device it computes on. The active backend is not changed.
 *
 * @example
 * for (const b of await listBackends()) console.log(b.name, b.available, b.reason);
 */
export async function listBackends(): Promise<BackendInfo[]> {
  const infos: BackendInfo[] = [];
  // One at a time: probes initialize tfjs backends, and tfjs's engine expects that serially.
  for (const name of BACKEND_NAMES) infos.push(await probeBackend(name));
  return infos;
}
