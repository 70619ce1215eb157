/**
 * The data directories a command was told about, checked before any work: a directory named
 * explicitly (--data-dir or GRADLAB_DATA_DIR for Fashion-MNIST, --mnist-dir or
 * GRADLAB_MNIST_DIR for MNIST) that does not hold the data is a mistake, never a reason to
 * fall back to other data.
 */
import { findFashionMnist } from "./fashion-mnist.ts";
import { IDX_BASENAMES, idxFilesIn } from "./_internals/idx-files.ts";

/** What a command was given: its flags' values and the environment. */
export interface DataDirOptions {
  dataDir?: string;
  mnistDir?: string;
  env?: Record<string, string | undefined>;
}

/**
 * The MNIST IDX directory to read, from --mnist-dir or GRADLAB_MNIST_DIR (an empty variable
 * counts as unset), or undefined for the `mnist` package's digits; throws naming the flag or
 * variable when the directory lacks a file.
 *
 * @example
 * const dir = mnistIdxDir({ mnistDir: flags.mnistDir, env: process.env }); // undefined: the mnist package
 */
export function mnistIdxDir(opts: DataDirOptions): string | undefined {
  if (opts.mnistDir === "") throw new Error("--mnist-dir: expected a directory, got an empty string");
  const given = opts.mnistDir !== undefined
    ? { dir: opts.mnistDir, via: "--mnist-dir" }
    : opts.env?.GRADLAB_MNIST_DIR
    ? { dir: opts.env.GRADLAB_MNIST_DIR, via: "GRADLAB_MNIST_DIR" }
    : null;
  if (!given) return undefined;
  const found = idxFilesIn(given.dir);
  if ("missing" in found) {
    throw new Error(
      `${given.via} ${given.dir}: no MNIST there: missing ${found.missing.join(", ")} (expected the four IDX files ` +
        `${IDX_BASENAMES.join(", ")}, optionally .gz); without ${given.via} gradlab uses the mnist package's 10,000 digits`,
    );
  }
  return given.dir;
}

/**
 * Throws, naming the flag or variable, when an explicitly given data directory does not
 * hold its data set.
 *
 * @example
 * checkDataDirs({ dataDir: flags.dataDir, mnistDir: flags.mnistDir, env: process.env });
 */
export function checkDataDirs(opts: DataDirOptions): void {
  findFashionMnist({ dataDir: opts.dataDir, env: opts.env });
  mnistIdxDir(opts);
}
