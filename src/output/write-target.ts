/**
 * Where a write to a path lands. A symbolic link is followed, also one that names a file not
 * there yet (a write creates that file, as the shell's `>` does), so the link is never
 * replaced; what is at the end decides how it is written.
 */
import { lstatSync, readlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** What is at the end of a path: nothing yet, a regular file, a directory, or a device, FIFO or socket. */
export type TargetKind = "absent" | "file" | "directory" | "special";

/** The path a write really goes to (links followed) and what is there. */
export interface WriteTarget {
  path: string;
  kind: TargetKind;
}

/** The Linux kernel's limit on links followed in one path lookup. */
const MAX_LINKS = 40;

/**
 * Follows `path` through symbolic links to what a write would reach.
 *
 * @example
 * writeTarget("/dev/stdout"); // { path: "/dev/pts/0", kind: "special" } on a terminal
 */
export function writeTarget(path: string): WriteTarget {
  let at = resolve(path);
  for (let links = 0; links <= MAX_LINKS; links++) {
    let stats;
    try {
      stats = lstatSync(at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return { path: at, kind: "absent" };
      throw error;
    }
    if (stats.isSymbolicLink()) {
      at = resolve(dirname(at), readlinkSync(at));
      continue;
    }
    return { path: at, kind: stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "special" };
  }
  throw new Error(`${path}: more than ${MAX_LINKS} symbolic links in a row`);
}
