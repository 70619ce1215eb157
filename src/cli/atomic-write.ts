/**
 * Writing a file so that a failed or interrupted write never leaves a half-written file:
 * write a temporary file beside it, then rename it over the target (atomic on POSIX).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * @example
 * writeFileAtomic("runs/e1.json", JSON.stringify(result));
 */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path) || ".", { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`could not write ${path}: ${(e as Error).message}`);
  }
}
