/** Where the scripts find the tools they run (tsc, bun, deno): the project's own install first. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A binary from the repository's node_modules/.bin when installed there, else `name` (found on PATH).
 *
 * @example
 * spawnSync(localBin("deno"), ["doc", "--json", "mod.ts"]);
 */
export function localBin(name: string): string {
  const local = join(ROOT, "node_modules", ".bin", name);
  return existsSync(local) ? local : name;
}
