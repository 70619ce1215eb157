/**
 * Output paths checked before any work starts: a run that would fail to write its result
 * after minutes of training fails at once instead, naming the flag, the path and why.
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { writeTarget } from "./write-target.ts";

/** What an output flag may name besides a path. */
export interface OutputFileOptions {
  /** `-` means standard output (default: refused) */
  stdout?: boolean;
}

/** An output path that cannot be written, found before any work. */
export class OutputPathError extends Error {
  override name = "OutputPathError";
}

/**
 * Checks that a file can be written at `path` (given with `flag`): not a directory, its
 * directory there or creatable, and writable. A device or FIFO (/dev/stdout) is written
 * through; `-` is standard output where `options.stdout` allows it.
 *
 * @example
 * checkOutputFile(flags.out, "--out", { stdout: true }); // throws "--out runs/x.json: runs is a file, not a directory"
 */
export function checkOutputFile(path: string, flag: string, options: OutputFileOptions = {}): void {
  const fail = (why: string) => new OutputPathError(`${flag} ${path}: ${why}`);
  if (path === "") throw new OutputPathError(`${flag}: expected a file path, got an empty string`);
  if (path === "-") {
    if (options.stdout) return;
    throw new OutputPathError(`${flag}: - (standard output) does not apply here; give a file path`);
  }
  const target = writeTarget(path);
  switch (target.kind) {
    case "directory":
      throw fail("is a directory; expected a file");
    case "special":
      return; // a device, FIFO or socket: written through
    case "file":
      if (!canWrite(target.path)) throw fail("the file is not writable");
      if (!canWrite(dirname(target.path))) throw fail(`cannot create files in ${dirname(target.path)} (needed to replace the file whole)`);
      return;
    case "absent":
      checkCreatable(dirname(target.path), fail);
  }
}

/**
 * Checks that a directory can be made or replaced at `path` (given with `flag`): absent with
 * a writable ancestor, or a directory whose parent is writable. Returns the directory's real
 * path (links followed).
 *
 * @example
 * const out = checkOutputDirectory(flags.out, "--out");
 */
export function checkOutputDirectory(path: string, flag: string): string {
  const fail = (why: string) => new OutputPathError(`${flag} ${path}: ${why}`);
  if (path === "") throw new OutputPathError(`${flag}: expected a directory, got an empty string`);
  if (path === "-") throw new OutputPathError(`${flag}: expected a directory; - (standard output) cannot hold one`);
  const target = writeTarget(path);
  if (target.kind === "file" || target.kind === "special") throw fail("is not a directory");
  if (target.kind === "directory" && resolve(target.path) === "/") throw fail("is the root directory");
  checkCreatable(dirname(target.path), fail);
  return target.path;
}

/** The nearest existing ancestor of `dir` (itself included) must be a directory we may write in. */
function checkCreatable(dir: string, fail: (why: string) => Error): void {
  for (let at = resolve(dir);; at = dirname(at)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === "ENOENT" || code === "ENOTDIR") && at !== dirname(at)) continue;
      throw fail(`cannot reach ${at}: ${(error as Error).message}`);
    }
    if (!isDirectory) throw fail(`${at} is a file, not a directory`);
    if (!canWrite(at)) throw fail(`cannot create files in ${at} (not writable)`);
    return;
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
