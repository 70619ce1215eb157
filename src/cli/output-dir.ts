/**
 * Writing a directory of outputs (a page, CSV files) so that it is never half-written: the
 * files go to a fresh directory beside the target, which is then swapped in by rename. A
 * directory is replaced only when it is empty or gradlab wrote it (it holds the manifest
 * `gradlab-output.json`), so pointing a flag at a directory of other files cannot delete them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { UsageError } from "./usage-error.ts";

/** The manifest every output directory gets, listing what gradlab wrote there. */
export const OUTPUT_MANIFEST = "gradlab-output.json";

/** A file to write, relative to the directory. */
export interface OutputFile {
  path: string;
  text: string;
}

/**
 * Throws a UsageError naming `flag` unless `dir` can be (re)placed: absent, an empty
 * directory, or one gradlab wrote. Call it before the long work.
 *
 * @example
 * checkOutputDir("report-check", "--html");
 */
export function checkOutputDir(dir: string, flag: string): void {
  if (dir === "") throw new UsageError(`${flag}: expected a directory name, got ""`);
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${flag}: ${dir} is a file, expected a directory`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(OUTPUT_MANIFEST)) {
    throw new UsageError(`${flag}: ${dir} holds files gradlab did not write (no ${OUTPUT_MANIFEST}); give a new or empty directory`);
  }
}

/**
 * Writes `files` as the whole content of `dir`: built in a sibling directory, then swapped
 * in (the old content, if any, is removed after the swap). `command` goes into the manifest.
 *
 * @example
 * writeOutputDir("runs/e1-plot", [{ path: "index.html", text: html }], "--out", "gradlab plot runs/e1.json");
 */
export function writeOutputDir(dir: string, files: readonly OutputFile[], flag: string, command: string): void {
  checkOutputDir(dir, flag);
  const stamp = `${process.pid}-${Date.now()}`;
  const parent = dirname(dir) || ".";
  const fresh = join(parent, `.${basename(dir)}.new-${stamp}`);
  const old = join(parent, `.${basename(dir)}.old-${stamp}`);
  try {
    mkdirSync(fresh, { recursive: true });
    for (const f of files) {
      if (f.path === OUTPUT_MANIFEST || f.path.split("/").includes("..")) throw new Error(`bad output file name ${f.path}`);
      mkdirSync(dirname(join(fresh, f.path)), { recursive: true });
      writeFileSync(join(fresh, f.path), f.text);
    }
    const manifest = { writtenBy: "gradlab", command, files: files.map((f) => f.path) };
    writeFileSync(join(fresh, OUTPUT_MANIFEST), JSON.stringify(manifest, null, 1) + "\n");
    const had = existsSync(dir);
    if (had) renameSync(dir, old);
    try {
      renameSync(fresh, dir);
    } catch (e) {
      if (had) renameSync(old, dir);
      throw e;
    }
    if (had) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(`${flag}: could not write ${dir}: ${(e as Error).message}`);
  }
}

/**
 * The manifest of an output directory, or null when it has none (for tests and tools).
 *
 * @example
 * readOutputManifest("runs/e1-plot")?.files; // ["index.html", "figures/run-loss.svg", …]
 */
export function readOutputManifest(dir: string): { writtenBy: string; command: string; files: string[] } | null {
  try {
    return JSON.parse(readFileSync(join(dir, OUTPUT_MANIFEST), "utf8"));
  } catch {
    return null;
  }
}
