/**
 * The choice of backend as a pure function of what the probes found, so the rule is
 * testable without the machines it describes.
 */
import type { BackendInfo } from "./info.ts";
import { BACKEND_NAMES, DEFAULT_ORDER, isBackendName } from "./names.ts";

/**
 * Picks the backend `requested` names, or without a name the first of DEFAULT_ORDER that is
 * available and not a software fallback. Throws an Error that lists what is available and
 * why each other backend is not.
 *
 * @param infos what the probes found (`listBackends()`); only the names needed are read
 * @param requested a backend name, or undefined for the default order
 * @param source where the name came from, prefixed to the message (e.g. "GRADLAB_BACKEND")
 * @example
 * chooseBackend(await listBackends(), "wasm").name; // "wasm"
 * chooseBackend(await listBackends()).name;         // "wasm" on a machine without tfjs-node or a GPU
 */
export function chooseBackend(
  infos: readonly BackendInfo[],
  requested?: string,
  source?: string,
): BackendInfo {
  const where = source ? `${source}: ` : "";
  if (requested !== undefined) {
    if (!isBackendName(requested)) {
      throw new Error(
        `${where}unknown backend ${JSON.stringify(requested)}; expected one of ` +
          `${BACKEND_NAMES.join(", ")}\n${describeAvailability(infos)}`,
      );
    }
    const info = infos.find((i) => i.name === requested);
    if (info?.available) return info;
    throw new Error(
      `${where}backend "${requested}" is not available: ${info?.reason ?? "not probed"}\n` +
        describeAvailability(infos),
    );
  }
  const chosen = defaultBackend(infos);
  if (chosen) return chosen;
  throw new Error(`no backend is available\n${describeAvailability(infos)}`);
}

/**
 * The backend the default order picks from `infos`, or undefined when none qualifies.
 *
 * @example
 * defaultBackend(await listBackends())?.name; // "wasm" here
 */
export function defaultBackend(infos: readonly BackendInfo[]): BackendInfo | undefined {
  for (const name of DEFAULT_ORDER) {
    const info = infos.find((i) => i.name === name);
    if (info?.available && !info.fallback) return info;
  }
  return undefined;
}

/**
 * The part of error messages that says what is available: one summary line, then one line
 * per backend with its device or the reason it is not available.
 *
 * @example
 * describeAvailability(await listBackends());
 * // available here: cpu, wasm
 * //   cpu             JavaScript, main thread
 * //   webgpu          not available: no navigator.gpu in bun 1.4.5 (…)
 */
export function describeAvailability(infos: readonly BackendInfo[]): string {
  const names = infos.filter((i) => i.available).map((i) => i.name + (i.fallback ? " (fallback)" : ""));
  const lines = infos.map((i) =>
    `  ${i.name.padEnd(16)}${i.available ? i.device : `not available: ${i.reason}`}`
  );
  return [`available here: ${names.join(", ") || "none"}`, ...lines].join("\n");
}
