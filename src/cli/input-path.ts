/** Input paths a command was given, checked before any work: there, and of the right kind. */
import { statSync } from "node:fs";

/**
 * Throws, naming the flag, when `path` is not an existing file (or directory).
 *
 * @example
 * checkInputPath(flags.properties, "--properties", "file");
 */
export function checkInputPath(path: string, flag: string, kind: "file" | "directory"): void {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new Error(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message}`);
  }
  if (kind === "file" ? !stats.isFile() : !stats.isDirectory()) throw new Error(`${flag} ${path}: not a ${kind}`);
}
