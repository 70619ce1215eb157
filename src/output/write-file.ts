/**
 * gradlab's one way to write a file: whole or not at all. A regular file is written by
 * write-file-atomic (a temporary file beside it, fsync, rename over the target; on SIGINT,
 * SIGTERM or SIGHUP the temporary file is removed before the process ends), so a reader never
 * sees half a file and an interrupted write leaves the old one. A symbolic link is followed
 * and stays a link; a device or FIFO (/dev/stdout, /dev/null) is written through, never
 * replaced; `-` is standard output.
 */
import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomicWhole from "write-file-atomic";
import { writeTarget } from "./write-target.ts";

/** Where `-` writes: process.stdout, or a command's stdout. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Writes `data` to `path` whole, creating its directory when missing.
 *
 * @example
 * await writeFileAtomic("fixtures/init-variance/quick.json", text);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    const target = writeTarget(path);
    if (target.kind === "directory") throw new Error("is a directory");
    if (target.kind === "special") {
      await writeFile(target.path, data); // a device or FIFO: nothing to rename over
      return;
    }
    mkdirSync(dirname(target.path), { recursive: true });
    await writeFileAtomicWhole(target.path, typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch (error) {
    throw new Error(`could not write ${path}: ${(error as Error).message}`);
  }
}

/**
 * Writes text to `path`, or to `stdout` when the path is `-`.
 *
 * @example
 * await writeOutput(flags.out, JSON.stringify(record), process.stdout);
 */
export async function writeOutput(path: string, text: string, stdout: TextSink): Promise<void> {
  if (path === "-") stdout.write(text);
  else await writeFileAtomic(path, text);
}
