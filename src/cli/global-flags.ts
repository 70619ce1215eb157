import { BACKEND_NAMES, DEFAULT_ORDER } from "../backend/mod.ts";
import type { FlagSpecs } from "./flags.ts";

/** Flags every command accepts, before or after the command name. */
export const GLOBAL_FLAGS = {
  backend: {
    type: "string",
    value: "NAME",
    description: `tfjs backend: ${BACKEND_NAMES.join(", ")}; default GRADLAB_BACKEND, else the ` +
      `first available of ${DEFAULT_ORDER.join(", ")} (webgpu only on a real GPU)`,
  },
  seed: {
    type: "integer",
    value: "N",
    description: "seed for every random choice, 0..4294967295 (default: a fresh one, printed)",
  },
  help: { type: "boolean", description: "show help (after a command: that command's help)" },
} as const satisfies FlagSpecs;
